import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEXICAL_MODEL_ID } from "./lexical-embedder.ts";
import { loadEmbedder } from "./load-embedder.ts";
import { SHARED_MODEL_ID, SHARED_MODELS_DIR, sharedModelPresent } from "./shared-model.test-helper.ts";

const CORPUS = ["white ceramic mug", "garden hose", "cake stand"];

describe("loadEmbedder", () => {
  let emptyModelsDir: string;
  beforeAll(async () => {
    emptyModelsDir = await mkdtemp(path.join(tmpdir(), "embedder-empty-"));
  });
  afterAll(() => rm(emptyModelsDir, { recursive: true, force: true }));

  it("falls back to the lexical embedder with the reason when the model is missing", async () => {
    const { embedder, fallbackReason } = await loadEmbedder({
      modelsDir: emptyModelsDir,
      modelId: "Xenova/all-MiniLM-L6-v2",
      corpus: CORPUS,
      lexical: { dimension: 32, seed: 3 },
    });
    expect(embedder.backend).toBe("lexical");
    expect(embedder.modelId).toBe(LEXICAL_MODEL_ID);
    expect(embedder.dimension).toBe(32);
    expect(fallbackReason).toContain("ModelNotFoundError");
    expect(fallbackReason).toContain(path.join(emptyModelsDir, "Xenova/all-MiniLM-L6-v2/config.json"));
    expect(fallbackReason).toContain(embedder.modelVersion);
    const [vector] = await embedder.embed(["ceramic mug"]);
    expect(vector!.length).toBe(32);
  });

  it("says so when no models directory is configured", async () => {
    const { embedder, fallbackReason } = await loadEmbedder({ modelId: "any/model", corpus: CORPUS });
    expect(embedder.backend).toBe("lexical");
    expect(fallbackReason).toMatch(/^no models directory configured for model "any\/model"/);
  });

  it.skipIf(!sharedModelPresent)("uses the transformers model when its weights are present", async () => {
    const { embedder, fallbackReason } = await loadEmbedder({
      modelsDir: SHARED_MODELS_DIR,
      modelId: SHARED_MODEL_ID,
      corpus: CORPUS,
    });
    try {
      expect(fallbackReason).toBeNull();
      expect(embedder.backend).toBe("transformers");
      expect(embedder.dimension).toBe(64);
    } finally {
      await embedder.dispose();
    }
  });
});
