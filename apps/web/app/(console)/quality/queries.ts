// GraphQL documents and answer types of the quality page.
import { graphql } from "@/lib/generated/gql";
import type { QualityPageQuery } from "@/lib/generated/gql/graphql";

export const DATASETS_QUERY = graphql(`
  query QualityDatasets {
    datasets(first: 200) { edges { node { id name kind } } }
  }
`);

export const QUALITY_QUERY = graphql(`
  query QualityPage($id: ID!) {
    dataset(id: $id) {
      id
      name
      kind
      latestVersion { id number rowCount qualityScore qualityFailed qualityOverride columns { name } }
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
`);

export const CREATE_RULE = graphql(`
  mutation CreateQualityRule($datasetId: ID!, $input: QualityRuleInput!) {
    createQualityRule(datasetId: $datasetId, input: $input) { id }
  }
`);

export const UPDATE_RULE = graphql(`
  mutation UpdateQualityRule($id: ID!, $input: QualityRulePatch!) {
    updateQualityRule(id: $id, input: $input) { id }
  }
`);

export const DELETE_RULE = graphql(`
  mutation DeleteQualityRule($id: ID!) { deleteQualityRule(id: $id) }
`);

export const RUN_CHECK = graphql(`
  mutation RunQualityCheck($versionId: ID!) { runQualityCheck(versionId: $versionId) { id status } }
`);

export const OVERRIDE_GATE = graphql(`
  mutation OverrideQualityGate($versionId: ID!, $reason: String!) {
    overrideQualityGate(versionId: $versionId, reason: $reason) { id qualityOverride }
  }
`);

export const JOB_QUERY = graphql(`
  query QualityJob($id: ID!) { job(id: $id) { id status progress error } }
`);

export type { QualitySeverity } from "@/lib/generated/gql/graphql";
export type QualityPageAnswer = QualityPageQuery;
export type QualityDataset = NonNullable<QualityPageQuery["dataset"]>;
export type QualityVersion = NonNullable<QualityDataset["latestVersion"]>;
export type QualityRule = QualityPageQuery["qualityRules"][number];
export type QualityRun = QualityPageQuery["qualityRuns"]["edges"][number]["node"];
export type QualityResult = QualityRun["results"][number];
export type QualityTrendPoint = QualityPageQuery["qualityTrend"][number];
