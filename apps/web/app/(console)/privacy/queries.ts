// GraphQL documents and answer types of the privacy page.
import { graphql } from "@/lib/generated/gql";
import type { ErasureRequestFieldsFragment, RetentionPageQuery } from "@/lib/generated/gql/graphql";

export const ErasureRequestFieldsFragmentDoc = graphql(`
  fragment ErasureRequestFields on ErasureRequest {
    id identifierKind identifierHint status createdAt finishedAt job { id progress message }
    report {
      totalRows linkedUserIds liveEvents historyKeys searchLogs exposures experimentEvents rejectedRows
      qualitySamples labelTasks platformUsers profileSets profileRows segmentSets uploads uploadLines modelsMarkedStale
      versions { versionId label rows }
    }
  }
`);

export const POLICY_QUERY = graphql(`
  query MaskingPolicy {
    maskingPolicy { piiType defaultMode taggedColumns confirmed rejected modes { mode count } }
  }
`);

export const ERASURE_QUERY = graphql(`
  query ErasureRequests { erasureRequests(first: 50) { ...ErasureRequestFields } }
`);

export const RETENTION_QUERY = graphql(`
  query RetentionPage {
    datasets(first: 100) { edges { node { id name retentionPolicy { datasetId uploadDays supersededDays } } } }
    retentionRuns(first: 5) { id trigger at removed { type id datasetId label reason } kept { type id datasetId label reason } }
  }
`);

export const ERASE = graphql(`
  mutation EraseSubject($input: EraseSubjectInput!) { eraseSubject(input: $input) { ...ErasureRequestFields } }
`);

export const SET_RETENTION = graphql(`
  mutation SetRetentionPolicy($input: SetRetentionPolicyInput!) {
    setRetentionPolicy(input: $input) { datasetId uploadDays supersededDays }
  }
`);

export const ENFORCE_RETENTION = graphql(`
  mutation EnforceRetention { enforceRetention { id status } }
`);

export type ErasureRequest = ErasureRequestFieldsFragment;
export type ErasureReport = NonNullable<ErasureRequest["report"]>;
export type RetentionDataset = RetentionPageQuery["datasets"]["edges"][number]["node"];
export type RetentionRun = RetentionPageQuery["retentionRuns"][number];
