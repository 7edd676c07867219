// GraphQL documents of the Audiences page; answer types come from the generated client.
import { graphql } from "@/lib/generated/gql";
import type {
  AudienceExportJobFieldsFragment,
  AudienceFieldsFragment,
  AudienceInputsQuery,
} from "@/lib/generated/gql/graphql";

export type { ItemsAudienceInput, LookalikeAudienceInput } from "@/lib/generated/gql/graphql";

export const AUDIENCE_INPUTS_QUERY = graphql(`query AudienceInputs {
  servingModels { id name version algorithm categories }
  segmentSets(first: 10) { edges { node { id status algorithm createdAt segments { id name size } } } }
}`);

export const AudienceFieldsFragmentDoc = graphql(`
  fragment AudienceFields on Audience {
    kind modelVersionId profileSetId targetItems seedUsers eligibleUsers excludedBuyers
  members { userId score } reach { size meanScore affinityIndex }
  }
`);

export const ITEMS_AUDIENCE_QUERY = graphql(`query ItemsAudience($input: ItemsAudienceInput!) {
  audienceForItems(input: $input) { ...AudienceFields }
}`);
export const LOOKALIKE_AUDIENCE_QUERY = graphql(`query LookalikeAudience($input: LookalikeAudienceInput!) {
  lookalikeAudience(input: $input) { ...AudienceFields }
}`);

export const AudienceExportJobFieldsFragmentDoc = graphql(`
  fragment AudienceExportJobFields on Job { id status progress message error outputIds }
`);

export const EXPORT_AUDIENCE = graphql(`mutation ExportAudience($input: ExportAudienceInput!) {
  exportAudience(input: $input) { ...AudienceExportJobFields }
}`);

export const EXPORT_JOB_QUERY = graphql(`query AudienceExportJob($id: ID!) {
  job(id: $id) { ...AudienceExportJobFields }
}`);

export const USERS_DATASET_QUERY = graphql(`query AudienceDataset($search: String!) {
  datasets(kind: USERS, search: $search, first: 50) { edges { node { id name } } }
}`);

export type ModelOption = AudienceInputsQuery["servingModels"][number];
type TSegmentSetNode = AudienceInputsQuery["segmentSets"]["edges"][number]["node"];
/** A segment with the set it belongs to, flattened for the seed picker. */
export type SegmentOption = TSegmentSetNode["segments"][number] & {
  setId: TSegmentSetNode["id"];
  algorithm: TSegmentSetNode["algorithm"];
};
export type Audience = AudienceFieldsFragment;
export type ExportJob = AudienceExportJobFieldsFragment;
