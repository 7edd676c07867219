// Prisma reads and writes of the labelling area: schemas, projects, members, tasks, labels and
// assignments, plus the dataset versions a project reads. The row-locking SQL of the queue is in
// labelling.repository.ts. No decisions here.
import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { findConnectionPage } from "../core/pagination.ts";

/** The Prisma client or a transaction's client (a write and its audit entry commit together). */
export type TLabelWriter = Pick<
  PrismaClient,
  "labelSchema" | "labelProjectMember" | "labelAssignment" | "label" | "labelTask"
>;

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

export const findLabelSchemaById = (deps: TDeps, id: string) =>
  deps.db.labelSchema.findUnique({ where: { id } });

export const findLabelSchemaByName = (deps: TDeps, name: string) =>
  deps.db.labelSchema.findUnique({ where: { name } });

export const insertLabelSchema = (
  db: TLabelWriter,
  data: { name: string; type: string; options: Prisma.InputJsonValue; instructions: string },
) => db.labelSchema.create({ data });

export const findLabelProjectById = (deps: TDeps, id: string) =>
  deps.db.labelProject.findUnique({ where: { id }, include: { schema: true } });

export const findLabelProjectByName = (deps: TDeps, name: string) =>
  deps.db.labelProject.findUnique({ where: { name } });

export const findLabelProjectPage = (
  deps: TDeps,
  where: Prisma.LabelProjectWhereInput,
  args: { first: number; after?: string | null },
) =>
  findConnectionPage(deps.db.labelProject, { where, orderBy: NEWEST_FIRST, include: { schema: true } }, args);

export const findLabelSchemaPage = (
  deps: TDeps,
  where: Prisma.LabelSchemaWhereInput,
  args: { first: number; after?: string | null },
) => findConnectionPage(deps.db.labelSchema, { where, orderBy: NEWEST_FIRST }, args);

export const findMembership = (deps: TDeps, projectId: string, userId: string) =>
  deps.db.labelProjectMember.findUnique({ where: { projectId_userId: { projectId, userId } } });

/** A project's members with their names, by name. */
export const findMembersOf = (deps: TDeps, projectId: string) =>
  deps.db.labelProjectMember.findMany({
    where: { projectId },
    include: { user: { select: { name: true } } },
    orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
  });

export const findMemberUserIds = async (deps: TDeps, projectId: string): Promise<string[]> =>
  (await deps.db.labelProjectMember.findMany({ where: { projectId }, select: { userId: true } })).map(
    (member) => member.userId,
  );

/** Adds the member (nothing changes when they are one already); returns the row with the user's name. */
export const upsertMember = (
  db: TLabelWriter,
  input: { projectId: string; userId: string; addedByKeyId: string },
) =>
  db.labelProjectMember.upsert({
    where: { projectId_userId: { projectId: input.projectId, userId: input.userId } },
    create: input,
    update: {},
    include: { user: { select: { name: true } } },
  });

/** Removes the member; true when they were one. */
export const deleteMember = async (db: TLabelWriter, projectId: string, userId: string): Promise<boolean> =>
  (await db.labelProjectMember.deleteMany({ where: { projectId, userId } })).count > 0;

/** The user's live leases in the project expire now (an expired lease is a free slot). */
export const expireLeasesOf = async (db: TLabelWriter, projectId: string, userId: string): Promise<void> => {
  await db.labelAssignment.updateMany({
    where: { userId, status: "LEASED", leaseExpiresAt: { gt: new Date() }, task: { projectId } },
    data: { leaseExpiresAt: new Date() },
  });
};

export const findTaskPayload = (deps: TDeps, taskId: string) =>
  deps.db.labelTask.findUnique({ where: { id: taskId }, select: { id: true, payload: true } });

export const findTaskProjectId = async (deps: TDeps, taskId: string): Promise<string | null> =>
  (await deps.db.labelTask.findUnique({ where: { id: taskId }, select: { projectId: true } }))?.projectId ??
  null;

/** Who holds an assignment and in which project; null when it does not exist. */
export const findAssignmentHolder = async (deps: TDeps, assignmentId: string) => {
  const held = await deps.db.labelAssignment.findUnique({
    where: { id: assignmentId },
    select: { userId: true, task: { select: { projectId: true } } },
  });
  return held ? { userId: held.userId, projectId: held.task.projectId } : null;
};

export const findLabelWithUser = (deps: TDeps, labelId: string) =>
  deps.db.label.findUnique({ where: { id: labelId }, include: { user: true } });

/** Every non-gold label of a project with its labeller's name, by task and labeller. */
export const findProjectLabels = (deps: TDeps, projectId: string) =>
  deps.db.label.findMany({
    where: { isGold: false, task: { projectId } },
    select: { taskId: true, userId: true, value: true, user: { select: { name: true } } },
    orderBy: [{ taskId: "asc" }, { userId: "asc" }],
  });

/** Tasks by id with their non-gold labels (oldest first) and labellers. */
export const findTasksWithLabels = (deps: TDeps, ids: string[]) =>
  deps.db.labelTask.findMany({
    where: { id: { in: ids } },
    include: { labels: { where: { isGold: false }, include: { user: true }, orderBy: { createdAt: "asc" } } },
  });

/** Replaces the task's gold label (and its goldValue) with `value`. */
export const replaceGoldLabel = async (
  db: TLabelWriter,
  input: { taskId: string; userId: string; value: Prisma.InputJsonValue },
): Promise<void> => {
  await db.label.deleteMany({ where: { taskId: input.taskId, isGold: true } });
  await db.label.create({
    data: { taskId: input.taskId, userId: input.userId, value: input.value, isGold: true },
  });
  await db.labelTask.update({ where: { id: input.taskId }, data: { goldValue: input.value } });
};

/** The LABELS versions whose source names this project, newest first, with their dataset. */
export const findProjectExportVersions = (deps: TDeps, projectId: string) =>
  deps.db.datasetVersion.findMany({
    where: { source: { path: ["labelProjectId"], equals: projectId }, dataset: { kind: "LABELS" } },
    include: { dataset: { select: { id: true, name: true } } },
    orderBy: NEWEST_FIRST,
  });
