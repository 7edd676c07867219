import type { PrismaClient } from "@dam/db/client";
import type pg from "pg";
import type { TAuditedTransaction } from "../audit/audit.service.ts";

type TDb = PrismaClient;

export const findDatasetById = (db: TDb, id: string) => db.dataset.findUnique({ where: { id } });

export const findUserByEmail = (db: TDb, email: string) => db.user.findUnique({ where: { email } });

/** Writes a dataset's catalogue fields; returns it with its owner's name. */
export const updateDatasetEntry = (
  tx: TAuditedTransaction,
  id: string,
  data: { description?: string; tags?: string[]; ownerId?: string | null },
) => tx.dataset.update({ where: { id }, data, include: { owner: { select: { name: true } } } });

/**
 * Ids of datasets with a tag starting with `term` or a column of their latest READY version whose
 * name contains it (case-insensitive; `term` is lower-case with LIKE wildcards escaped).
 */
export const findDatasetIdsByTagOrColumn = async (pool: pg.Pool, term: string): Promise<string[]> => {
  const result = await pool.query<{ id: string }>(
    `SELECT d.id FROM "Dataset" d
     WHERE EXISTS (SELECT 1 FROM unnest(d.tags) AS t(tag) WHERE lower(t.tag) LIKE $1 || '%' ESCAPE '\\')
        OR EXISTS (
          SELECT 1
          FROM (SELECT v.schema FROM "DatasetVersion" v
                WHERE v."datasetId" = d.id AND v.status = 'READY'
                ORDER BY v.number DESC LIMIT 1) latest,
               jsonb_array_elements(CASE WHEN jsonb_typeof(latest.schema) = 'array' THEN latest.schema ELSE '[]'::jsonb END) AS c(col)
          WHERE lower(c.col->>'name') LIKE '%' || $1 || '%' ESCAPE '\\')`,
    [term],
  );
  return result.rows.map((row) => row.id);
};
