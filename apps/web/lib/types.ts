/** TypeScript mirrors of the API schema (apps/api/src/modules/*\/*.graphql). */

export type Role = "ADMIN" | "STEWARD" | "LABELLER" | "VIEWER" | "CLIENT";
export const ROLES: readonly Role[] = ["ADMIN", "STEWARD", "LABELLER", "VIEWER", "CLIENT"];

export type DatasetKind = "CATALOG" | "EVENTS" | "TRANSACTIONS" | "USERS" | "LABELS" | "DERIVED" | "OTHER";
export const DATASET_KINDS: readonly DatasetKind[] = [
  "CATALOG",
  "EVENTS",
  "TRANSACTIONS",
  "USERS",
  "LABELS",
  "DERIVED",
  "OTHER",
];

export type VersionStatus = "PENDING" | "LOADING" | "READY" | "FAILED";

export type JobStatus = "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
export const JOB_STATUSES: readonly JobStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface Viewer {
  keyId: string;
  name: string;
  role: Role;
  keyPrefix: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  key: string;
  apiKey: ApiKey;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
}

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
  role: string | null;
}

export interface DatasetVersion {
  id: string;
  number: number;
  status: VersionStatus;
  columns: Column[];
  rowCount: number;
  rejectedCount: number;
  qualityScore: number | null;
  createdAt: string;
  readyAt: string | null;
}

export interface Dataset {
  id: string;
  name: string;
  description: string;
  kind: DatasetKind;
  tags: string[];
  owner: string | null;
  createdAt: string;
  latestVersion: DatasetVersion | null;
  versions: DatasetVersion[];
}

export interface Job {
  id: string;
  queue: string;
  name: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  error: string | null;
  attempts: number;
  inputIds: string[];
  outputIds: string[];
  result: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
}

export interface JobStatusCount {
  status: JobStatus;
  count: number;
}

export interface PlatformStats {
  datasetCount: number;
  versionCount: number;
  rowCount: number;
  jobCounts: JobStatusCount[];
}

export interface EventsPerDay {
  day: string;
  eventType: string;
  count: number;
}

// Profiling and catalogue (apps/api/src/modules/profiling/*.graphql)

export type Quantile = { p: number; value: number };
export type HistogramBin = { lower: number; upper: number; count: number };
export type ValueCount = { value: string; count: number };

export type ColumnProfile = {
  name: string;
  type: string;
  nullFraction: number;
  nullCount: number;
  distinctCount: number;
  min: string | null;
  max: string | null;
  mean: number | null;
  stddev: number | null;
  quantiles: Quantile[];
  histogram: HistogramBin[];
  topValues: ValueCount[];
  minLength: number | null;
  maxLength: number | null;
  meanLength: number | null;
};

export type VersionProfile = {
  rowCount: number;
  computedAt: string;
  seconds: number;
  columns: ColumnProfile[];
};

export type SchemaDiff = {
  previousVersionNumber: number;
  added: Column[];
  removed: Column[];
  changed: { name: string; fromType: string; toType: string }[];
};

export type RejectedRow = {
  id: string;
  file: string | null;
  line: number;
  column: string | null;
  reason: string;
  raw: string;
};

export type LineageDirection = "UPSTREAM" | "DOWNSTREAM" | "BOTH";
export const LINEAGE_DIRECTIONS: readonly LineageDirection[] = ["UPSTREAM", "DOWNSTREAM", "BOTH"];

export type LineageNodeType =
  | "FILE"
  | "DATASET_VERSION"
  | "EMBEDDING_SET"
  | "FEATURE_SET"
  | "PROFILE_SET"
  | "SEGMENT_SET"
  | "MODEL_VERSION"
  | "LABEL_PROJECT"
  | "SEARCH_INDEX";

export type LineageVersionRef = {
  versionId: string;
  datasetId: string;
  datasetName: string;
  number: number;
  status: VersionStatus;
  qualityScore: number | null;
};

export type LineageNode = {
  id: string;
  type: LineageNodeType;
  refId: string;
  label: string;
  metadata: unknown;
  depth: number;
  createdAt: string;
  version: LineageVersionRef | null;
};

export type LineageEdge = {
  id: string;
  from: string;
  to: string;
  relation: string;
  jobId: string | null;
  createdAt: string;
};

export type LineageGraph = { nodes: LineageNode[]; edges: LineageEdge[]; truncated: boolean };

export type ImpactGroup = { type: LineageNodeType; count: number; nodes: LineageNode[] };

export type ImpactReport = {
  versionId: string;
  root: LineageNode | null;
  total: number;
  groups: ImpactGroup[];
  truncated: boolean;
};
