// Sentence embeddings from a local transformers.js model (BERT-family encoders, Model2Vec-style static
// models): pipeline("feature-extraction") with attention-masked mean pooling over tokens, as
// sentence-transformers does (Reimers & Gurevych 2019, "Sentence-BERT"), then L2 normalisation so that
// cosine similarity is a dot product.

import { access } from "node:fs/promises";
import path from "node:path";
import { type FeatureExtractionPipeline, ModelFileNotFoundError, pipeline } from "@huggingface/transformers";
import { describeError, ModelNotFoundError } from "./embedder-errors.ts";
import type { TEmbedder } from "./embedder-types.ts";
import { computeModelVersion } from "./model-version.ts";
import { withTransformersEnv } from "./transformers-env.ts";
import { normalizeInPlace } from "./vector-norm.ts";

const DEFAULT_BATCH_SIZE = 32;

export type TTransformersEmbedderOptions = {
  /** Folder holding one sub-folder per model id, e.g. <modelsDir>/Xenova/all-MiniLM-L6-v2/config.json. */
  modelsDir: string;
  modelId: string;
  /** Texts per ONNX run; a batch is padded to its longest text. */
  batchSize?: number;
  /** Download missing files from the hub into `modelsDir` (off by default: runs must work offline). */
  allowRemote?: boolean;
};

export type TTransformersEmbedder = TEmbedder & { backend: "transformers" };

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

// transformers.js resolves a local model at `${env.localModelPath}/${modelId}/<file>`.
const loadPipeline = async (options: TTransformersEmbedderOptions): Promise<FeatureExtractionPipeline> => {
  const { modelsDir, modelId, allowRemote = false } = options;
  const modelDir = path.join(modelsDir, modelId);
  const configFile = path.join(modelDir, "config.json");
  if (!allowRemote && !(await exists(configFile))) throw new ModelNotFoundError(modelId, configFile);
  try {
    return await withTransformersEnv(
      { localModelPath: modelsDir, allowRemoteModels: allowRemote, allowLocalModels: true },
      () =>
        pipeline("feature-extraction", modelId, {
          // Downloads (allowRemote) land in <modelsDir>/<modelId>/, where the next offline load looks.
          cache_dir: modelsDir,
          local_files_only: !allowRemote,
        }),
    );
  } catch (error) {
    // e.g. config.json present but onnx/model.onnx or tokenizer.json missing.
    if (error instanceof ModelFileNotFoundError) {
      const lookedAt = /at "([^"]+)"/.exec(error.message)?.[1] ?? modelDir;
      throw new ModelNotFoundError(modelId, lookedAt, { cause: error });
    }
    throw new Error(`could not load model "${modelId}" from ${modelDir}: ${describeError(error)}`, {
      cause: error,
    });
  }
};

const runBatch = async (extractor: FeatureExtractionPipeline, batch: string[]): Promise<Float32Array[]> => {
  // normalize: false because transformers.js divides by the norm unguarded, turning a text with no
  // embeddable tokens (all-zero pooled vector) into NaNs; normalizeInPlace keeps it at zero.
  const output = await extractor(batch, { pooling: "mean", normalize: false });
  try {
    const [rows, dimension] = output.dims;
    if (output.dims.length !== 2 || rows !== batch.length || dimension === undefined) {
      throw new Error(`unexpected embedding shape [${output.dims.join(", ")}] for ${batch.length} texts`);
    }
    const data = output.data;
    if (!(data instanceof Float32Array)) throw new Error(`expected float32 embeddings, got ${output.type}`);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < rows; i++)
      vectors.push(normalizeInPlace(data.slice(i * dimension, (i + 1) * dimension)));
    return vectors;
  } finally {
    output.dispose();
  }
};

/**
 * Loads `modelId` from `modelsDir` (throws ModelNotFoundError naming the path looked at when absent)
 * and returns an embedder whose `modelVersion` hashes the model's files.
 */
export const createTransformersEmbedder = async (
  options: TTransformersEmbedderOptions,
): Promise<TTransformersEmbedder> => {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const extractor = await loadPipeline(options);
  const modelVersion = await computeModelVersion(path.join(options.modelsDir, options.modelId));
  // The output width is what the graph produces (some models project past hidden_size), so ask it.
  const [probe] = await runBatch(extractor, ["dimension probe"]);
  const dimension = probe!.length;

  return {
    modelId: options.modelId,
    modelVersion,
    backend: "transformers",
    dimension,
    embed: async (texts) => {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await runBatch(extractor, texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
    dispose: () => extractor.dispose(),
  };
};
