import type { Prisma } from "@dam/db/client";
import { copyRows, createVersionTable, dropVersionTable } from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import {
  findVersionById,
  findVersionWithDataset,
  updateVersion,
} from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { profileDir, readProfileArtifact } from "./profile-artifact.ts";
import { readSegmentArtifact, segmentDir } from "./segment-artifact.ts";
import { findSegmentSetWithProfiles } from "./shopper-profiles.repository.ts";

/** What an audience version's `source` records: the segment its users came from. */
export const ZAudienceSource = z.object({
  kind: z.literal("segment-audience"),
  segmentId: z.string().uuid(),
  segmentSetId: z.string().uuid(),
  segmentIndex: z.number().int(),
  segmentName: z.string(),
});

const COLUMNS = [{ name: "user_id", type: "text" as const }];
const BATCH = 5_000;

/**
 * Fills an audience version (one row per user of the segment, in profile order) and flips it to
 * READY. Idempotent: the table is dropped and re-created on every attempt.
 */
export const executeAudienceExport = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const version = await findVersionWithDataset(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  const source = ZAudienceSource.safeParse(version.source);
  if (!source.success) throw new UnrecoverableError(`Version ${versionId} is not a segment audience`);
  if (version.status === "READY") return { version, users: Number(version.rowCount) };
  const set = await findSegmentSetWithProfiles(deps, source.data.segmentSetId);
  if (set?.status !== "READY")
    throw new UnrecoverableError(`Segment set ${source.data.segmentSetId} is not READY`);
  const [segments, profile] = await Promise.all([
    readSegmentArtifact(segmentDir(deps.env.ARTIFACTS_DIR, set.id)),
    readProfileArtifact(set.profileSet.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.profileSetId)),
  ]);
  if (!segments || !profile) throw new UnrecoverableError(`Segment set ${set.id} has lost its artifact`);
  const users = profile.users.filter((_, u) => segments.labels[u] === source.data.segmentIndex);
  await updateVersion(deps, versionId, { status: "LOADING" });
  await createVersionTable(deps.pool, version.tableName, COLUMNS);
  for (let start = 0; start < users.length; start += BATCH) {
    const batch = users.slice(start, start + BATCH);
    await copyRows(
      deps.pool,
      version.tableName,
      COLUMNS,
      batch.map((_, i) => start + i + 1),
      batch.map((user) => [user]),
    );
    await ctx.progress(
      (90 * (start + batch.length)) / Math.max(1, users.length),
      `${start + batch.length} users`,
    );
    await ctx.checkpoint();
  }
  await recordLineage(deps, {
    from: [{ type: "SEGMENT_SET", refId: set.id, label: `segments ${set.id.slice(0, 8)}` }],
    to: {
      type: "DATASET_VERSION",
      refId: version.id,
      label: `${version.dataset.name} v${version.number}`,
      metadata: { segment: source.data.segmentName, segmentIndex: source.data.segmentIndex },
    },
    jobId: ctx.jobRecordId,
    relation: "exported_from",
  });
  const ready = await updateVersion(deps, versionId, {
    status: "READY",
    rowCount: users.length,
    schema: [
      { name: "user_id", type: "text", nullable: false, role: "userId", source: "user_id" },
    ] as Prisma.InputJsonValue,
    readyAt: new Date(),
  });
  await ctx.progress(100, `${users.length} users exported`);
  return { version: ready, users: users.length };
};

export const discardAudienceExport = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await findVersionById(deps, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await updateVersion(deps, versionId, { status: "FAILED", rowCount: 0 });
};
