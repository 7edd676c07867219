// The progress counts of a label project, each computed in one statement in PostgreSQL.
import type { TDeps } from "../../deps.ts";
import type { TLabellerProgress, TProjectProgress } from "./labelling-progress.service.ts";

export const countProjectProgress = async (
  deps: TDeps,
  project: { id: string; overlap: number },
): Promise<Omit<TProjectProgress, "slots">> => {
  const result = await deps.pool.query<Omit<TProjectProgress, "slots">>(
    `SELECT
       (SELECT count(*)::int FROM "LabelTask" t WHERE t."projectId" = $1) AS tasks,
       (SELECT count(*)::int FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
          WHERE t."projectId" = $1 AND NOT l."isGold") AS labels,
       (SELECT count(*)::int FROM "LabelTask" t WHERE t."projectId" = $1 AND
          (SELECT count(*) FROM "Label" l WHERE l."taskId" = t.id AND NOT l."isGold") >= $2) AS "completeTasks",
       (SELECT count(*)::int FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
          WHERE t."projectId" = $1 AND a.status = 'LEASED' AND a."leaseExpiresAt" > now()) AS "activeLeases",
       (SELECT count(*)::int FROM "LabelTask" t WHERE t."projectId" = $1 AND t."goldValue" IS NOT NULL) AS "goldTasks"`,
    [project.id, project.overlap],
  );
  return result.rows[0] as Omit<TProjectProgress, "slots">;
};

export type TProgressRow = Omit<TLabellerProgress, "labeller" | "accuracy"> & {
  userId: string;
  name: string;
  agreeing: number;
};

/** Per person who leased or labelled in the project (or only `userId`): their counts, by name. */
export const findLabellerProgressRows = async (
  deps: TDeps,
  projectId: string,
  userId: string | null,
): Promise<TProgressRow[]> => {
  const result = await deps.pool.query<TProgressRow>(
    `WITH people AS (
       SELECT DISTINCT a."userId" FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
       WHERE t."projectId" = $1
       UNION SELECT DISTINCT l."userId" FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
       WHERE t."projectId" = $1 AND NOT l."isGold")
     SELECT p."userId", u.name,
       (SELECT count(*)::int FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
          WHERE t."projectId" = $1 AND l."userId" = p."userId" AND NOT l."isGold") AS labels,
       (SELECT count(*)::int FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
          WHERE t."projectId" = $1 AND a."userId" = p."userId" AND a.status = 'SKIPPED') AS skipped,
       (SELECT count(*)::int FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
          WHERE t."projectId" = $1 AND a."userId" = p."userId" AND a.status = 'LEASED'
            AND a."leaseExpiresAt" > now()) AS "activeLeases",
       (SELECT count(*)::int FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
          WHERE t."projectId" = $1 AND l."userId" = p."userId" AND NOT l."isGold"
            AND t."goldValue" IS NOT NULL) AS "goldCompared",
       (SELECT count(*)::int FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
          WHERE t."projectId" = $1 AND l."userId" = p."userId" AND NOT l."isGold"
            AND l.value = t."goldValue") AS agreeing
     FROM people p JOIN "User" u ON u.id = p."userId"
     WHERE $2::uuid IS NULL OR p."userId" = $2::uuid
     ORDER BY u.name, p."userId"`,
    [projectId, userId],
  );
  return result.rows;
};
