import { qualifiedTable } from "@dam/db/data-plane";
import { COLUMN_TYPES } from "@dam/vocabulary/column-types";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { runProfileQuery, saveVersionProfile } from "./column-stats.repository.ts";
import { formatCell, type TColumnProfile, type TVersionProfile } from "./profile-schema.ts";
import {
  buildBasicStatsSql,
  buildHistogramSql,
  buildQuantilesSql,
  buildTopValuesSql,
  histogramBounds,
  isMeasurable,
  QUANTILE_LEVELS,
  type TProfiledColumn,
} from "./profile-sql.ts";

const ZStoredColumns = z.array(z.object({ name: z.string(), type: z.enum(COLUMN_TYPES) }));

type TRow = Record<string, unknown>;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A measurable value as a number: timestamps in seconds since the epoch, like the SQL measure. */
const measure = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.getTime() / 1000 : Number(value);
};

/**
 * Profiles a READY version inside Postgres: one scan for the basic statistics of all columns, one for
 * the quantiles of all measurable columns, then per column a histogram and its top values. Writes the
 * whole profile at once at the end, so a run that stops half-way leaves the previous profile (or none)
 * and running it again is always safe.
 */
export const computeVersionProfile = async (
  deps: TDeps,
  versionId: string,
  ctx: TJobContext,
): Promise<TVersionProfile> => {
  const started = performance.now();
  const version = await findVersionById(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  if (version.status !== "READY") {
    throw new UnrecoverableError(`Dataset version ${versionId} is ${version.status}, not READY`);
  }
  const parsedColumns = ZStoredColumns.safeParse(version.schema);
  if (!parsedColumns.success) throw new UnrecoverableError(`Version ${versionId} has no valid schema`);
  const columns: TProfiledColumn[] = parsedColumns.data;
  const table = qualifiedTable(version.tableName);

  await ctx.progress(1, "basic statistics");
  const basic = (await runProfileQuery(deps.pool, buildBasicStatsSql(table, columns)))[0] ?? {};
  const rowCount = Number(basic.row_count ?? 0);
  await ctx.checkpoint();

  await ctx.progress(10, "quantiles");
  const quantileQuery = buildQuantilesSql(table, columns);
  const quantileRow: TRow = quantileQuery
    ? ((await runProfileQuery(deps.pool, quantileQuery.sql))[0] ?? {})
    : {};

  const profiles: TColumnProfile[] = [];
  for (const [i, column] of columns.entries()) {
    await ctx.checkpoint();
    profiles.push(await profileColumn(deps, table, column, i, basic, quantileRow, rowCount));
    await ctx.progress(
      20 + (80 * (i + 1)) / columns.length,
      `profiled ${column.name} (${i + 1}/${columns.length})`,
    );
  }

  const profile: TVersionProfile = {
    formatVersion: 1,
    rowCount,
    computedAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    columns: profiles,
  };
  await saveVersionProfile(deps.db, versionId, profile);
  return profile;
};

const profileColumn = async (
  deps: TDeps,
  table: string,
  column: TProfiledColumn,
  i: number,
  basic: TRow,
  quantileRow: TRow,
  rowCount: number,
): Promise<TColumnProfile> => {
  const nonNull = Number(basic[`c${i}_non_null`] ?? 0);
  const measurable = isMeasurable(column.type);
  const min = measurable ? basic[`c${i}_min`] : null;
  const max = measurable ? basic[`c${i}_max`] : null;

  const topRows = await runProfileQuery(deps.pool, buildTopValuesSql(table, column));
  const histogram: TColumnProfile["histogram"] = [];
  const low = measure(min);
  const high = measure(max);
  if (measurable && low !== null && high !== null && nonNull > 0) {
    const bounds = histogramBounds(low, high);
    const counts = new Map<number, number>();
    if (bounds.length > 1) {
      const rows = await runProfileQuery(deps.pool, buildHistogramSql(table, column), [low, high]);
      // Sub-millisecond timestamps can fall just outside bounds rounded to milliseconds: clamp them in.
      for (const row of rows) {
        const bin = Math.min(Math.max(Number(row.bin), 1), bounds.length);
        counts.set(bin, (counts.get(bin) ?? 0) + Number(row.n));
      }
    } else counts.set(1, nonNull);
    bounds.forEach((bound, b) => {
      histogram.push({ ...bound, count: counts.get(b + 1) ?? 0 });
    });
  }
  const quantiles = (quantileRow[`c${i}_q`] as unknown[] | undefined) ?? [];

  return {
    name: column.name,
    type: column.type,
    nullCount: rowCount - nonNull,
    nullFraction: rowCount > 0 ? (rowCount - nonNull) / rowCount : 0,
    distinctCount: Number(basic[`c${i}_distinct`] ?? 0),
    min: min === null || min === undefined ? null : formatCell(min),
    max: max === null || max === undefined ? null : formatCell(max),
    mean: num(basic[`c${i}_mean`]),
    stddev: num(basic[`c${i}_stddev`]),
    quantiles:
      quantiles.length === QUANTILE_LEVELS.length
        ? QUANTILE_LEVELS.map((p, q) => ({ p, value: Number(quantiles[q]) }))
        : [],
    histogram,
    topValues: topRows.map((row) => ({ value: formatCell(row.value), count: Number(row.n) })),
    minLength: num(basic[`c${i}_min_length`]),
    maxLength: num(basic[`c${i}_max_length`]),
    meanLength: num(basic[`c${i}_mean_length`]),
  };
};
