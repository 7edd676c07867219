// GraphQL documents and answer types of the Features & Segments page.
import { graphql } from "@/lib/generated/gql";
import type {
  FeatureInputsQuery,
  FeatureJobFieldsFragment,
  PipelineProgressQuery,
  SegmentSetQuery,
} from "@/lib/generated/gql/graphql";
import { asRecord } from "@/lib/json";

/** The console's own: one entry of a version picker, flattened from a dataset and its latest version. */
export type VersionOption = { datasetName: string; versionId: string; number: number };

export const VERSIONS_QUERY = graphql(`query FeatureInputs {
  catalogs: datasets(kind: CATALOG, first: 50) { edges { node { name latestVersion { id number status } } } }
  events: datasets(kind: EVENTS, first: 50) { edges { node { name latestVersion { id number status } } } }
  segmentSets(first: 10) { edges { node { id status algorithm createdAt metrics profileSet { id userCount } } } }
}`);

export const START_PIPELINE = graphql(`mutation StartPipeline($input: RunFeaturePipelineInput!) {
  runFeaturePipeline(input: $input) {
    embedJob { id } profileSet { id } segmentSet { id }
  }
}`);

export const FeatureJobFieldsFragmentDoc = graphql(`
  fragment FeatureJobFields on Job {
    id status progress message error
  }
`);

export const PIPELINE_PROGRESS = graphql(`query PipelineProgress($embedJob: ID!, $set: ID!) {
  job(id: $embedJob) { ...FeatureJobFields }
  segmentSet(id: $set) { id status job { ...FeatureJobFields } profileSet { id status job { ...FeatureJobFields } } }
}`);

export const SEGMENT_SET_QUERY = graphql(`query SegmentSet($id: ID!) {
  segmentSet(id: $id) {
    id status algorithm createdAt metrics profileSet { id userCount }
    segments { id index name size share topCategories { name share } priceBands { name share }
      rfm { recencyDaysMedian frequencyMean monetaryMean eventsMean } }
    projection(first: 2000) { userId segment x y }
  }
}`);

export const EXPORT_AUDIENCE = graphql(
  `mutation ExportSegmentAudience($id: ID!) { exportSegmentAudience(segmentId: $id) { id status } }`,
);

export type PipelineProgressAnswer = PipelineProgressQuery;
export type BuildJob = FeatureJobFieldsFragment;
export type SegmentSetSummary = FeatureInputsQuery["segmentSets"]["edges"][number]["node"];
export type SegmentSetDetail = NonNullable<SegmentSetQuery["segmentSet"]>;
export type Segment = SegmentSetDetail["segments"][number];

/** A segment set's metrics (JSON): k and the silhouette, when the clustering recorded them. */
export const segmentMetrics = (metrics: unknown): { k?: number; silhouette?: number | null } => {
  const record = asRecord(metrics);
  return {
    k: typeof record.k === "number" ? record.k : undefined,
    silhouette: typeof record.silhouette === "number" ? record.silhouette : null,
  };
};
