// Audiences: ranking (audience-ranking.service.ts) and export as the next version of a USERS dataset.
// The users are ranked now and written to a file under the version's id: the ranking depends on live
// events, so a job that runs again later must load the same list, not rank a new one.
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { createVersionWithJob, upsertDatasetOfKind } from "../datasets/datasets.service.ts";
import { audienceFile } from "./audience-export.service.ts";
import {
  audienceForItems,
  lookalikeAudience,
  type TItemsAudienceInput,
  type TLookalikeInput,
} from "./audience-ranking.service.ts";
import { exportRankedAudienceJob } from "./audiences.jobs.ts";

const DATASET_NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

export const exportRankedAudience = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { datasetName: string; forItems?: TItemsAudienceInput | null; lookalike?: TLookalikeInput | null },
) => {
  if (!DATASET_NAME.test(input.datasetName)) {
    throw new AppError(
      "BAD_USER_INPUT",
      "datasetName: letters, digits, _ . - (1-100), starting with a letter",
      {
        field: "datasetName",
      },
    );
  }
  if (!input.forItems === !input.lookalike) {
    throw new AppError("BAD_USER_INPUT", "give exactly one of forItems and lookalike", { field: "input" });
  }
  const audience = input.forItems
    ? await audienceForItems(deps, input.forItems)
    : await lookalikeAudience(deps, input.lookalike!);
  // The job reads the members from a file named after the version: written before the version exists.
  const versionId = randomUUID();
  const file = audienceFile(deps, versionId);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    JSON.stringify({
      users: audience.members.map((m) => m.userId),
      scores: audience.members.map((m) => m.score),
    }),
  );
  try {
    const { job } = await createVersionWithJob(
      deps,
      (tx) =>
        upsertDatasetOfKind(
          tx,
          {
            name: input.datasetName,
            kind: "USERS",
            description: `Audience (${audience.kind === "ITEM_INTEREST" ? "predicted interest in items" : "lookalike"})`,
            tags: ["audience"],
            ownerId: actor?.userId ?? null,
          },
          "datasetName",
        ).then((dataset) => dataset.id),
      {
        id: versionId,
        source: {
          kind: "ranked-audience",
          method: audience.kind,
          modelVersionId: audience.modelVersionId,
          profileSetId: audience.profileSetId,
          definition: JSON.parse(JSON.stringify(input.forItems ?? input.lookalike)),
          users: audience.members.length,
        },
        actor,
        audit: {
          action: "audiences.export",
          details: { dataset: input.datasetName, method: audience.kind, users: audience.members.length },
        },
      },
      { definition: exportRankedAudienceJob, payload: (id) => ({ versionId: id }) },
    );
    return job;
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
};
