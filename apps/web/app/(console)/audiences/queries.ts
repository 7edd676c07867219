import { graphql } from "@/lib/generated/gql";
// GraphQL documents and answer types of the Audiences page.

export type ModelOption = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  categories: string[];
};
export type SegmentOption = { id: string; name: string; size: number; setId: string; algorithm: string };

export const AUDIENCE_INPUTS_QUERY = graphql(`query AudienceInputs {
  servingModels { id name version algorithm categories }
  segmentSets(first: 10) { edges { node { id status algorithm createdAt segments { id name size } } } }
}`);
export type AudienceInputsAnswer = {
  servingModels: ModelOption[];
  segmentSets: {
    edges: {
      node: {
        id: string;
        status: string;
        algorithm: string;
        createdAt: string;
        segments: { id: string; name: string; size: number }[];
      };
    }[];
  };
};

export type AudienceKind = "ITEM_INTEREST" | "LOOKALIKE";
export type AudienceReach = { size: number; meanScore: number; affinityIndex: number };
export type Audience = {
  kind: AudienceKind;
  modelVersionId: string | null;
  profileSetId: string | null;
  targetItems: number;
  seedUsers: number;
  eligibleUsers: number;
  excludedBuyers: number;
  members: { userId: string; score: number }[];
  reach: AudienceReach[];
};

export const AudienceFieldsFragmentDoc = graphql(`
  fragment AudienceFields on Audience {
    kind modelVersionId profileSetId targetItems seedUsers eligibleUsers excludedBuyers
  members { userId score } reach { size meanScore affinityIndex }
  }
`);

export type ItemsAudienceInput = {
  target: { itemIds?: string[]; category?: string };
  size: number;
  model?: string;
  recentDays?: number;
};
export type LookalikeAudienceInput = { segmentId?: string; userIds?: string[]; size: number };

export const ITEMS_AUDIENCE_QUERY = graphql(`query ItemsAudience($input: ItemsAudienceInput!) {
  audienceForItems(input: $input) { ...AudienceFields }
}`);
export const LOOKALIKE_AUDIENCE_QUERY = graphql(`query LookalikeAudience($input: LookalikeAudienceInput!) {
  lookalikeAudience(input: $input) { ...AudienceFields }
}`);

export const EXPORT_AUDIENCE =
  graphql(`mutation ExportAudience($datasetName: String!, $forItems: ItemsAudienceInput, $lookalike: LookalikeAudienceInput) {
  exportAudience(datasetName: $datasetName, forItems: $forItems, lookalike: $lookalike) { id status }
}`);
export type ExportAudienceAnswer = { exportAudience: { id: string; status: string } };

export type ExportJob = {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  error: string | null;
  outputIds: string[];
};
export const EXPORT_JOB_QUERY = graphql(`query AudienceExportJob($id: ID!) {
  job(id: $id) { id status progress message error outputIds }
}`);
export type ExportJobAnswer = { job: ExportJob | null };

export const USERS_DATASET_QUERY = graphql(`query AudienceDataset($search: String!) {
  datasets(kind: USERS, search: $search, first: 50) { edges { node { id name } } }
}`);
export type UsersDatasetAnswer = { datasets: { edges: { node: { id: string; name: string } }[] } };
