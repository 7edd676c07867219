// GraphQL documents and answer types of the quality page.

export type QualitySeverity = "WARN" | "ERROR";

export type QualityRule = {
  id: string;
  name: string;
  type: string;
  params: Record<string, unknown>;
  severity: QualitySeverity;
  enabled: boolean;
  schedule: string | null;
};

export type QualityResult = {
  id: string;
  rule: { id: string; name: string; type: string; severity: QualitySeverity };
  passed: boolean;
  failingCount: number;
  checkedCount: number;
  observed: Record<string, unknown>;
  samples: Record<string, unknown>[];
};

export type QualityRun = {
  id: string;
  versionId: string;
  versionNumber: number;
  status: "RUNNING" | "PASSED" | "FAILED" | "ERRORED";
  score: number | null;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  results: QualityResult[];
};

export type QualityTrendPoint = {
  versionId: string;
  versionNumber: number;
  score: number | null;
  at: string;
};

export type QualityVersion = {
  id: string;
  number: number;
  rowCount: number;
  qualityScore: number | null;
  qualityFailed: boolean;
  qualityOverride: boolean;
};

export type QualityDataset = { id: string; name: string; kind: string; latestVersion: QualityVersion | null };

export const DATASETS_QUERY = /* GraphQL */ `
  query QualityDatasets {
    datasets(first: 200) { edges { node { id name kind } } }
  }
`;

export const QUALITY_QUERY = /* GraphQL */ `
  query QualityPage($id: ID!) {
    dataset(id: $id) {
      id
      name
      kind
      latestVersion { id number rowCount qualityScore qualityFailed qualityOverride }
    }
    qualityRules(datasetId: $id) { id name type params severity enabled schedule }
    qualityRuns(datasetId: $id, first: 20) {
      totalCount
      edges {
        node {
          id versionId versionNumber status score trigger startedAt finishedAt
          results { id rule { id name type severity } passed failingCount checkedCount observed samples }
        }
      }
    }
    qualityTrend(datasetId: $id) { versionId versionNumber score at }
  }
`;

export const CREATE_RULE = /* GraphQL */ `
  mutation CreateQualityRule($datasetId: ID!, $input: QualityRuleInput!) {
    createQualityRule(datasetId: $datasetId, input: $input) { id }
  }
`;

export const UPDATE_RULE = /* GraphQL */ `
  mutation UpdateQualityRule($id: ID!, $input: QualityRulePatch!) {
    updateQualityRule(id: $id, input: $input) { id }
  }
`;

export const DELETE_RULE = /* GraphQL */ `
  mutation DeleteQualityRule($id: ID!) { deleteQualityRule(id: $id) }
`;

export const RUN_CHECK = /* GraphQL */ `
  mutation RunQualityCheck($versionId: ID!) { runQualityCheck(versionId: $versionId) { id status } }
`;

export const OVERRIDE_GATE = /* GraphQL */ `
  mutation OverrideQualityGate($versionId: ID!, $reason: String!) {
    overrideQualityGate(versionId: $versionId, reason: $reason) { id qualityOverride }
  }
`;

export const JOB_QUERY = /* GraphQL */ `
  query QualityJob($id: ID!) { job(id: $id) { id status progress error } }
`;

export type QualityPageAnswer = {
  dataset: QualityDataset | null;
  qualityRules: QualityRule[];
  qualityRuns: { totalCount: number; edges: { node: QualityRun }[] };
  qualityTrend: QualityTrendPoint[];
};
