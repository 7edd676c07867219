import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelNotFoundError } from "./embedder-errors.ts";
import { SHARED_MODEL_ID, SHARED_MODELS_DIR, sharedModelPresent } from "./shared-model.test-helper.ts";
import { createTransformersEmbedder, type TTransformersEmbedder } from "./transformers-embedder.ts";
import { dot, norm } from "./vector-norm.ts";

describe.skipIf(!sharedModelPresent)(
  `transformers embedder on ${SHARED_MODEL_ID} (real transformers.js)`,
  () => {
    let embedder: TTransformersEmbedder;
    beforeAll(async () => {
      embedder = await createTransformersEmbedder({
        modelsDir: SHARED_MODELS_DIR,
        modelId: SHARED_MODEL_ID,
        batchSize: 2,
      });
    });
    afterAll(() => embedder?.dispose());

    it("records model id, a file-derived version and the dimension", () => {
      expect(embedder.backend).toBe("transformers");
      expect(embedder.modelId).toBe(SHARED_MODEL_ID);
      expect(embedder.modelVersion).toMatch(/^sha256:[0-9a-f]{16}$/);
      expect(embedder.dimension).toBe(64);
    });

    it("returns unit vectors ranking a paraphrase above an unrelated product", async () => {
      const [mug, cup, hose] = await embedder.embed([
        "red ceramic mug",
        "ceramic coffee cup red",
        "garden hose",
      ]);
      for (const vector of [mug!, cup!, hose!]) {
        expect(vector.length).toBe(64);
        expect(norm(vector)).toBeCloseTo(1, 5);
      }
      expect(dot(mug!, cup!)).toBeGreaterThan(dot(mug!, hose!) + 0.1);
    });

    it("matches the cosines published in the model's SOURCE.md", async () => {
      const [mug, tea, horror] = await embedder.embed([
        "white ceramic coffee mug",
        "tea cup and saucer",
        "scary horror movie",
      ]);
      expect(dot(mug!, tea!)).toBeCloseTo(0.93, 2);
      expect(dot(mug!, horror!)).toBeCloseTo(-0.02, 2);
    });

    it("gives the same vector whatever the batch (padding does not leak into mean pooling)", async () => {
      const texts = ["mug", "a much longer description of a set of three ceramic mugs", "", "hose"];
      const batched = await embedder.embed(texts);
      const single = await Promise.all(texts.map(async (text) => (await embedder.embed([text]))[0]!));
      for (let i = 0; i < texts.length; i++) {
        for (let j = 0; j < 64; j++) expect(batched[i]![j]).toBeCloseTo(single[i]![j]!, 5);
      }
      // "" is only [CLS] [SEP], whose rows are zero in this model: a zero vector, not NaN.
      expect(Array.from(batched[2]!).every((x) => x === 0)).toBe(true);
    });
  },
);

describe("transformers embedder without weights", () => {
  let modelsDir: string;
  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(tmpdir(), "embedder-models-"));
  });
  afterAll(() => rm(modelsDir, { recursive: true, force: true }));

  it("throws ModelNotFoundError naming the config path it looked at", async () => {
    const error = await createTransformersEmbedder({ modelsDir, modelId: "Xenova/all-MiniLM-L6-v2" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).code).toBe("MODEL_NOT_FOUND");
    expect((error as ModelNotFoundError).lookedAt).toBe(
      path.join(modelsDir, "Xenova/all-MiniLM-L6-v2/config.json"),
    );
  });

  it("names the missing file when only config.json is present", async () => {
    const modelDir = path.join(modelsDir, "half-copied");
    await mkdir(modelDir, { recursive: true });
    await writeFile(
      path.join(modelDir, "config.json"),
      JSON.stringify({ model_type: "bert", hidden_size: 8 }),
    );
    const error = await createTransformersEmbedder({ modelsDir, modelId: "half-copied" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).lookedAt.startsWith(modelDir)).toBe(true);
    expect((error as ModelNotFoundError).lookedAt).not.toBe(path.join(modelDir, "config.json"));
  });

  it("rejects a bad batch size", async () => {
    await expect(createTransformersEmbedder({ modelsDir, modelId: "x", batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
  });
});
