import type { ModelVersion } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { recordAudit, type TAuditEntry } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { publishActiveModel } from "../serving/active-model-channel.ts";
import {
  findActiveVersionOf,
  findLastPromotedReadyVersion,
  findModelVersionById,
  swapActiveVersion,
  type TActiveSwap,
} from "./models.repository.ts";
import { primaryMetric } from "./models.service.ts";

// Promotion and rollback. Exactly one version per name is ACTIVE; both moves happen in one transaction
// (serialisable, so two concurrent promotions of one name cannot both win) and are announced over Redis
// after the commit, so every API process loads the new artifact (CONTRACT-MODELS.md §2).

const formatNdcg = (value: number | null) => (value === null ? "none" : value.toFixed(4));

/** Both updates and the audit entry in one serialisable transaction; a concurrent move of the same name is a CONFLICT. */
const swapActive = async (
  deps: TDeps,
  move: TActiveSwap,
  audit: { actor: TPrincipal | null; entry: TAuditEntry },
) => {
  const { entry } = audit;
  let next: ModelVersion | null;
  try {
    // In the same transaction: the move and its audit entry commit together.
    next = await swapActiveVersion(deps, move, (tx) =>
      recordAudit(tx, audit.actor, entry.action, entry.targetType, entry.targetId, entry.details),
    );
  } catch (error) {
    if ((error as { code?: string }).code === "P2034") {
      throw new AppError("CONFLICT", `Another promotion of ${move.name} ran at the same time; try again`);
    }
    throw error;
  }
  if (!next)
    throw new AppError("CONFLICT", `The active version of ${move.name} changed meanwhile; try again`);
  return next;
};

const announce = async (deps: TDeps, model: ModelVersion) => {
  await publishActiveModel(deps.redis, deps.env.DAM_QUEUE_PREFIX, {
    name: model.name,
    modelVersionId: model.id,
  });
};

/**
 * Makes a READY version the ACTIVE one of its name. Refused (PRECONDITION_FAILED) when its test
 * NDCG@10 is below the current ACTIVE version's, unless `force`; the decision and both scores go to
 * the audit log either way it is taken.
 */
export const promoteModel = async (deps: TDeps, actor: TPrincipal | null, id: string, force: boolean) => {
  const model = await findModelVersionById(deps, id);
  if (!model) throw new AppError("NOT_FOUND", `Model version ${id} does not exist`, { field: "id" });
  if (model.status === "ACTIVE") {
    throw new AppError("CONFLICT", `${model.name} v${model.version} is already ACTIVE`, { field: "id" });
  }
  if (model.status !== "READY" || !model.location) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${model.name} v${model.version} is ${model.status}; only a READY (trained) version can be promoted`,
      { field: "id" },
    );
  }
  const current = await findActiveVersionOf(deps, model.name);
  const candidate = primaryMetric(model);
  const incumbent = current ? primaryMetric(current) : null;
  const worse = current !== null && candidate !== null && incumbent !== null && candidate < incumbent;
  if (worse && !force) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${model.name} v${model.version} has test NDCG@10 ${formatNdcg(candidate)}, worse than the active v${current.version} (${formatNdcg(incumbent)}); promote with force to replace it anyway`,
      { field: "id", reason: "WORSE_THAN_ACTIVE", candidate, active: incumbent, activeId: current.id },
    );
  }
  const promoted = await swapActive(
    deps,
    { name: model.name, nextId: model.id, previousId: current?.id ?? null, previousStatus: "READY" },
    {
      actor,
      entry: {
        action: "models.promote",
        targetType: "ModelVersion",
        targetId: model.id,
        details: {
          name: model.name,
          version: model.version,
          previousActiveId: current?.id ?? null,
          ndcgAt10: candidate,
          previousNdcgAt10: incumbent,
          forced: force,
          overrodeWorse: worse,
        },
      },
    },
  );
  await announce(deps, promoted);
  return promoted;
};

/**
 * Returns `name` to the version that was active before the current one: the current ACTIVE version is
 * RETIRED (it was rolled back for a reason, so a second rollback goes further back rather than
 * returning to it) and the READY version promoted most recently becomes ACTIVE again.
 */
export const rollbackModel = async (deps: TDeps, actor: TPrincipal | null, name: string) => {
  const current = await findActiveVersionOf(deps, name);
  if (!current) {
    throw new AppError("PRECONDITION_FAILED", `${name} has no ACTIVE version to roll back`, {
      field: "name",
    });
  }
  const previous = await findLastPromotedReadyVersion(deps, name, current.id);
  if (!previous?.location) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${name} has no previously active version to roll back to (v${current.version} is the first promoted)`,
      { field: "name" },
    );
  }
  const restored = await swapActive(
    deps,
    { name, nextId: previous.id, previousId: current.id, previousStatus: "RETIRED" },
    {
      actor,
      entry: {
        action: "models.rollback",
        targetType: "ModelVersion",
        targetId: previous.id,
        details: {
          name,
          version: previous.version,
          rolledBackId: current.id,
          rolledBackVersion: current.version,
        },
      },
    },
  );
  await announce(deps, restored);
  return restored;
};
