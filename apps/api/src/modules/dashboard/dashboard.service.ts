import type { JobStatus } from "@dam/db/client";
import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
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

const chartColumns = (schema: unknown) => {
  const columns = (schema as TSchemaColumn[] | null) ?? [];
  const timestamp = columns.find((column) => column.role === "timestamp" && column.type === "timestamp");
  const eventType = columns.find((column) => column.role === "eventType");
  return timestamp && eventType ? { timestamp, eventType } : null;
};

export type TEventsChart = {
  version: { versionId: string; datasetId: string; datasetName: string; number: number } | null;
  days: { day: string; eventType: string; count: number }[];
};

/**
 * Events per UTC day and type, computed inside Postgres on the version's own table, with the version
 * it was read from. Without a dataset, the newest READY events version whose columns have the
 * timestamp and eventType roles: one dataset without roles must not blank the dashboard.
 */
export const getEventsChart = async (deps: TDeps, datasetId?: string | null): Promise<TEventsChart> => {
  const candidates = await deps.db.datasetVersion.findMany({
    where: { status: "READY", ...(datasetId ? { datasetId } : { dataset: { kind: "EVENTS" } }) },
    orderBy: [{ createdAt: "desc" }],
    include: { dataset: { select: { name: true } } },
    take: datasetId ? 1 : 50,
  });
  if (candidates.length === 0) return { version: null, days: [] };
  const found = candidates
    .map((candidate) => ({ version: candidate, chart: chartColumns(candidate.schema) }))
    .find((candidate) => candidate.chart !== null);
  if (!found?.chart) {
    const first = candidates[0];
    if (!datasetId) return { version: null, days: [] };
    throw new AppError(
      "PRECONDITION_FAILED",
      `${first?.dataset.name} v${first?.number} needs columns with the roles \`timestamp\` (a timestamp) and \`eventType\`; set them on the version's page`,
    );
  }
  const { version } = found;
  const { timestamp, eventType } = found.chart;
  const result = await deps.pool.query<{ day: string; event_type: string; count: number }>(
    `SELECT to_char(date_trunc('day', ${quoteIdent(timestamp.name)} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            ${quoteIdent(eventType.name)}::text AS event_type, count(*)::int AS count
       FROM ${qualifiedTable(version.tableName)}
      WHERE ${quoteIdent(timestamp.name)} IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return {
    version: {
      versionId: version.id,
      datasetId: version.datasetId,
      datasetName: version.dataset.name,
      number: version.number,
    },
    days: result.rows.map((row) => ({
      day: row.day,
      eventType: row.event_type ?? "(none)",
      count: row.count,
    })),
  };
};

/** The chart's days alone (the older query, kept for clients that read it). */
export const getEventsPerDay = async (deps: TDeps, datasetId?: string | null) =>
  (await getEventsChart(deps, datasetId)).days;
