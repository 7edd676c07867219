import type { TDeps } from "../../deps.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { getLabelProject, resolveLabellerId } from "./labelling.service.ts";
import { getVisibleLabelProject } from "./labelling-members.service.ts";
import {
  countProjectProgress,
  findLabellerProgressRows,
  type TProgressRow,
} from "./labelling-progress.repository.ts";

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
  const row = await countProjectProgress(deps, project);
  return { ...row, slots: row.tasks * project.overlap };
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
  return (await findLabellerProgressRows(deps, project.id, null)).map((row) => toProgress(row, true));
};

/** The caller's own counts; accuracy stays hidden, since comparing with gold would reveal others' answers. */
export const myLabelProgress = async (
  deps: TDeps,
  principal: TPrincipal,
  projectId: string,
): Promise<TLabellerProgress> => {
  const project = await getVisibleLabelProject(deps, principal, projectId);
  const userId = await resolveLabellerId(deps, principal);
  const [row] = await findLabellerProgressRows(deps, project.id, userId);
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
