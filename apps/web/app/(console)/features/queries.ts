// GraphQL documents and answer types of the Features & Segments page.

export type VersionOption = { datasetName: string; versionId: string; number: number };

export type BuildJob = {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  error: string | null;
};

export type SegmentSetSummary = {
  id: string;
  status: string;
  algorithm: string;
  createdAt: string;
  metrics: { k?: number; silhouette?: number | null };
  profileSet: { id: string; userCount: number };
};

export type Segment = {
  id: string;
  index: number;
  name: string;
  size: number;
  share: number;
  topCategories: { name: string; share: number }[];
  priceBands: { name: string; share: number }[];
  rfm: { recencyDaysMedian: number; frequencyMean: number; monetaryMean: number; eventsMean: number };
};

export type SegmentSetDetail = SegmentSetSummary & {
  segments: Segment[];
  projection: { userId: string; segment: number; x: number; y: number }[];
};

export const VERSIONS_QUERY = `query FeatureInputs {
  catalogs: datasets(kind: CATALOG, first: 50) { edges { node { name latestVersion { id number status } } } }
  events: datasets(kind: EVENTS, first: 50) { edges { node { name latestVersion { id number status } } } }
  segmentSets(first: 10) { edges { node { id status algorithm createdAt metrics profileSet { id userCount } } } }
}`;

export const START_PIPELINE = `mutation StartPipeline($c: ID!, $e: ID!, $s: JSON) {
  runFeaturePipeline(catalogVersionId: $c, eventsVersionId: $e, segmentParams: $s) {
    embedJob { id } profileSet { id } segmentSet { id }
  }
}`;

const JOB_FIELDS = "id status progress message error";

export const PIPELINE_PROGRESS = `query PipelineProgress($embedJob: ID!, $set: ID!) {
  job(id: $embedJob) { ${JOB_FIELDS} }
  segmentSet(id: $set) { id status job { ${JOB_FIELDS} } profileSet { id status job { ${JOB_FIELDS} } } }
}`;

export const SEGMENT_SET_QUERY = `query SegmentSet($id: ID!) {
  segmentSet(id: $id) {
    id status algorithm createdAt metrics profileSet { id userCount }
    segments { id index name size share topCategories { name share } priceBands { name share }
      rfm { recencyDaysMedian frequencyMean monetaryMean eventsMean } }
    projection(first: 2000) { userId segment x y }
  }
}`;

export const EXPORT_AUDIENCE = `mutation ExportAudience($id: ID!) { exportSegmentAudience(segmentId: $id) { id status } }`;

export type PipelineProgressAnswer = {
  job: BuildJob | null;
  segmentSet: {
    id: string;
    status: string;
    job: BuildJob | null;
    profileSet: { id: string; status: string; job: BuildJob | null };
  } | null;
};
