import type { TDeps } from "../../deps.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { getLabelProject, resolveLabellerId } from "./labelling.service.ts";
import { getVisibleLabelProject } from "./labelling-members.service.ts";

export type TProjectProgress = {
  tasks: number;
  slots: number;
  labels: number;
  completeTasks: number;
  activeLeases: number;
  goldTasks: number;
};

export type TLabellerProgress = {
  labeller: { userId: string; name: string };
  labels: number;
  skipped: number;
  activeLeases: number;
  goldCompared: number;
  accuracy: number | null;
};

/** Counts computed in one statement in Postgres: progress bars are polled, so they must stay cheap. */
export const projectProgress = async (
  deps: TDeps,
  project: { id: string; overlap: number },
): Promise<TProjectProgress> => {
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
  const row = result.rows[0] as Omit<TProjectProgress, "slots">;
  return { ...row, slots: row.tasks * project.overlap };
};

type TProgressRow = Omit<TLabellerProgress, "labeller" | "accuracy"> & {
  userId: string;
  name: string;
  agreeing: number;
};

const progressRows = async (
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

const toProgress = (row: TProgressRow, withAccuracy: boolean): TLabellerProgress => ({
  labeller: { userId: row.userId, name: row.name },
  labels: row.labels,
  skipped: row.skipped,
  activeLeases: row.activeLeases,
  goldCompared: row.goldCompared,
  accuracy: withAccuracy && row.goldCompared > 0 ? row.agreeing / row.goldCompared : null,
});

export const labellerProgress = async (deps: TDeps, projectId: string): Promise<TLabellerProgress[]> => {
  const project = await getLabelProject(deps, projectId);
  return (await progressRows(deps, project.id, null)).map((row) => toProgress(row, true));
};

/** The caller's own counts; accuracy stays hidden, since comparing with gold would reveal others' answers. */
export const myLabelProgress = async (
  deps: TDeps,
  principal: TPrincipal,
  projectId: string,
): Promise<TLabellerProgress> => {
  const project = await getVisibleLabelProject(deps, principal, projectId);
  const userId = await resolveLabellerId(deps, principal);
  const [row] = await progressRows(deps, project.id, userId);
  if (row) return toProgress(row, false);
  return {
    labeller: { userId, name: principal.name },
    labels: 0,
    skipped: 0,
    activeLeases: 0,
    goldCompared: 0,
    accuracy: null,
  };
};
