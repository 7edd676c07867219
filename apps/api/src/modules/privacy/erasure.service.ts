import { randomUUID } from "node:crypto";
import type { ErasureRequest } from "@dam/db/client";
import { erasureHint, parseErasureSubject } from "@dam/privacy/erasure-subject";
import { pseudonymise } from "@dam/privacy/masking";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { readPseudonymSecret } from "./pii-secret.service.ts";
import { eraseSubjectJob } from "./privacy.jobs.ts";

export type TErasureRequestModel = ErasureRequest;

const OPEN = ["QUEUED", "RUNNING"];

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
  const open = await deps.db.erasureRequest.findFirst({
    where: { identifierHash: hash, status: { in: OPEN } },
  });
  if (open) return open;
  const id = randomUUID();
  const job = await enqueueJob(
    deps,
    eraseSubjectJob,
    { erasureRequestId: id },
    {
      actor,
      alsoWrite: (tx) =>
        tx.erasureRequest.create({
          data: {
            id,
            identifierKind: subject.kind,
            identifierHash: hash,
            identifierHint: erasureHint(subject),
            identifier: subject.value,
            createdById: actor.userId,
          },
        }),
      audit: {
        action: "privacy.erase.requested",
        targetType: "ErasureRequest",
        targetId: id,
        details: { identifierKind: subject.kind, identifierHint: erasureHint(subject) },
      },
    },
  );
  return deps.db.erasureRequest.update({ where: { id }, data: { jobId: job.id } });
};

export const findErasureRequests = (deps: TDeps, first: number) =>
  deps.db.erasureRequest.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: first });

export const findErasureRequest = (deps: TDeps, id: string) =>
  deps.db.erasureRequest.findUnique({ where: { id } });

/** A job that gave up or was cancelled leaves its request FAILED or CANCELLED (what it erased stays erased). */
export const closeErasureRequest = async (deps: TDeps, id: string, status: "FAILED" | "CANCELLED") => {
  await deps.db.erasureRequest.updateMany({
    where: { id, status: { in: OPEN } },
    data: { status, finishedAt: new Date() },
  });
};
