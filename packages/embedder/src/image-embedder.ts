// Image embeddings from a local transformers.js model (ResNet, ViT, CLIP vision towers):
// the image-feature-extraction pipeline's own processor (resize, crop, rescale, normalise as the
// model's preprocessor_config.json says) and model, then one vector per picture, L2-normalised so that
// cosine similarity is a dot product. There is deliberately no fallback: a picture has no lexical
// stand-in, so missing weights are an error that names the path looked at.

import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { ModelFileNotFoundError, pipeline, RawImage, Tensor } from "@huggingface/transformers";
import { describeError, ModelNotFoundError } from "./embedder-errors.ts";
import { computeModelVersion } from "./model-version.ts";
import { withTransformersEnv } from "./transformers-env.ts";
import { normalizeInPlace } from "./vector-norm.ts";

/** 8-bit pixels, row-major, interleaved channels (1 grey, 3 RGB or 4 RGBA). */
export type TPixels = {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
};

/**
 * The picture size the model's processor ends with, when its steps amount to one resize the caller's
 * decoder can do while decoding: "cover" (shortest edge to the size, then a centre crop: CLIP, and
 * ConvNext/ResNet with crop_pct 1) or "fill" (both edges to the size: ViT). null: use the processor.
 */
export type TImageInputSize = { width: number; height: number; fit: "cover" | "fill" };

type TFastPreprocess = TImageInputSize & { rescale: number; mean: number[]; std: number[] };

export type TImageEmbedder = {
  modelId: string;
  /** Pictures of exactly this size (RGB) skip the processor's resize and crop; see TImageInputSize. */
  inputSize: TImageInputSize | null;
  /** sha256 over the model's config, preprocessor config and ONNX file sizes. */
  modelVersion: string;
  backend: "transformers";
  dimension: number;
  /** One L2-normalised vector per picture, in input order. */
  embed: (images: TPixels[]) => Promise<Float32Array[]>;
  dispose: () => Promise<void>;
};

export type TImageEmbedderOptions = { modelsDir: string; modelId: string; batchSize?: number };

type TTensorLike = { dims: number[]; data: unknown; type: string; dispose: () => void };
type TImagePipeline = {
  processor: (images: RawImage[]) => Promise<Record<string, TTensorLike>>;
  model: (inputs: Record<string, TTensorLike>) => Promise<Record<string, TTensorLike | undefined>>;
  dispose: () => Promise<void>;
};

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Throws ModelNotFoundError (with the path looked at) unless `modelId` has a config and an image processor. */
export const assertImageModelPresent = async (modelsDir: string, modelId: string): Promise<void> => {
  for (const name of ["config.json", "preprocessor_config.json"]) {
    const file = path.join(modelsDir, modelId, name);
    if (!(await exists(file))) throw new ModelNotFoundError(modelId, file);
  }
};

const loadPipeline = async ({ modelsDir, modelId }: TImageEmbedderOptions): Promise<TImagePipeline> => {
  await assertImageModelPresent(modelsDir, modelId);
  try {
    const loaded = await withTransformersEnv(
      { localModelPath: modelsDir, allowRemoteModels: false, allowLocalModels: true },
      () =>
        pipeline("image-feature-extraction", modelId, {
          local_files_only: true,
          cache_dir: modelsDir,
          dtype: "fp32",
        }),
    );
    return loaded as unknown as TImagePipeline;
  } catch (error) {
    if (error instanceof ModelFileNotFoundError) {
      const lookedAt = /at "([^"]+)"/.exec(error.message)?.[1] ?? path.join(modelsDir, modelId);
      throw new ModelNotFoundError(modelId, lookedAt, { cause: error });
    }
    throw new Error(`could not load image model "${modelId}": ${describeError(error)}`, { cause: error });
  }
};

/**
 * One vector per row of a model output: [N, D] as is (CLIP image_embeds, pooled ViT), [N, D, H, W]
 * averaged over H x W (a CNN's pooler_output is [N, D, 1, 1]; its last_hidden_state is averaged the
 * same way, which is what the pooler does), [N, T, D] the first (class) token, as ViT's pooler reads it.
 */
export const rowsOf = (tensor: TTensorLike): Float32Array[] => {
  const data = tensor.data;
  if (!(data instanceof Float32Array)) throw new Error(`expected float32 image features, got ${tensor.type}`);
  const [n = 0, a = 0, b = 1, c = 1] = tensor.dims;
  const rows: Float32Array[] = [];
  for (let r = 0; r < n; r++) {
    if (tensor.dims.length === 2) rows.push(data.slice(r * a, (r + 1) * a));
    else if (tensor.dims.length === 4) {
      const area = b * c;
      const v = new Float32Array(a);
      for (let d = 0; d < a; d++) {
        let sum = 0;
        const base = (r * a + d) * area;
        for (let k = 0; k < area; k++) sum += data[base + k]!;
        v[d] = sum / area;
      }
      rows.push(v);
    } else if (tensor.dims.length === 3) rows.push(data.slice(r * a * b, r * a * b + b));
    else throw new Error(`unexpected image feature shape [${tensor.dims.join(", ")}]`);
  }
  return rows;
};

const KNOWN_PROCESSORS = new Set([
  "ConvNextImageProcessor",
  "ConvNextFeatureExtractor",
  "CLIPImageProcessor",
  "CLIPFeatureExtractor",
  "ViTImageProcessor",
  "ViTFeatureExtractor",
]);

const triple = (value: unknown, fallback: number): number[] | null => {
  if (value === undefined) return [fallback, fallback, fallback];
  if (typeof value === "number") return [value, value, value];
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === "number")
    ? value
    : null;
};

/**
 * The processor's steps as one resize plus a per-channel affine map, for the processors whose steps
 * are known (transformers' ConvNext, CLIP and ViT image processors, whose Python originals define the
 * same steps); null for anything else, which then goes through the processor itself.
 */
export const readFastPreprocess = (config: Record<string, unknown>): TFastPreprocess | null => {
  const type = String(config.image_processor_type ?? config.feature_extractor_type ?? "");
  if (!KNOWN_PROCESSORS.has(type) || config.do_pad === true) return null;
  if (config.do_resize === false) return null;
  const size = config.size as
    | { shortest_edge?: number; height?: number; width?: number }
    | number
    | undefined;
  const rescale = config.do_rescale === false ? 1 : Number(config.rescale_factor ?? 1 / 255);
  const mean = config.do_normalize === false ? [0, 0, 0] : triple(config.image_mean, 0.5);
  const std = config.do_normalize === false ? [1, 1, 1] : triple(config.image_std, 0.5);
  if (!mean || !std || !Number.isFinite(rescale)) return null;
  const base = { rescale, mean, std };
  if (type.startsWith("ConvNext")) {
    const edge = typeof size === "object" ? size.shortest_edge : undefined;
    if (edge === undefined) return null;
    // ConvNext: below 384, resize the shortest edge to edge / crop_pct and crop edge x edge (the same as
    // "cover" only when crop_pct is 1); from 384, warp to edge x edge.
    if (edge >= 384) return { ...base, width: edge, height: edge, fit: "fill" };
    return Number(config.crop_pct ?? 224 / 256) === 1
      ? { ...base, width: edge, height: edge, fit: "cover" }
      : null;
  }
  const crop = config.crop_size as { height?: number; width?: number } | number | undefined;
  if (typeof size === "object" && size.shortest_edge !== undefined) {
    const edge = size.shortest_edge;
    const cropEdge =
      typeof crop === "number" ? crop : crop?.height === crop?.width ? crop?.height : undefined;
    return config.do_center_crop !== false && cropEdge === edge
      ? { ...base, width: edge, height: edge, fit: "cover" }
      : null;
  }
  if (
    typeof size === "object" &&
    size.height !== undefined &&
    size.width !== undefined &&
    config.do_center_crop !== true
  ) {
    return { ...base, width: size.width, height: size.height, fit: "fill" };
  }
  return null;
};

/** pixel_values [N, 3, H, W] from RGB pictures already at the input size: rescale, normalise, HWC -> CHW. */
const toPixelValues = (images: TPixels[], spec: TFastPreprocess): Tensor => {
  const area = spec.width * spec.height;
  const data = new Float32Array(images.length * 3 * area);
  images.forEach((image, n) => {
    const source = image.data;
    for (let c = 0; c < 3; c++) {
      const scale = spec.rescale / spec.std[c]!;
      const shift = spec.mean[c]! / spec.std[c]!;
      const base = (n * 3 + c) * area;
      for (let k = 0; k < area; k++) data[base + k] = source[k * 3 + c]! * scale - shift;
    }
  });
  return new Tensor("float32", data, [images.length, 3, spec.height, spec.width]);
};

const OUTPUT_NAMES = ["image_embeds", "pooler_output", "last_hidden_state"];

const runBatch = async (
  extractor: TImagePipeline,
  batch: TPixels[],
  fast: TFastPreprocess | null,
): Promise<Float32Array[]> => {
  const ready =
    fast !== null &&
    batch.every(
      (image) => image.channels === 3 && image.width === fast.width && image.height === fast.height,
    );
  const inputs = ready
    ? { pixel_values: toPixelValues(batch, fast) as unknown as TTensorLike }
    : await extractor.processor(
        batch.map((image) => new RawImage(image.data, image.width, image.height, image.channels)),
      );
  const outputs = await extractor.model(inputs);
  try {
    const name = OUTPUT_NAMES.find((candidate) => outputs[candidate] !== undefined);
    if (!name) throw new Error(`the model returned no image features (${Object.keys(outputs).join(", ")})`);
    const vectors = rowsOf(outputs[name]!);
    if (vectors.length !== batch.length) {
      throw new Error(`the model returned ${vectors.length} vectors for ${batch.length} pictures`);
    }
    return vectors.map((vector) => normalizeInPlace(vector));
  } finally {
    // The processor also returns plain arrays (original sizes); only tensors hold native memory.
    for (const value of [...Object.values(inputs), ...Object.values(outputs)]) {
      if (value && typeof value.dispose === "function") value.dispose();
    }
  }
};

const imageModelVersion = async (modelDir: string): Promise<string> => {
  const hash = createHash("sha256");
  hash.update(await computeModelVersion(modelDir));
  hash.update(await readFile(path.join(modelDir, "preprocessor_config.json")));
  return `sha256:${hash.digest("hex").slice(0, 16)}`;
};

/** Loads `modelId` from `modelsDir` (ModelNotFoundError naming the path when absent). */
export const createImageEmbedder = async (options: TImageEmbedderOptions): Promise<TImageEmbedder> => {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const extractor = await loadPipeline(options);
  const modelDir = path.join(options.modelsDir, options.modelId);
  const modelVersion = await imageModelVersion(modelDir);
  const fast = readFastPreprocess(
    JSON.parse(await readFile(path.join(modelDir, "preprocessor_config.json"), "utf8")) as Record<
      string,
      unknown
    >,
  );
  // The output width is whatever the graph produces; a white 32x32 picture asks it.
  const probe = await runBatch(
    extractor,
    [{ data: new Uint8ClampedArray(32 * 32 * 3).fill(255), width: 32, height: 32, channels: 3 }],
    null,
  );
  return {
    modelId: options.modelId,
    modelVersion,
    inputSize: fast === null ? null : { width: fast.width, height: fast.height, fit: fast.fit },
    backend: "transformers",
    dimension: probe[0]!.length,
    embed: async (images) => {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < images.length; start += batchSize) {
        vectors.push(...(await runBatch(extractor, images.slice(start, start + batchSize), fast)));
      }
      return vectors;
    },
    dispose: () => extractor.dispose(),
  };
};
