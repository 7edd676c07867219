// Project membership: who may see and work on a label project. Those who may manage labelling
// (stewards, admins) see every project; everyone else sees only the projects they are a member of, and
// a project they are not a member of is as unknown to them as one that does not exist (NOT_FOUND).
import type { Prisma } from "@dam/db/client";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import { findActiveApiKey, findActiveApiKeysWithRole } from "../auth/auth.service.ts";
import { can, roleCan, type TPrincipal } from "../auth/permissions.ts";
import type { TConnection } from "../core/pagination.ts";
import {
  deleteMember,
  expireLeasesOf,
  findLabelProjectPage,
  findLabelSchemaPage,
  findMembership,
  findMembersOf,
  findMemberUserIds,
  upsertMember,
} from "./label-records.repository.ts";
import type { TLabelProjectModel, TLabelSchemaModel } from "./labelling.mappers.ts";
import { findKeyUserIds } from "./labelling.repository.ts";
import { findLabelProject, resolveLabellerId } from "./labelling.service.ts";

/** Candidates offered to a steward at once; a longer list is not one a person picks from. */
const MAX_CANDIDATES = 500;

export type TLabelProjectMemberModel = { labeller: { userId: string; name: string }; addedAt: Date };
export type TLabellerCandidate = { keyId: string; name: string; keyPrefix: string };

const seesAllProjects = (principal: TPrincipal): boolean => can(principal, "labelling:manage");

const checkId = (value: string, field: string): string => {
  if (!z.string().uuid().safeParse(value).success) {
    throw new AppError("BAD_USER_INPUT", `${field}: not an id`, { field });
  }
  return value;
};

const isMember = async (deps: TDeps, projectId: string, userId: string): Promise<boolean> =>
  (await findMembership(deps, projectId, userId)) !== null;

/** The project if the principal may see it, else null (whether it exists or not). */
export const findVisibleLabelProject = async (
  deps: TDeps,
  principal: TPrincipal,
  id: string,
): Promise<TLabelProjectModel | null> => {
  const project = await findLabelProject(deps, checkId(id, "id"));
  if (!project || seesAllProjects(principal)) return project;
  return (await isMember(deps, project.id, await resolveLabellerId(deps, principal))) ? project : null;
};

/** Like findVisibleLabelProject, but NOT_FOUND when the principal may not see the project. */
export const getVisibleLabelProject = async (
  deps: TDeps,
  principal: TPrincipal,
  id: string,
  field = "projectId",
): Promise<TLabelProjectModel> => {
  const project = await findVisibleLabelProject(deps, principal, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "BAD_USER_INPUT") {
      throw new AppError("BAD_USER_INPUT", `${field}: not an id`, { field });
    }
    throw error;
  });
  if (!project) throw new AppError("NOT_FOUND", `Label project ${id} not found`, { field });
  return project;
};

const visibleProjectsWhere = async (
  deps: TDeps,
  principal: TPrincipal,
): Promise<Prisma.LabelProjectWhereInput> =>
  seesAllProjects(principal)
    ? {}
    : { members: { some: { userId: await resolveLabellerId(deps, principal) } } };

export const findVisibleLabelProjects = async (
  deps: TDeps,
  principal: TPrincipal,
  args: { first: number; after?: string | null },
): Promise<TConnection<TLabelProjectModel>> =>
  findLabelProjectPage(deps, await visibleProjectsWhere(deps, principal), args);

/** Schemas of the projects the principal sees (their instructions are part of the projects). */
export const findVisibleLabelSchemas = async (
  deps: TDeps,
  principal: TPrincipal,
  args: { first: number; after?: string | null },
): Promise<TConnection<TLabelSchemaModel>> =>
  findLabelSchemaPage(
    deps,
    seesAllProjects(principal) ? {} : { projects: { some: await visibleProjectsWhere(deps, principal) } },
    args,
  );

export const findLabelProjectMembers = async (
  deps: TDeps,
  projectId: string,
): Promise<TLabelProjectMemberModel[]> => {
  const rows = await findMembersOf(deps, projectId);
  return rows.map((row) => ({ labeller: { userId: row.userId, name: row.user.name }, addedAt: row.addedAt }));
};

/** Keys that label and are not members yet: what a steward can add. */
export const findLabellerCandidates = async (
  deps: TDeps,
  principal: TPrincipal,
  projectId: string,
): Promise<TLabellerCandidate[]> => {
  const project = await getVisibleLabelProject(deps, principal, projectId);
  const keys = await findActiveApiKeysWithRole(deps.db, "LABELLER", MAX_CANDIDATES);
  const keyUsers = await findKeyUserIds(
    deps.pool,
    keys.filter((key) => !key.userId).map((key) => key.id),
  );
  const members = new Set(await findMemberUserIds(deps, project.id));
  return keys
    .filter((key) => {
      const userId = key.userId ?? keyUsers.get(key.id);
      return userId === undefined || !members.has(userId);
    })
    .map((key) => ({ keyId: key.id, name: key.name, keyPrefix: key.prefix }));
};

/** Adds the labeller who works with `keyId` (the key's user, or the key itself) to a project; audited. */
export const addLabelProjectMember = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { projectId: string; keyId: string },
): Promise<TLabelProjectMemberModel> => {
  const project = await getVisibleLabelProject(deps, actor, input.projectId);
  const key = await findActiveApiKey(deps.db, checkId(input.keyId, "keyId"));
  if (!key)
    throw new AppError("NOT_FOUND", `API key ${input.keyId} not found or revoked`, { field: "keyId" });
  if (!roleCan(key.role, "labelling:work")) {
    throw new AppError("BAD_USER_INPUT", `keyId: a ${key.role} key cannot label`, { field: "keyId" });
  }
  if (roleCan(key.role, "labelling:manage")) {
    throw new AppError("BAD_USER_INPUT", `keyId: a ${key.role} key sees every project already`, {
      field: "keyId",
    });
  }
  const userId = await resolveLabellerId(deps, {
    keyId: key.id,
    userId: key.userId,
    name: key.name,
    role: key.role,
  });
  const member = await inAuditedTransaction(deps.db, async (tx) => {
    const upserted = await upsertMember(tx, { projectId: project.id, userId, addedByKeyId: actor.keyId });
    await recordAudit(tx, actor, "labelProject.addMember", "LabelProject", project.id, {
      userId,
      keyId: key.id,
      name: upserted.user.name,
    });
    return upserted;
  });
  return { labeller: { userId, name: member.user.name }, addedAt: member.addedAt };
};

/**
 * Removes a labeller from a project; their labels stay and their live leases are released at once (an
 * expired lease is a free slot). True if they were a member.
 */
export const removeLabelProjectMember = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { projectId: string; labellerId: string },
): Promise<boolean> => {
  const project = await getVisibleLabelProject(deps, actor, input.projectId);
  const userId = checkId(input.labellerId, "labellerId");
  const removed = await inAuditedTransaction(deps.db, async (tx) => {
    const deleted = await deleteMember(tx, project.id, userId);
    await expireLeasesOf(tx, project.id, userId);
    if (deleted) {
      await recordAudit(tx, actor, "labelProject.removeMember", "LabelProject", project.id, { userId });
    }
    return deleted;
  });
  return removed;
};
