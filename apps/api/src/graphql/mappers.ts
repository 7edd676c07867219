import type { ApiKey, AuditEvent, Dataset, DatasetVersion, Job } from "@dam/db/client";

// Parent types of the GraphQL resolvers: what services return, before field resolvers shape it.
export type TDatasetModel = Dataset & { owner: { name: string } | null };
export type TDatasetVersionModel = DatasetVersion;
export type TJobModel = Job;
export type TApiKeyModel = ApiKey;
export type TAuditEventModel = Omit<AuditEvent, "id"> & { id: string };
