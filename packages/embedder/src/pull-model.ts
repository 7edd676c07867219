// The body of `npm run models:pull -- <model id>`: downloads a model's files from the Hugging Face hub
// (or a mirror) through transformers.js itself, so exactly the files an offline load needs end up in
// <modelsDir>/<modelId>/.

import path from "node:path";
import { type DataType, env, pipeline } from "@huggingface/transformers";
import { describeError, ModelPullError } from "./embedder-errors.ts";
import { computeModelVersion } from "./model-version.ts";
import { withTransformersEnv } from "./transformers-env.ts";

export type TPullModelOptions = {
  /** A hub mirror, e.g. "https://hf-mirror.example/"; default: transformers.js's (huggingface.co). */
  remoteHost?: string;
  /** Which ONNX variant to fetch (fp32, q8, ...); default: the model's own config or fp32. */
  dtype?: DataType;
  /** "image" fetches what image-feature-extraction loads (the image processor's config, the vision graph). */
  kind?: "text" | "image";
};

export type TPulledModel = { modelId: string; modelDir: string; modelVersion: string };

export const pullModel = async (
  modelId: string,
  modelsDir: string,
  options: TPullModelOptions = {},
): Promise<TPulledModel> => {
  const remoteHost = options.remoteHost ?? env.remoteHost;
  try {
    const extractor = await withTransformersEnv<{ dispose: () => Promise<void> }>(
      // Local files off: otherwise an existing partial copy would be loaded instead of completed.
      { localModelPath: modelsDir, allowRemoteModels: true, allowLocalModels: false, remoteHost },
      () =>
        options.kind === "image"
          ? pipeline("image-feature-extraction", modelId, { cache_dir: modelsDir, dtype: options.dtype })
          : pipeline("feature-extraction", modelId, { cache_dir: modelsDir, dtype: options.dtype }),
    );
    await extractor.dispose();
  } catch (error) {
    throw new ModelPullError(modelId, remoteHost, describeError(error), { cause: error });
  }
  const modelDir = path.join(modelsDir, modelId);
  return { modelId, modelDir, modelVersion: await computeModelVersion(modelDir) };
};
