// Experiments and their variants, the credited events, and the aggregates their results are computed
// from. No decisions: the services validate, choose and audit.
import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { findConnectionPage } from "../core/pagination.ts";

/** The Prisma client or a transaction's client: an experiment write and its audit entry commit together. */
export type TExperimentWriter = Pick<PrismaClient, "experiment">;

const WITH_VARIANTS = { variants: { orderBy: { position: "asc" as const } } };

export const findExperimentById = (deps: TDeps, id: string) =>
  deps.db.experiment.findUnique({ where: { id }, include: WITH_VARIANTS });

export const findExperimentByName = (deps: TDeps, name: string) =>
  deps.db.experiment.findUnique({ where: { name } });

/** The newest 200 experiments, of one model name or all. */
/** A page of experiments, newest first, optionally of one model name. */
export const findExperimentsPage = (
  deps: TDeps,
  args: { modelName?: string | null; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.experiment,
    {
      where: args.modelName ? { modelName: args.modelName } : {},
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: WITH_VARIANTS,
    },
    args,
  );

export const findRunningExperiments = (deps: TDeps) =>
  deps.db.experiment.findMany({ where: { status: "RUNNING" }, include: WITH_VARIANTS });

export const createExperimentRow = (db: TExperimentWriter, data: Prisma.ExperimentCreateInput) =>
  db.experiment.create({ data, include: WITH_VARIANTS });

export const updateExperiment = (db: TExperimentWriter, id: string, data: Prisma.ExperimentUpdateInput) =>
  db.experiment.update({ where: { id }, data, include: WITH_VARIANTS });

/**
 * Sets the experiment RUNNING, with `alsoWrite` (its audit entry), in one serialisable transaction
 * unless another experiment already runs on the same model name: then nothing is written and that one
 * is returned as `running`.
 */
export const startExperimentRow = (
  deps: TDeps,
  experiment: { id: string; modelName: string },
  alsoWrite: (tx: TAuditedTransaction) => Promise<void>,
) =>
  deps.db.$transaction(
    async (tx) => {
      const other = await tx.experiment.findFirst({
        where: { modelName: experiment.modelName, status: "RUNNING" },
      });
      if (other) return { running: other, started: null };
      const started = await updateExperiment(tx, experiment.id, { status: "RUNNING", startedAt: new Date() });
      await alsoWrite(tx);
      return { running: null, started };
    },
    { isolationLevel: "Serializable" },
  );

export type TExperimentEventRow = {
  experimentId: string;
  variantPosition: number;
  recommendationId: string;
  userId: string;
  itemId: string;
  position: number | null;
  type: string;
  value: number;
  ts: Date;
};

export const insertExperimentEvents = async (deps: TDeps, rows: TExperimentEventRow[]): Promise<void> => {
  await deps.db.experimentEvent.createMany({ data: rows });
};

export const findExposuresByRecommendationIds = (deps: TDeps, ids: string[]) =>
  deps.db.exposure.findMany({ where: { recommendationId: { in: ids } } });

/** The exposures of these users since `since`, newest first. */
export const findExposuresOfUsersSince = (deps: TDeps, userIds: string[], since: Date) =>
  deps.db.exposure.findMany({
    where: { userId: { in: userIds }, ts: { gte: since } },
    orderBy: { ts: "desc" },
  });

export type TDayRow = {
  day: Date;
  unit: "MINUTE" | "HOUR" | "DAY";
  v: number;
  users: number;
  clicked: number;
  carted: number;
  bought: number;
  revenue: number;
  revenue_sq: number;
};

// One row per (period, variant): users first exposed by the end of that period and their outcomes by
// then. The period is a minute while the traffic spans under two hours, an hour while it spans under
// three days, else a day: a young experiment (the usual case on its first day) still gets a curve
// instead of one point, and an old one at most a point a day.
const TIMELINE_SQL = `
WITH u AS (
  SELECT "variantPosition" AS v, "userId" AS uid, min(ts) AS first_ts
  FROM "Exposure" WHERE "experimentId" = $1 GROUP BY 1, 2
), e AS (
  SELECT "variantPosition" AS v, "userId" AS uid, type, value, ts
  FROM "ExperimentEvent" WHERE "experimentId" = $1
), span AS (
  SELECT min(first_ts) AS lo, greatest(max(first_ts), (SELECT max(ts) FROM e)) AS hi FROM u
), unit AS (
  SELECT CASE WHEN hi - lo < interval '2 hours' THEN 'minute'
              WHEN hi - lo < interval '3 days' THEN 'hour' ELSE 'day' END AS name
  FROM span WHERE lo IS NOT NULL
), periods AS (
  SELECT generate_series(date_trunc(unit.name, lo), date_trunc(unit.name, hi), ('1 ' || unit.name)::interval) AS d,
         ('1 ' || unit.name)::interval AS step
  FROM span, unit
), per AS (
  SELECT periods.d, u.v, u.uid,
    coalesce(bool_or(e.type = ANY($2::text[])), false) AS clicked,
    coalesce(bool_or(e.type = ANY($3::text[])), false) AS carted,
    coalesce(bool_or(e.type = $4), false) AS bought,
    coalesce(sum(e.value) FILTER (WHERE e.type = $4), 0) AS revenue
  FROM periods
  JOIN u ON u.first_ts < periods.d + periods.step
  LEFT JOIN e ON e.uid = u.uid AND e.v = u.v AND e.ts < periods.d + periods.step
  GROUP BY periods.d, u.v, u.uid
)
SELECT d AS day, (SELECT upper(name) FROM unit) AS unit, v, count(*)::int AS users,
  sum(clicked::int)::int AS clicked, sum(carted::int)::int AS carted, sum(bought::int)::int AS bought,
  sum(revenue)::float8 AS revenue, sum(revenue * revenue)::float8 AS revenue_sq
FROM per GROUP BY d, v ORDER BY d, v`;

const TRAFFIC_SQL = `
SELECT x.v, coalesce(x.users, 0)::int AS users, coalesce(x.exposures, 0)::int AS exposures,
  coalesce(y.events, 0)::int AS events
FROM (SELECT "variantPosition" AS v, count(DISTINCT "userId") AS users, count(*) AS exposures
      FROM "Exposure" WHERE "experimentId" = $1 GROUP BY 1) x
LEFT JOIN (SELECT "variantPosition" AS v, count(*) AS events FROM "ExperimentEvent" WHERE "experimentId" = $1 GROUP BY 1) y
  ON x.v = y.v`;

/** Per (period, variant), the cumulative per-user outcomes (TIMELINE_SQL). */
export const readOutcomeTimeline = async (
  deps: TDeps,
  experimentId: string,
  types: { click: readonly string[]; cart: readonly string[]; purchase: string },
): Promise<TDayRow[]> => {
  const result = await deps.pool.query<TDayRow>(TIMELINE_SQL, [
    experimentId,
    types.click,
    types.cart,
    types.purchase,
  ]);
  return result.rows;
};

/** Per variant: users exposed, exposures and credited events. */
export const readVariantTraffic = async (deps: TDeps, experimentId: string) => {
  const result = await deps.pool.query<{ v: number; users: number; exposures: number; events: number }>(
    TRAFFIC_SQL,
    [experimentId],
  );
  return result.rows;
};
