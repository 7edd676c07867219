export const REPORT_FIELDS = `totalRows linkedUserIds liveEvents historyKeys exposures experimentEvents rejectedRows
  qualitySamples labelTasks platformUsers profileSets profileRows segmentSets uploads uploadLines modelsMarkedStale
  versions { versionId label rows }`;

export const REQUEST_FIELDS = `id identifierKind identifierHint status createdAt finishedAt job { id progress message }
  report { ${REPORT_FIELDS} }`;

export type ErasureReport = {
  totalRows: number;
  linkedUserIds: number;
  liveEvents: number;
  historyKeys: number;
  exposures: number;
  experimentEvents: number;
  rejectedRows: number;
  qualitySamples: number;
  labelTasks: number;
  platformUsers: number;
  profileSets: number;
  profileRows: number;
  segmentSets: number;
  uploads: number;
  uploadLines: number;
  modelsMarkedStale: string[];
  versions: { versionId: string; label: string; rows: number }[];
};

export type ErasureRequest = {
  id: string;
  identifierKind: "USER_ID" | "EMAIL";
  identifierHint: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  job: { id: string; progress: number; message: string | null } | null;
  report: ErasureReport | null;
};

export type RetentionPolicy = { datasetId: string; uploadDays: number | null; supersededDays: number | null };

export type RetentionItem = { type: string; id: string; datasetId: string; label: string; reason: string };
export type RetentionRun = {
  id: string;
  trigger: string;
  at: string;
  removed: RetentionItem[];
  kept: RetentionItem[];
};

export type MaskingPolicyEntry = {
  piiType: string;
  defaultMode: string;
  taggedColumns: number;
  confirmed: number;
  rejected: number;
  modes: { mode: string; count: number }[];
};
