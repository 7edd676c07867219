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
