// Tasks whose labels disagree, found in PostgreSQL: values are stored normalised, so jsonb equality is
// answer equality.
import type { TDeps } from "../../deps.ts";

type TDisagreementFilter = { projectId: string; includeAdjudicated: boolean };

const DISAGREEMENT = `t."projectId" = $1 AND ($2::boolean OR t."goldValue" IS NULL)
    AND (SELECT count(DISTINCT l.value) FROM "Label" l WHERE l."taskId" = t.id AND NOT l."isGold") > 1`;

/** Ids of disagreeing tasks after `after` (by id), at most `limit`. */
export const findDisagreementIds = async (
  deps: TDeps,
  input: TDisagreementFilter & { after: string | null; limit: number },
): Promise<string[]> => {
  const result = await deps.pool.query<{ id: string }>(
    `SELECT t.id FROM "LabelTask" t WHERE ${DISAGREEMENT} AND ($3::uuid IS NULL OR t.id > $3::uuid) ORDER BY t.id LIMIT $4`,
    [input.projectId, input.includeAdjudicated, input.after, input.limit],
  );
  return result.rows.map((row) => row.id);
};

export const countDisagreements = async (deps: TDeps, input: TDisagreementFilter): Promise<number> => {
  const result = await deps.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "LabelTask" t WHERE ${DISAGREEMENT}`,
    [input.projectId, input.includeAdjudicated],
  );
  return result.rows[0]?.n ?? 0;
};
