import type { JobStatus } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { countEventsPerDay, countPlatform, findReadyVersionsForChart } from "./dashboard.repository.ts";

const JOB_STATUSES: JobStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

export const getPlatformStats = async (deps: TDeps) => {
  const { jobCounts, ...counts } = await countPlatform(deps.db);
  const byStatus = new Map(jobCounts.map((group) => [group.status, group.count]));
  return {
    ...counts,
    jobCounts: JOB_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
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
  const candidates = await findReadyVersionsForChart(deps.db, datasetId, datasetId ? 1 : 50);
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
  const rows = await countEventsPerDay(deps.pool, {
    tableName: version.tableName,
    timestampColumn: timestamp.name,
    eventTypeColumn: eventType.name,
  });
  return {
    version: {
      versionId: version.id,
      datasetId: version.datasetId,
      datasetName: version.dataset.name,
      number: version.number,
    },
    days: rows.map((row) => ({
      day: row.day,
      eventType: row.event_type ?? "(none)",
      count: row.count,
    })),
  };
};

/** The chart's days alone (the older query, kept for clients that read it). */
export const getEventsPerDay = async (deps: TDeps, datasetId?: string | null) =>
  (await getEventsChart(deps, datasetId)).days;
