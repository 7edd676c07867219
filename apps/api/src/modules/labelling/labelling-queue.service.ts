import type { LabelSchema } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findAssignmentHolder, findLabelWithUser, findTaskPayload } from "./label-records.repository.ts";
import { isLabelSchemaType, normaliseLabelValue, type TLabelOption } from "./label-value.ts";
import type { TLabelAssignmentModel } from "./labelling.mappers.ts";
import {
  dbNow,
  deleteLabel,
  findLiveLeases,
  findTaskAssignments,
  insertLabel,
  insertSlot,
  isTaken,
  lockAssignment,
  lockCandidateTask,
  lockLatestOwnLabel,
  reassignSlot,
  renewOwnAssignment,
  setAssignmentStatus,
  type TAssignmentRow,
  withTransaction,
} from "./labelling.repository.ts";
import { resolveLabellerId } from "./labelling.service.ts";
import { findVisibleLabelProject, getVisibleLabelProject } from "./labelling-members.service.ts";

// A stale candidate (someone committed between our snapshot and our lock) means another caller made
// progress, so retries converge; the bound only guards against a livelock bug.
const MAX_ATTEMPTS = 20;

export type TLabelModel = {
  id: string;
  taskId: string;
  value: unknown;
  isGold: boolean;
  createdAt: Date;
  labeller: { userId: string; name: string };
};

const toAssignment = async (
  deps: TDeps,
  row: TAssignmentRow,
  projectId: string,
  schema: LabelSchema,
): Promise<TLabelAssignmentModel> => {
  const task = await findTaskPayload(deps, row.taskId);
  if (!task) throw new Error(`label task ${row.taskId} of assignment ${row.id} does not exist`);
  return { id: row.id, slot: row.slot, leaseExpiresAt: row.leaseExpiresAt, projectId, task, schema };
};

/** Decides, under the task's row lock, which slot the caller gets: their own expired row, a freed row, or a new slot. */
const claimSlot = async (
  client: Parameters<Parameters<typeof withTransaction>[1]>[0],
  input: { taskId: string; userId: string; overlap: number; leaseSeconds: number },
): Promise<TAssignmentRow | null> => {
  const rows = await findTaskAssignments(client, input.taskId);
  const now = await dbNow(client);
  const own = rows.find((row) => row.userId === input.userId);
  if (own && isTaken(own, now)) return null;
  if (own && own.status === "SKIPPED") return null;
  if (rows.filter((row) => isTaken(row, now)).length >= input.overlap) return null;
  const reusable = own ?? rows.find((row) => !isTaken(row, now));
  if (reusable)
    return reassignSlot(client, {
      assignmentId: reusable.id,
      userId: input.userId,
      leaseSeconds: input.leaseSeconds,
    });
  const used = new Set(rows.map((row) => row.slot));
  const slot = Array.from({ length: input.overlap }, (_, i) => i).find((i) => !used.has(i));
  if (slot === undefined) return null;
  return insertSlot(client, {
    taskId: input.taskId,
    slot,
    userId: input.userId,
    leaseSeconds: input.leaseSeconds,
  });
};

export const nextLabelTask = async (
  deps: TDeps,
  principal: TPrincipal,
  input: { projectId: string; holding?: string[] | null },
): Promise<TLabelAssignmentModel | null> => {
  const project = await getVisibleLabelProject(deps, principal, input.projectId);
  const userId = await resolveLabellerId(deps, principal);
  const holding = new Set(input.holding ?? []);
  const resumed = (await findLiveLeases(deps.pool, { projectId: project.id, userId })).find(
    (row) => !holding.has(row.id),
  );
  if (resumed) return toAssignment(deps, resumed, project.id, project.schema);
  // SKIP LOCKED first; when every candidate is locked, one waiting pass: a task locked by another
  // caller may still have a slot left for this one.
  let skipLocked = true;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const outcome = await withTransaction(deps.pool, async (client) => {
      const taskId = await lockCandidateTask(client, {
        projectId: project.id,
        userId,
        overlap: project.overlap,
        skipLocked,
      });
      if (!taskId) return "EMPTY" as const;
      return claimSlot(client, {
        taskId,
        userId,
        overlap: project.overlap,
        leaseSeconds: project.leaseSeconds,
      });
    });
    if (outcome === "EMPTY") {
      if (!skipLocked) return null;
      skipLocked = false;
    } else if (outcome) {
      return toAssignment(deps, outcome, project.id, project.schema);
    } else {
      skipLocked = true;
    }
  }
  return null;
};

const schemaOf = (schema: LabelSchema) => {
  if (!isLabelSchemaType(schema.type))
    throw new Error(`Label schema ${schema.id} has unknown type ${schema.type}`);
  return { type: schema.type, options: (schema.options ?? []) as TLabelOption[] };
};

/** Validates a value against a project's schema; shared with adjudication. */
export const normaliseForProject = (schema: LabelSchema, value: unknown): unknown => {
  const { type, options } = schemaOf(schema);
  return normaliseLabelValue(type, options, value);
};

const ownLiveLease = (
  row: Awaited<ReturnType<typeof lockAssignment>>,
  userId: string,
  assignmentId: string,
) => {
  if (!row || row.userId !== userId) {
    // A lease that went to someone else is as unknown to the caller as one that never existed.
    throw new AppError("NOT_FOUND", `Assignment ${assignmentId} is not held by you`, {
      field: "assignmentId",
    });
  }
  if (row.status !== "LEASED") {
    throw new AppError("CONFLICT", `Assignment ${assignmentId} is ${row.status}, not LEASED`, {
      field: "assignmentId",
    });
  }
  if (!row.live) {
    throw new AppError("CONFLICT", `The lease of assignment ${assignmentId} expired; ask for the next task`, {
      field: "assignmentId",
      reason: "LEASE_EXPIRED",
    });
  }
  return row;
};

export const submitLabel = async (
  deps: TDeps,
  principal: TPrincipal,
  input: { assignmentId: string; value: unknown },
): Promise<TLabelModel> => {
  const userId = await resolveLabellerId(deps, principal);
  // The project (and so the schema) is read before the transaction, which then holds the assignment's
  // row lock only for the insert and the status change.
  const held = await findAssignmentHolder(deps, input.assignmentId);
  // A labeller taken off the project cannot answer a lease they still hold.
  const project = held && (await findVisibleLabelProject(deps, principal, held.projectId));
  if (!held || held.userId !== userId || !project) {
    throw new AppError("NOT_FOUND", `Assignment ${input.assignmentId} is not held by you`, {
      field: "assignmentId",
    });
  }
  const value = normaliseForProject(project.schema, input.value);
  const labelId = await withTransaction(deps.pool, async (client) => {
    const row = ownLiveLease(await lockAssignment(client, input.assignmentId), userId, input.assignmentId);
    const inserted = await insertLabel(client, { taskId: row.taskId, userId, value });
    await setAssignmentStatus(client, row.id, "DONE");
    return inserted;
  });
  const label = await findLabelWithUser(deps, labelId);
  if (!label) throw new Error(`label ${labelId} vanished after its commit`);
  return { ...label, labeller: { userId: label.userId, name: label.user.name } };
};

export const skipLabelTask = async (
  deps: TDeps,
  principal: TPrincipal,
  assignmentId: string,
): Promise<boolean> => {
  const userId = await resolveLabellerId(deps, principal);
  const held = await findAssignmentHolder(deps, assignmentId);
  if (!held || !(await findVisibleLabelProject(deps, principal, held.projectId))) {
    throw new AppError("NOT_FOUND", `Assignment ${assignmentId} is not held by you`, {
      field: "assignmentId",
    });
  }
  await withTransaction(deps.pool, async (client) => {
    const row = ownLiveLease(await lockAssignment(client, assignmentId), userId, assignmentId);
    await setAssignmentStatus(client, row.id, "SKIPPED");
  });
  return true;
};

/** Withdraws the caller's latest label in the project and leases its task back to them. */
export const undoLastLabel = async (
  deps: TDeps,
  principal: TPrincipal,
  projectId: string,
): Promise<TLabelAssignmentModel | null> => {
  const project = await getVisibleLabelProject(deps, principal, projectId);
  const userId = await resolveLabellerId(deps, principal);
  const row = await withTransaction(deps.pool, async (client) => {
    const label = await lockLatestOwnLabel(client, project.id, userId);
    if (!label) return null;
    await deleteLabel(client, label.id);
    // The caller's DONE row keeps the slot, so nobody else can have taken it: renew it as a lease.
    return renewOwnAssignment(client, { taskId: label.taskId, userId, leaseSeconds: project.leaseSeconds });
  });
  return row ? toAssignment(deps, row, project.id, project.schema) : null;
};
