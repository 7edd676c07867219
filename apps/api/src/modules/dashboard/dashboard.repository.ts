import type { PrismaClient } from "@dam/db/client";
import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

type TDb = PrismaClient;

/** Counts of datasets, READY versions, rows of the newest READY version of each dataset, jobs by status. */
export const countPlatform = async (db: TDb) => {
  const [datasetCount, versionCount, rows, jobGroups] = await Promise.all([
    db.dataset.count(),
    db.datasetVersion.count({ where: { status: "READY" } }),
    db.$queryRaw<{ rows: number | null }[]>`
      SELECT sum(v."rowCount")::float8 AS rows FROM "DatasetVersion" v
      WHERE v.status = 'READY' AND v.number = (
        SELECT max(w.number) FROM "DatasetVersion" w WHERE w."datasetId" = v."datasetId" AND w.status = 'READY')`,
    db.job.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  return {
    datasetCount,
    versionCount,
    rowCount: rows[0]?.rows ?? 0,
    jobCounts: jobGroups.map((group) => ({ status: group.status, count: group._count._all })),
  };
};

/** READY versions newest first, of one dataset or of every events dataset, with the dataset's name. */
export const findReadyVersionsForChart = (db: TDb, datasetId: string | null | undefined, take: number) =>
  db.datasetVersion.findMany({
    where: { status: "READY", ...(datasetId ? { datasetId } : { dataset: { kind: "EVENTS" } }) },
    orderBy: [{ createdAt: "desc" }],
    include: { dataset: { select: { name: true } } },
    take,
  });

/** Events per UTC day and type in a version's table, computed in Postgres. */
export const countEventsPerDay = async (
  pool: pg.Pool,
  input: { tableName: string; timestampColumn: string; eventTypeColumn: string },
) => {
  const timestamp = quoteIdent(input.timestampColumn);
  const result = await pool.query<{ day: string; event_type: string; count: number }>(
    `SELECT to_char(date_trunc('day', ${timestamp} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            ${quoteIdent(input.eventTypeColumn)}::text AS event_type, count(*)::int AS count
       FROM ${qualifiedTable(input.tableName)}
      WHERE ${timestamp} IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return result.rows;
};
