import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";

// Prisma 7 has no Rust query engine: the client talks to Postgres through a driver adapter. adapter-pg is
// used for every server, the embedded one included (embedded.ts runs a real PostgreSQL), so every consumer
// has a single code path whatever the database.
export function createPrismaClient(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(
      { connectionString: databaseUrl, max: options.max ?? 10 },
      { onPoolError: noteLostConnection, onConnectionError: noteLostConnection },
    ),
  });
}

// An idle client whose server went away (restart, failover, embedded database stopping) emits `error`
// on its pool; unhandled, that would crash the process. The pool drops the client and the next query
// opens a new connection, so noting it is enough.
const noteLostConnection = (error: Error): void => {
  process.stderr.write(
    `${JSON.stringify({ t: new Date().toISOString(), level: "warn", msg: "idle database connection lost", error: error.message })}\n`,
  );
};

// For the SQL the Prisma client cannot express (data-plane tables, bulk loads, advisory locks).
export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on("error", noteLostConnection);
  return pool;
}

export type {
  ApiKey,
  AuditEvent,
  CleaningRecipe,
  Dataset,
  DatasetVersion,
  EmbeddingSet,
  ErasureRequest,
  Experiment,
  ExperimentVariant,
  FeatureSet,
  ImageSet,
  Job,
  Label,
  LabelAssignment,
  LabelProject,
  LabelSchema,
  LabelTask,
  LineageEdge,
  LineageNode,
  ModelVersion,
  ProfileSet,
  QualityResult,
  QualityRule,
  QualityRun,
  RejectedRow,
  RetentionRun,
  SearchRule,
  Segment,
  SegmentSet,
  User,
} from "./generated/prisma/client.ts";
// `Prisma` is a value: it carries the error classes (Prisma.PrismaClientKnownRequestError), `Prisma.sql`,
// `Prisma.DbNull` / `Prisma.JsonNull` as well as the input and payload types.
export { Prisma } from "./generated/prisma/client.ts";
// The generator emits each enum as a const object plus a same-named union type; exporting the value
// exports both.
export {
  ArtifactStatus,
  DatasetKind,
  JobStatus,
  ModelStatus,
  Role,
  RunStatus,
  Severity,
  VersionStatus,
} from "./generated/prisma/enums.ts";
export type { PrismaClient };
