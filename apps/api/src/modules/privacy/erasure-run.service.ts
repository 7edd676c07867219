import { type TErasureSubject, ZErasureKind } from "@dam/privacy/erasure-subject";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { requestVersionProfile } from "../column-stats/column-stats.service.ts";
import { eraseUserSearches } from "../features/search-analytics.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { modelInputIds, readModelInputs } from "../models/model-inputs.ts";
import { historyKey } from "../serving/track-events.ts";
import {
  anonymiseAccount,
  completeErasureRequest,
  deleteQuotedText,
  deleteUserEvents,
  findAccountIds,
  findErasureRequestById,
  findModelsWithInputs,
  setErasureRequestRunning,
  setModelStale,
} from "./erasure.repository.ts";
import { eraseFromProfiles, eraseFromUploads } from "./erasure-artifacts.ts";
import { eraseVersionRows, findErasureTargets, findLinkedUserIds } from "./erasure-targets.repository.ts";

export type TErasureReport = {
  versions: { versionId: string; label: string; rows: number }[];
  totalRows: number;
  linkedUserIds: number;
  liveEvents: number;
  historyKeys: number;
  /** Logged searches of the subject (search analytics, Redis). */
  searchLogs: number;
  exposures: number;
  experimentEvents: number;
  rejectedRows: number;
  qualitySamples: number;
  labelTasks: number;
  platformUsers: number;
  profileSets: number;
  profileRows: number;
  segmentSets: number;
  uploads: number;
  uploadLines: number;
  modelsMarkedStale: string[];
};

const likeAny = (values: readonly string[]) => values.map((v) => `%${v.replace(/[\\%_]/g, "\\$&")}%`);

/**
 * Erases one person everywhere (see docs/architecture.md, Privacy): the rows of every version that name
 * them (the documented exception to immutability, recorded per version), their live events, serving
 * history, experiment exposures, rejected rows and quality samples quoting them, label tasks about them,
 * their platform account's identity, profile and segment artifacts, raw upload lines; models trained on a
 * touched version or artifact are marked STALE. Idempotent: every step deletes what is still there, so a
 * re-run (or a stalled job's second attempt) removes nothing more and the report sums to the same.
 */
export const executeErasure = async (deps: TDeps, requestId: string, ctx: TJobContext) => {
  const request = await findErasureRequestById(deps.db, requestId);
  if (!request) throw new UnrecoverableError(`Erasure request ${requestId} does not exist`);
  if (request.status === "COMPLETED") return request.report as TErasureReport;
  if (request.identifier === null)
    throw new UnrecoverableError(`Erasure request ${requestId} has no identifier`);
  await setErasureRequestRunning(deps.db, requestId);
  const given: TErasureSubject = {
    kind: ZErasureKind.parse(request.identifierKind),
    value: request.identifier,
  };

  await ctx.progress(2, "Finding the versions that can hold the subject");
  const targets = await findErasureTargets(deps);
  const emails = given.kind === "EMAIL" ? [given.value] : [];
  const userIds = new Set(given.kind === "USER_ID" ? [given.value] : []);
  for (const id of await findLinkedUserIds(deps.pool, targets, emails)) userIds.add(id);
  const subjects: TErasureSubject[] = [
    ...emails.map((value) => ({ kind: "EMAIL" as const, value })),
    ...[...userIds].map((value) => ({ kind: "USER_ID" as const, value })),
  ];
  const values = subjects.map((s) => s.value);

  const versions: TErasureReport["versions"] = [];
  for (const [i, target] of targets.entries()) {
    await ctx.checkpoint();
    const rows = await eraseVersionRows(deps.pool, target, subjects, requestId);
    if (rows > 0) versions.push({ versionId: target.versionId, label: target.label, rows });
    await ctx.progress(5 + (50 * (i + 1)) / targets.length, `Version ${i + 1} of ${targets.length}`);
  }
  // Profiles of the touched versions are made again from the rows that remain.
  for (const v of versions) await requestVersionProfile(deps, null, v.versionId);
  const ids = [...userIds];
  const events = await deleteUserEvents(deps.db, ids);
  const historyKeys =
    ids.length > 0 ? await deps.redis.del(...ids.map((id) => historyKey(deps.env.DAM_QUEUE_PREFIX, id))) : 0;
  const searchLogs = await eraseUserSearches(deps, ids);
  await ctx.progress(60, "Events erased");

  // Rows quoted as text: rejected lines, failing-row samples and label task payloads naming the subject.
  const quoted = await deleteQuotedText(
    deps.pool,
    likeAny(values.map((v) => v.toLowerCase())),
    likeAny(values.map((v) => `"${v.toLowerCase()}"`)),
  );
  // A platform account of the person (labels they gave stay, attributed to an anonymous account).
  const accounts = await findAccountIds(deps.db, emails, ids.filter(isUuid));
  for (const account of accounts) await anonymiseAccount(deps.db, account);
  await ctx.checkpoint();
  await ctx.progress(70, "Profiles and segments");
  const profiles = await eraseFromProfiles(deps, userIds);
  await ctx.progress(80, "Raw uploads");
  const uploads = await eraseFromUploads(deps, subjects, ctx.checkpoint);

  const touchedVersions = new Set(versions.map((v) => v.versionId));
  const touchedSets = new Set([...profiles.profileSets, ...profiles.segmentSets]);
  const stale = await markModelsStale(deps, touchedVersions, touchedSets, requestId);

  const report: TErasureReport = {
    versions,
    totalRows: versions.reduce((sum, v) => sum + v.rows, 0),
    linkedUserIds: given.kind === "EMAIL" ? userIds.size : 0,
    liveEvents: events.liveEvents,
    historyKeys,
    searchLogs,
    exposures: events.exposures,
    experimentEvents: events.experimentEvents,
    ...quoted,
    platformUsers: accounts.length,
    profileSets: profiles.profileSets.length,
    profileRows: profiles.profileRows,
    segmentSets: profiles.segmentSets.length,
    uploads: uploads.uploads.length,
    uploadLines: uploads.lines,
    modelsMarkedStale: stale,
  };
  // The identifier is forgotten with the completion: only its keyed hash and hint remain.
  await completeErasureRequest(deps.db, requestId, report, async (tx) => {
    await recordAudit(tx, null, "privacy.erase.completed", "ErasureRequest", requestId, {
      totalRows: report.totalRows,
      versions: report.versions.length,
      liveEvents: report.liveEvents,
      uploads: report.uploads,
      modelsMarkedStale: report.modelsMarkedStale.length,
    });
  });
  await ctx.progress(100, `Erased ${report.totalRows} rows from ${versions.length} versions`);
  return report;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => UUID.test(value);

/** Models whose inputs (events or catalogue version, segment set) lost rows are STALE until retrained. */
const markModelsStale = async (
  deps: TDeps,
  versions: ReadonlySet<string>,
  sets: ReadonlySet<string>,
  requestId: string,
): Promise<string[]> => {
  if (versions.size === 0 && sets.size === 0) return [];
  const models = await findModelsWithInputs(deps.db);
  const hit = models.filter((m) =>
    modelInputIds(readModelInputs(m.inputs)).some((id) => versions.has(id) || sets.has(id)),
  );
  for (const model of hit) {
    await setModelStale(
      deps.db,
      model.id,
      model.staleAt ?? new Date(),
      `Erasure request ${requestId} removed rows from its training data; retrain it`,
    );
  }
  return hit.map((m) => m.id);
};
