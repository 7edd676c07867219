import { qualifiedTable } from "@dam/db/data-plane";
import type { TErasureSubject } from "@dam/privacy/erasure-subject";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";

const ZStoredColumns = z.array(z.object({ name: z.string(), role: z.unknown().optional() }));

/** A version table and the columns that can name the subject: user-id role columns and email-tagged ones. */
export type TErasureTarget = {
  versionId: string;
  label: string;
  tableName: string;
  userIdColumns: string[];
  emailColumns: string[];
};

/**
 * Every READY version with a column that can hold the subject: a column with the userId role (user ids),
 * or a column with a live EMAIL tag (emails). Tags a steward rejected do not count.
 */
export const findErasureTargets = async (deps: TDeps): Promise<TErasureTarget[]> => {
  const versions = await deps.db.datasetVersion.findMany({
    where: { status: "READY" },
    select: {
      id: true,
      number: true,
      tableName: true,
      schema: true,
      dataset: { select: { name: true } },
      piiTags: { where: { piiType: "EMAIL", status: { not: "REJECTED" } }, select: { column: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return versions.flatMap((v) => {
    const parsed = ZStoredColumns.safeParse(v.schema);
    const columns = parsed.success ? parsed.data : [];
    const names = new Set(columns.map((c) => c.name));
    const userIdColumns = columns.filter((c) => c.role === "userId").map((c) => c.name);
    const emailColumns = [...new Set(v.piiTags.map((t) => t.column))].filter((c) => names.has(c));
    if (userIdColumns.length === 0 && emailColumns.length === 0) return [];
    return [
      {
        versionId: v.id,
        label: `${v.dataset.name} v${v.number}`,
        tableName: v.tableName,
        userIdColumns,
        emailColumns,
      },
    ];
  });
};

/** The WHERE clause matching the subjects' rows of a target, with its parameters; null when none can match. */
export const subjectCondition = (
  target: TErasureTarget,
  subjects: readonly TErasureSubject[],
): { sql: string; params: string[][] } | null => {
  const userIds = subjects.filter((s) => s.kind === "USER_ID").map((s) => s.value);
  const emails = subjects.filter((s) => s.kind === "EMAIL").map((s) => s.value);
  const parts: string[] = [];
  const params: string[][] = [];
  if (userIds.length > 0 && target.userIdColumns.length > 0) {
    params.push(userIds);
    for (const c of target.userIdColumns) parts.push(`${quoteIdent(c)}::text = ANY($${params.length})`);
  }
  if (emails.length > 0 && target.emailColumns.length > 0) {
    params.push(emails);
    for (const c of target.emailColumns)
      parts.push(`lower(btrim(${quoteIdent(c)}::text)) = ANY($${params.length})`);
  }
  return parts.length === 0 ? null : { sql: parts.join(" OR "), params };
};

/**
 * User ids that rows naming the subjects' emails carry (a users table with an email and a user id column):
 * erasing an email erases that person's behaviour too.
 */
export const findLinkedUserIds = async (
  pool: pg.Pool,
  targets: readonly TErasureTarget[],
  emails: readonly string[],
): Promise<string[]> => {
  if (emails.length === 0) return [];
  const ids = new Set<string>();
  for (const t of targets) {
    if (t.emailColumns.length === 0 || t.userIdColumns.length === 0) continue;
    const where = t.emailColumns.map((c) => `lower(btrim(${quoteIdent(c)}::text)) = ANY($1)`).join(" OR ");
    for (const u of t.userIdColumns) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT DISTINCT ${quoteIdent(u)}::text AS id FROM ${qualifiedTable(t.tableName)} WHERE (${where}) AND ${quoteIdent(u)} IS NOT NULL`,
        [emails],
      );
      for (const r of rows) ids.add(r.id);
    }
  }
  return [...ids];
};

/**
 * Deletes the subjects' rows of one version and records it, in one transaction: the version's row count
 * drops and its VersionErasure row (one per request, summed on a re-run) says how many rows went.
 */
export const eraseVersionRows = async (
  pool: pg.Pool,
  target: TErasureTarget,
  subjects: readonly TErasureSubject[],
  requestId: string,
): Promise<number> => {
  const condition = subjectCondition(target, subjects);
  if (!condition) return 0;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const deleted = await client.query(
      `DELETE FROM ${qualifiedTable(target.tableName)} WHERE ${condition.sql}`,
      condition.params,
    );
    const rows = deleted.rowCount ?? 0;
    if (rows > 0) {
      await client.query(
        // The column profile quoted the removed rows (top values, min/max): dropped with them, and made
        // again by the caller.
        `UPDATE "DatasetVersion" SET "rowCount" = GREATEST(0, "rowCount" - $2), profile = NULL WHERE id = $1`,
        [target.versionId, rows],
      );
      const columns = subjects.some((s) => s.kind === "EMAIL")
        ? [...target.userIdColumns, ...target.emailColumns]
        : target.userIdColumns;
      await client.query(
        `INSERT INTO "VersionErasure" (id, "versionId", "erasureRequestId", columns, "rowsRemoved")
         VALUES (gen_random_uuid(), $1, $2, $3, $4)
         ON CONFLICT ("versionId", "erasureRequestId")
         DO UPDATE SET "rowsRemoved" = "VersionErasure"."rowsRemoved" + EXCLUDED."rowsRemoved"`,
        [target.versionId, requestId, columns, rows],
      );
    }
    await client.query("COMMIT");
    return rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
