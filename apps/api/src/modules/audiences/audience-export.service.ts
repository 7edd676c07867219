// The audiences.export job: loads the audience file written by exportRankedAudience (audiences.service.ts)
// into the version table, records lineage from the model version or profile set, flips the version READY.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Prisma } from "@dam/db/client";
import { copyRows, createVersionTable, dropVersionTable } from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import * as datasetVersions from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";

export const ZRankedAudienceSource = z.object({
  kind: z.literal("ranked-audience"),
  method: z.enum(["ITEM_INTEREST", "LOOKALIKE"]),
  modelVersionId: z.string().uuid().nullable(),
  profileSetId: z.string().uuid().nullable(),
  definition: z.record(z.string(), z.unknown()),
  users: z.number().int().nonnegative(),
});

const ZAudienceFile = z.object({ users: z.array(z.string()), scores: z.array(z.number()) });

const COLUMNS = [
  { name: "user_id", type: "text" as const },
  { name: "rank", type: "integer" as const },
  { name: "score", type: "decimal" as const },
];
const BATCH = 5_000;

export const audienceFile = (deps: TDeps, versionId: string) =>
  path.join(deps.env.ARTIFACTS_DIR, "audiences", `${versionId}.json`);

/** Loads the audience file into the version table and flips it READY; safe to run twice. */
export const executeRankedAudienceExport = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const version = await datasetVersions.findVersionWithDataset(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  const source = ZRankedAudienceSource.safeParse(version.source);
  if (!source.success) throw new UnrecoverableError(`Version ${versionId} is not a ranked audience`);
  if (version.status === "READY") return { users: Number(version.rowCount) };
  const raw = await readFile(audienceFile(deps, versionId), "utf8").catch(() => null);
  const parsed = raw === null ? null : ZAudienceFile.safeParse(JSON.parse(raw));
  if (!parsed?.success)
    throw new UnrecoverableError(`The audience file of version ${versionId} is missing or unreadable`);
  const { users, scores } = parsed.data;
  await datasetVersions.updateVersion(deps, versionId, { status: "LOADING" });
  await createVersionTable(deps.pool, version.tableName, COLUMNS);
  for (let start = 0; start < users.length; start += BATCH) {
    const end = Math.min(users.length, start + BATCH);
    const lines = Array.from({ length: end - start }, (_, i) => start + i + 1);
    await copyRows(
      deps.pool,
      version.tableName,
      COLUMNS,
      lines,
      lines.map((line) => [users[line - 1]!, line, scores[line - 1]!]),
    );
    await ctx.progress((90 * end) / Math.max(1, users.length), `${end} users`);
    await ctx.checkpoint();
  }
  const from = source.data.modelVersionId
    ? {
        type: "MODEL_VERSION" as const,
        refId: source.data.modelVersionId,
        label: `model ${source.data.modelVersionId.slice(0, 8)}`,
      }
    : {
        type: "PROFILE_SET" as const,
        refId: source.data.profileSetId!,
        label: `profiles ${source.data.profileSetId!.slice(0, 8)}`,
      };
  await recordLineage(deps, {
    from: [from],
    to: {
      type: "DATASET_VERSION",
      refId: version.id,
      label: `${version.dataset.name} v${version.number}`,
      metadata: { audience: source.data.method, users: users.length },
    },
    jobId: ctx.jobRecordId,
    relation: "audience_of",
  });
  await datasetVersions.updateVersion(deps, versionId, {
    status: "READY",
    rowCount: users.length,
    schema: [
      { name: "user_id", type: "text", nullable: false, role: "userId", source: "user_id" },
      { name: "rank", type: "integer", nullable: false, role: null, source: "rank" },
      { name: "score", type: "decimal", nullable: false, role: null, source: "score" },
    ] as Prisma.InputJsonValue,
    readyAt: new Date(),
  });
  await ctx.progress(100, `${users.length} users exported`);
  return { users: users.length };
};

export const discardRankedAudienceExport = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await datasetVersions.findVersionById(deps, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await datasetVersions.updateVersion(deps, versionId, { status: "FAILED", rowCount: 0 });
  await rm(audienceFile(deps, versionId), { force: true });
};
