import type { JobStatus } from "@dam/db/client";
import { qualifiedTable, quoteIdent } from "@dam/db/data-plane";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";

const JOB_STATUSES: JobStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

export const getPlatformStats = async (deps: TDeps) => {
  const [datasetCount, versionCount, rows, jobGroups] = await Promise.all([
    deps.db.dataset.count(),
    deps.db.datasetVersion.count({ where: { status: "READY" } }),
    deps.db.$queryRaw<{ rows: number | null }[]>`
      SELECT sum(v."rowCount")::float8 AS rows FROM "DatasetVersion" v
      WHERE v.status = 'READY' AND v.number = (
        SELECT max(w.number) FROM "DatasetVersion" w WHERE w."datasetId" = v."datasetId" AND w.status = 'READY')`,
    deps.db.job.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const counts = new Map(jobGroups.map((group) => [group.status, group._count._all]));
  return {
    datasetCount,
    versionCount,
    rowCount: rows[0]?.rows ?? 0,
    jobCounts: JOB_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
  };
};

type TSchemaColumn = { name: string; type: string; role?: string | null };

/** Events per UTC day and type, computed inside Postgres on the version's own table. */
export const getEventsPerDay = async (deps: TDeps, datasetId?: string | null) => {
  const version = await deps.db.datasetVersion.findFirst({
    where: { status: "READY", ...(datasetId ? { datasetId } : { dataset: { kind: "EVENTS" } }) },
    orderBy: [{ createdAt: "desc" }],
  });
  if (!version) return [];
  const columns = (version.schema as TSchemaColumn[]) ?? [];
  const timestamp = columns.find((column) => column.role === "timestamp" && column.type === "timestamp");
  const eventType = columns.find((column) => column.role === "eventType");
  if (!timestamp || !eventType) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "The events version needs columns with the roles `timestamp` (a timestamp) and `eventType`",
    );
  }
  const result = await deps.pool.query<{ day: string; event_type: string; count: number }>(
    `SELECT to_char(date_trunc('day', ${quoteIdent(timestamp.name)} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            ${quoteIdent(eventType.name)}::text AS event_type, count(*)::int AS count
       FROM ${qualifiedTable(version.tableName)}
      WHERE ${quoteIdent(timestamp.name)} IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return result.rows.map((row) => ({
    day: row.day,
    eventType: row.event_type ?? "(none)",
    count: row.count,
  }));
};
