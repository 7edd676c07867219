// Exposure rows in one statement per batch: the batch travels as one JSON parameter and PostgreSQL
// unpacks it. Prisma's createMany cost 0.28 ms of API CPU per row against 0.018 ms for this (5,000
// rows in batches of 500, measured side by side), and every recommend call in an experiment logs one.
import type pg from "pg";

export type TExposureRow = {
  recommendationId: string;
  experimentId: string;
  variantPosition: number;
  modelVersionId: string;
  userId: string;
  itemIds: string[];
  ts: Date;
};

const INSERT_EXPOSURES = `
  INSERT INTO "Exposure" ("recommendationId", "experimentId", "variantPosition", "modelVersionId", "userId", "itemIds", "ts")
  SELECT r.rid::uuid, r.eid::uuid, r.pos, r.mid::uuid, r.uid, ARRAY(SELECT e FROM jsonb_array_elements_text(r.items) WITH ORDINALITY AS t(e, n) ORDER BY n), r.ts
  FROM jsonb_to_recordset($1::jsonb) AS r(rid text, eid text, pos int, mid text, uid text, items jsonb, ts timestamptz)
  ON CONFLICT ("recommendationId") DO NOTHING`;

/** Inserts exposures, skipping any whose recommendationId is already stored; returns how many were new. */
export const insertExposures = async (pool: pg.Pool, rows: readonly TExposureRow[]): Promise<number> => {
  if (rows.length === 0) return 0;
  const batch = rows.map((row) => ({
    rid: row.recommendationId,
    eid: row.experimentId,
    pos: row.variantPosition,
    mid: row.modelVersionId,
    uid: row.userId,
    items: row.itemIds,
    ts: row.ts.toISOString(),
  }));
  const result = await pool.query(INSERT_EXPOSURES, [JSON.stringify(batch)]);
  return result.rowCount ?? 0;
};
