import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RawImage } from "@huggingface/transformers";
import { describe, expect, it } from "vitest";
import { createImageEmbedder, readFastPreprocess, rowsOf } from "./image-embedder.ts";
import { SHARED_MODELS_DIR } from "./shared-model.test-helper.ts";

const IMAGE_MODEL_ID = "shop-image-resnet-tiny";
const imageModelPresent = existsSync(path.join(SHARED_MODELS_DIR, IMAGE_MODEL_ID, "config.json"));
const SAMPLE_IMAGES = path.resolve(SHARED_MODELS_DIR, "../datasets/fashion-products-sample/images");
if (!imageModelPresent) {
  process.stderr.write(
    `[embedder tests] skipping image-model tests: ${path.join(SHARED_MODELS_DIR, IMAGE_MODEL_ID)} is missing\n`,
  );
}

const tensor = (dims: number[], values: number[]) => ({
  dims,
  data: new Float32Array(values),
  type: "float32",
  dispose: () => {},
});

describe("rowsOf", () => {
  it("averages a CNN map, keeps pooled rows and takes a ViT's class token", () => {
    expect(rowsOf(tensor([1, 2, 1, 2], [1, 3, 5, 7])).map((v) => [...v])).toEqual([[2, 6]]);
    expect(rowsOf(tensor([2, 2], [1, 2, 3, 4])).map((v) => [...v])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(rowsOf(tensor([1, 2, 2], [9, 8, 1, 1])).map((v) => [...v])).toEqual([[9, 8]]);
  });
});

describe("readFastPreprocess", () => {
  it("reads the known processors' steps as one resize and an affine map, and declines the rest", () => {
    const convnext = {
      image_processor_type: "ConvNextImageProcessor",
      size: { shortest_edge: 28 },
      crop_pct: 1,
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.25, 0.25, 0.25],
      rescale_factor: 1 / 255,
    };
    expect(readFastPreprocess(convnext)).toEqual({
      width: 28,
      height: 28,
      fit: "cover",
      rescale: 1 / 255,
      mean: [0.5, 0.5, 0.5],
      std: [0.25, 0.25, 0.25],
    });
    expect(readFastPreprocess({ ...convnext, crop_pct: 0.875 })).toBeNull();
    expect(readFastPreprocess({ ...convnext, size: { shortest_edge: 384 } })).toMatchObject({
      width: 384,
      fit: "fill",
    });
    const clip = {
      image_processor_type: "CLIPImageProcessor",
      size: { shortest_edge: 224 },
      crop_size: { height: 224, width: 224 },
      do_center_crop: true,
    };
    expect(readFastPreprocess(clip)).toMatchObject({
      width: 224,
      height: 224,
      fit: "cover",
      mean: [0.5, 0.5, 0.5],
    });
    const vit = {
      image_processor_type: "ViTImageProcessor",
      size: { height: 224, width: 224 },
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
    };
    expect(readFastPreprocess(vit)).toMatchObject({ width: 224, height: 224, fit: "fill" });
    expect(readFastPreprocess({ ...vit, image_processor_type: "DPTImageProcessor" })).toBeNull();
    expect(readFastPreprocess({ ...vit, do_pad: true })).toBeNull();
  });
});

describe.skipIf(!imageModelPresent)("createImageEmbedder with the shared image model", () => {
  it("matches the reference embeddings of PyTorch through both the fast path and the processor", async () => {
    const reference = JSON.parse(
      await readFile(path.join(SHARED_MODELS_DIR, IMAGE_MODEL_ID, "reference_embeddings.json"), "utf8"),
    ) as { items: { item_id: string; embedding: number[] }[] };
    const embedder = await createImageEmbedder({ modelsDir: SHARED_MODELS_DIR, modelId: IMAGE_MODEL_ID });
    try {
      expect(embedder).toMatchObject({ dimension: 64, inputSize: { width: 28, height: 28, fit: "cover" } });
      expect(embedder.modelVersion).toMatch(/^sha256:[0-9a-f]{16}$/);
      const items = reference.items.slice(0, 4);
      const grey = await Promise.all(
        items.map((item) => RawImage.read(path.join(SAMPLE_IMAGES, `${item.item_id}.png`))),
      );
      // RGB at the input size takes the fast path; the 1-channel originals go through the processor.
      const fast = await embedder.embed(
        grey.map((image) => {
          const rgb = image.clone().rgb();
          return {
            data: rgb.data as Uint8ClampedArray,
            width: rgb.width,
            height: rgb.height,
            channels: 3 as const,
          };
        }),
      );
      const processed = await embedder.embed(
        grey.map((image) => ({
          data: image.data as Uint8ClampedArray,
          width: image.width,
          height: image.height,
          channels: 1 as const,
        })),
      );
      items.forEach((item, i) => {
        const unit = Math.hypot(...item.embedding);
        for (const vectors of [fast, processed]) {
          const cosine = item.embedding.reduce((s, x, j) => s + (x / unit) * vectors[i]![j]!, 0);
          expect(cosine).toBeGreaterThan(0.99999);
        }
      });
    } finally {
      await embedder.dispose();
    }
  });
});
