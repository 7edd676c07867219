import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ArtifactScorer, emptyHistory } from "@dam/recsys/artifact-scorer";
import type { TModelArtifact } from "@dam/recsys/model-artifact";
import { createRng, randomNormal } from "@dam/recsys/prng";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  annIndexPath,
  modelsDir,
  removeModelArtifact,
  writeAnnIndex,
  writeModelArtifact,
} from "./model-artifact-store.ts";

const ITEMS = 400;
const USERS = 30;
const DIM = 8;

const factorModel = (): TModelArtifact => {
  const rng = createRng(11);
  return {
    algorithm: "ALS",
    itemIds: Array.from({ length: ITEMS }, (_, i) => `i${i}`),
    userIds: Array.from({ length: USERS }, (_, u) => `u${u}`),
    popularity: Float32Array.from({ length: ITEMS }, (_, i) => ITEMS - i),
    factors: {
      dim: DIM,
      user: Float32Array.from({ length: USERS * DIM }, () => randomNormal(rng)),
      item: Float32Array.from({ length: ITEMS * DIM }, () => randomNormal(rng)),
    },
    params: { factors: DIM },
  };
};

describe("model artifact store: the serving index", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dam-artifacts-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("builds the HNSW index of a large factor model beside its artifact, and serving adopts it", async () => {
    const artifact = factorModel();
    const { location } = await writeModelArtifact(dir, "m1", artifact);
    const written = await writeAnnIndex(location, artifact, { annMinItems: 100 });
    expect(written?.bytes).toBeGreaterThan(ITEMS * DIM * 4);

    const bytes = await readFile(annIndexPath(location));
    expect(bytes.length).toBe(written!.bytes);
    const serving = new ArtifactScorer(artifact, { annMinItems: 100 });
    serving.importAnn(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(serving.annReady).toBe(true);
    // On 400 items the graph walk at the default ef sees the whole catalogue: the exact answer.
    const exact = new ArtifactScorer(artifact, { annMinItems: Number.POSITIVE_INFINITY });
    for (const user of [0, 7, 29]) {
      const request = { user, history: emptyHistory(), first: 10 };
      expect(serving.recommend(request).items.map((r) => r.item)).toEqual(
        exact.recommend(request).items.map((r) => r.item),
      );
    }
    // Only the two finished files: no temp file is left behind.
    expect((await readdir(modelsDir(dir))).sort()).toEqual(["m1.damm", "m1.damm.hnsw"]);
  });

  it("writes nothing for a catalogue below the scorer's threshold", async () => {
    const artifact = factorModel();
    const { location } = await writeModelArtifact(dir, "m2", artifact);
    expect(await writeAnnIndex(location, artifact)).toBeNull();
    expect(await readdir(modelsDir(dir))).toEqual(["m2.damm"]);
  });

  it("removes the artifact, its index and a killed writer's temp files, and nothing of other versions", async () => {
    const artifact = factorModel();
    const { location } = await writeModelArtifact(dir, "m3", artifact);
    await writeAnnIndex(location, artifact, { annMinItems: 100 });
    await writeFile(`${annIndexPath(location)}.tmp-4242`, "partial");
    await writeFile(`${location}.tmp-4243`, "partial");
    await writeModelArtifact(dir, "m30", artifact);
    await removeModelArtifact(dir, "m3");
    expect(await readdir(modelsDir(dir))).toEqual(["m30.damm"]);
  });
});
