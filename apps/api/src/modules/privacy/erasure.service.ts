import { randomUUID } from "node:crypto";
import type { ErasureRequest } from "@dam/db/client";
import { erasureHint, parseErasureSubject } from "@dam/privacy/erasure-subject";
import { pseudonymise } from "@dam/privacy/masking";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import {
  closeOpenErasureRequest,
  findErasureRequestById,
  findLatestErasureRequests,
  findOpenErasureRequest,
  findVersionErasures,
  insertErasureRequest,
  setErasureRequestJob,
} from "./erasure.repository.ts";
import { readPseudonymSecret } from "./pii-secret.service.ts";
import { eraseSubjectJob } from "./privacy.jobs.ts";

export type TErasureRequestModel = ErasureRequest;

/**
 * Asks for one person's erasure. The identifier is kept (normalised) only until the job completes; the
 * request is found later by its keyed pseudonym. An open request for the same person is returned as is
 * (one erasure at a time per person); a new request after a finished one runs again (and, the person
 * being gone already, removes nothing).
 */
export const requestErasure = async (deps: TDeps, actor: TPrincipal, identifier: string) => {
  const subject = parseErasureSubject(identifier);
  if ("error" in subject) {
    throw new AppError("BAD_USER_INPUT", `identifier: ${subject.error}`, { field: "identifier" });
  }
  const hash = pseudonymise(
    subject.value,
    subject.kind === "EMAIL" ? "EMAIL" : "FREE_TEXT",
    await readPseudonymSecret(deps),
  );
  const open = await findOpenErasureRequest(deps.db, hash);
  if (open) return open;
  const id = randomUUID();
  const job = await enqueueJob(
    deps,
    eraseSubjectJob,
    { erasureRequestId: id },
    {
      actor,
      alsoWrite: (tx) =>
        insertErasureRequest(tx, {
          id,
          identifierKind: subject.kind,
          identifierHash: hash,
          identifierHint: erasureHint(subject),
          identifier: subject.value,
          createdById: actor.userId,
        }),
      audit: {
        action: "privacy.erase.requested",
        targetType: "ErasureRequest",
        targetId: id,
        details: { identifierKind: subject.kind, identifierHint: erasureHint(subject) },
      },
    },
  );
  return setErasureRequestJob(deps.db, id, job.id);
};

export const findErasureRequests = (deps: TDeps, first: number) => findLatestErasureRequests(deps.db, first);

export const findErasureRequest = (deps: TDeps, id: string) => findErasureRequestById(deps.db, id);

/** The erasures recorded on a version (rows removed per request), oldest first. */
export const findVersionErasureRecords = (deps: TDeps, versionId: string) =>
  findVersionErasures(deps.db, versionId);

/** A job that gave up or was cancelled leaves its request FAILED or CANCELLED (what it erased stays erased). */
export const closeErasureRequest = async (deps: TDeps, id: string, status: "FAILED" | "CANCELLED") => {
  await closeOpenErasureRequest(deps.db, id, status);
};
