// Image embeddings on the fashion sample (../shared/datasets/fashion-products-sample, 1,000 pictures in
// 10 classes) with the shared image model (../shared/models/shop-image-resnet-tiny):
// 1. Quality: the share of items whose nearest neighbour (cosine, itself excluded) has the same class,
//    for the pictures' vectors, the titles' vectors (text only) and the fused text + image vectors
//    (fusion-matrix.ts, weights 1 and 1), all made through the product's code.
// 2. Throughput: the features.embedImages job's per-batch path (read the stored picture, decode it with
//    sharp, the transformers.js processor + ONNX run + pooling + L2 norm, then the artifact append with
//    its checkpoint, overlapped as the job does) against a bare onnxruntime session fed the same
//    batches (the same files decoded by sharp straight to the model's 28x28 input, normalised inline,
//    session.run, the same pooling), in the same run, interleaved chunk by chunk.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createImageEmbedder } from "@dam/embedder/image-embedder";
import { createLexicalEmbedder } from "@dam/embedder/lexical-embedder";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import type { TBatchAppender } from "../apps/api/src/modules/features/embedding-artifact.ts";
import { embedInto } from "../apps/api/src/modules/features/embedding-loop.ts";
import { fuseItems } from "../apps/api/src/modules/features/fusion-matrix.ts";
import { ZFusionRecipe } from "../apps/api/src/modules/features/fusion-recipe.ts";
import { decodeRgb } from "../apps/api/src/modules/features/image-decode.ts";
import {
  IMAGE_EMBED_BATCH,
  pictureBatches,
} from "../apps/api/src/modules/features/image-embedding-run.service.ts";
import { machineInfo, type TBenchResult } from "./bench-result.ts";
import { openRepeatAppender } from "./embed-appender.ts";
import { compareCpu, compareTimes, median, runPairedRepeats, type TTimedVariant } from "./paired-repeats.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODELS_DIR = path.resolve(ROOT, "../shared/models");
const MODEL_ID = "shop-image-resnet-tiny";
const TEXT_MODEL_ID = "retail-static-64d";
const SAMPLE_DIR = path.resolve(ROOT, "../shared/datasets/fashion-products-sample");
const REPEATS = 7;
const CHUNK_BATCHES = 8;
const QUALITY_GOAL = 0.85;
const SPEED_GOAL = 0.9;
const MAX_PIXELS = 50_000_000;

const log = (line: string) => process.stderr.write(`[bench embed-images] ${line}\n`);

type TItem = { id: string; title: string; category: string; file: string };

const readSample = async (): Promise<TItem[]> => {
  const lines = (await readFile(path.join(SAMPLE_DIR, "catalog.csv"), "utf8")).trim().split("\n").slice(1);
  return lines.map((line) => {
    const [id, title, category, , image] = line.split(",");
    return { id: id!, title: title!, category: category!, file: path.join(SAMPLE_DIR, image!) };
  });
};

/** Share of rows whose most cosine-similar other row has the same label (ties: the lower row). */
const nearestSameClass = (data: Float32Array, dimension: number, labels: string[]): number => {
  const rows = labels.length;
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dimension; j++) s += data[r * dimension + j]! ** 2;
    norms[r] = Math.sqrt(s) || 1;
  }
  let hits = 0;
  for (let a = 0; a < rows; a++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < rows; b++) {
      if (b === a) continue;
      let dot = 0;
      for (let j = 0; j < dimension; j++) dot += data[a * dimension + j]! * data[b * dimension + j]!;
      const score = dot / (norms[a]! * norms[b]!);
      if (score > bestScore) {
        bestScore = score;
        best = b;
      }
    }
    if (labels[best] === labels[a]) hits++;
  }
  return hits / rows;
};

/** The title less the words of its class name ("dark ankle boot" of Ankle boot -> "dark"; plurals too). */
const withoutClassWords = (title: string, category: string): string => {
  const classWords = new Set(category.toLowerCase().split(/[\s/]+/));
  return title
    .split(/\s+/)
    .filter(
      (word) => !classWords.has(word.toLowerCase()) && !classWords.has(word.toLowerCase().replace(/s$/, "")),
    )
    .join(" ");
};

const flatten = (vectors: Float32Array[]) => {
  const dimension = vectors[0]!.length;
  const data = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => {
    data.set(v, i * dimension);
  });
  return { data, dimension };
};

const ZPreprocessor = {
  parse: (raw: unknown) =>
    raw as { image_mean: number[]; image_std: number[]; size: { shortest_edge: number } },
};

const bareSession = async () => {
  const config = ZPreprocessor.parse(
    JSON.parse(await readFile(path.join(MODELS_DIR, MODEL_ID, "preprocessor_config.json"), "utf8")),
  );
  const edge = config.size.shortest_edge;
  const session = await ort.InferenceSession.create(path.join(MODELS_DIR, MODEL_ID, "onnx/model.onnx"));
  const decode = async (file: string) =>
    sharp(await readFile(file))
      .flatten({ background: "#ffffff" })
      .resize(edge, edge, { fit: "cover", kernel: "linear" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer();
  return async (files: string[]): Promise<Float32Array[]> => {
    const pixels = await Promise.all(files.map(decode));
    const area = edge * edge;
    const input = new Float32Array(files.length * 3 * area);
    pixels.forEach((rgb, n) => {
      for (let c = 0; c < 3; c++) {
        const mean = config.image_mean[c]!;
        const std = config.image_std[c]!;
        const base = (n * 3 + c) * area;
        for (let k = 0; k < area; k++) input[base + k] = (rgb[k * 3 + c]! / 255 - mean) / std;
      }
    });
    const outputs = await session.run({
      pixel_values: new ort.Tensor("float32", input, [files.length, 3, edge, edge]),
    });
    const pooled = outputs.pooler_output!.data as Float32Array;
    const dimension = pooled.length / files.length;
    return files.map((_, n) => {
      const v = pooled.slice(n * dimension, (n + 1) * dimension);
      let s = 0;
      for (const x of v) s += x * x;
      const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < v.length; j++) v[j]! *= scale;
      return v;
    });
  };
};

export const run = async (): Promise<TBenchResult> => {
  for (const required of [
    path.join(MODELS_DIR, MODEL_ID, "config.json"),
    path.join(SAMPLE_DIR, "catalog.csv"),
  ]) {
    if (!existsSync(required))
      throw new Error(`${required} is missing; this benchmark needs the shared fixtures`);
  }
  const startedAt = new Date().toISOString();
  const items = await readSample();
  const labels = items.map((item) => item.category);
  const embedder = await createImageEmbedder({
    modelsDir: MODELS_DIR,
    modelId: MODEL_ID,
    batchSize: IMAGE_EMBED_BATCH,
  });
  const batches = Array.from({ length: Math.ceil(items.length / IMAGE_EMBED_BATCH) }, (_, i) =>
    items.slice(i * IMAGE_EMBED_BATCH, (i + 1) * IMAGE_EMBED_BATCH),
  );
  const jobBatch = async (batch: TItem[]) =>
    embedder.embed(
      await Promise.all(
        batch.map(async (item) => decodeRgb(await readFile(item.file), MAX_PIXELS, embedder.inputSize)),
      ),
    );

  // 1. Quality.
  const imageVectors: Float32Array[] = [];
  for (const batch of batches) imageVectors.push(...(await jobBatch(batch)));
  const image = flatten(imageVectors);
  const imageShare = nearestSameClass(image.data, image.dimension, labels);
  const textModelPresent = existsSync(path.join(MODELS_DIR, TEXT_MODEL_ID, "config.json"));
  const index = new Map(items.map((item, row) => [item.id, row]));
  /** Nearest-neighbour same-class share of the texts' vectors alone, and fused with the pictures'. */
  const textAndFused = async (texts: string[]) => {
    const textEmbedder = textModelPresent
      ? await createTransformersEmbedder({ modelsDir: MODELS_DIR, modelId: TEXT_MODEL_ID, batchSize: 64 })
      : createLexicalEmbedder(texts);
    const text = flatten(await textEmbedder.embed(texts));
    await textEmbedder.dispose();
    const fused = fuseItems(
      items.map((item) => ({ id: item.id, category: null, attributes: {}, price: null, popularity: null })),
      { index, ...text },
      ZFusionRecipe.parse({
        catalogVersionId: "00000000-0000-4000-8000-000000000000",
        weights: { text: 1, image: 1, category: 0, attributes: 0, numeric: 0 },
      }),
      { index, ...image },
    );
    return {
      text: nearestSameClass(text.data, text.dimension, labels),
      fused: nearestSameClass(fused.data, fused.dimension, labels),
    };
  };
  // Every title of the sample names its class ("grey shirt"), so text alone is already near perfect
  // there and fusion cannot beat it. The case fusion is for is text that does not say what the
  // picture shows: the same titles with the class words removed (what is left, "grey", is a shade
  // derived from the picture's brightness).
  const titles = items.map((item) => item.title);
  const shades = items.map((item) => withoutClassWords(item.title, item.category));
  const full = await textAndFused(titles);
  const stripped = await textAndFused(shades);
  const textShare = stripped.text;
  const fusedShare = stripped.fused;
  log(
    `nearest neighbour same class: image ${imageShare}; titles: text ${full.text}, fused ${full.fused}; titles without class words: text ${stripped.text}, fused ${stripped.fused}`,
  );

  // 2. Throughput.
  const bare = await bareSession();
  const files = batches.map((batch) => batch.map((item) => item.file));
  const [a] = await jobBatch([items[1]!]);
  const [b] = await bare([items[1]!.file]);
  const maxDiff = Math.max(...Array.from(a!, (x, j) => Math.abs(x - b![j]!)));
  if (maxDiff > 1e-3) throw new Error(`job path and bare session disagree by ${maxDiff}`);
  const scratch = await mkdtemp(path.join(tmpdir(), "dam-bench-embed-images-"));
  const chunks = Array.from({ length: Math.ceil(batches.length / CHUNK_BATCHES) }, (_, i) =>
    batches.slice(i * CHUNK_BATCHES, (i + 1) * CHUNK_BATCHES).flat(),
  );
  let appender: TBatchAppender | null = null;
  let written = 0;
  const jobPath: TTimedVariant = {
    begin: async (repeat) => {
      appender = await openRepeatAppender(scratch, repeat, embedder);
      written = 0;
    },
    // The job's loop and batch source over one chunk: the next batch is read and decoded while the
    // current one runs through the model, the appends run off the main thread.
    chunk: async (c) => {
      written += await embedInto(
        appender!,
        pictureBatches(
          chunks[c]!.map((item) => ({ itemId: item.id, file: item.file })),
          0,
          MAX_PIXELS,
          embedder.inputSize,
        ),
        (inputs) => embedder.embed(inputs),
      );
      await appender!.settle();
    },
    end: async () => {
      const checkpoint = await appender!.flush();
      await appender!.close();
      if (checkpoint.rows !== items.length || written !== items.length)
        throw new Error(`job path wrote ${checkpoint.rows} of ${items.length} vectors`);
    },
  };
  const barePath: TTimedVariant = {
    chunk: async (c) => {
      const chunk = chunks[c]!;
      for (let at = 0; at < chunk.length; at += IMAGE_EMBED_BATCH)
        await bare(chunk.slice(at, at + IMAGE_EMBED_BATCH).map((item) => item.file));
    },
  };
  // Warm-up.
  await jobBatch(batches[0]!);
  await bare(files[0]!);
  const {
    seconds: [ours, baseline],
    cpuSeconds: [oursCpu, baselineCpu],
  } = await runPairedRepeats({
    variants: [jobPath, barePath],
    chunks: chunks.length,
    repeats: REPEATS,
    onRepeat: (r, seconds) =>
      log(
        `repeat ${r + 1}: job path ${seconds[0]!.toFixed(3)} s, bare session ${seconds[1]!.toFixed(3)} s (ratio ${(seconds[1]! / seconds[0]!).toFixed(2)})`,
      ),
  });
  await embedder.dispose();
  await rm(scratch, { recursive: true, force: true });
  const { pairedRatios, medianPairedRatio } = compareTimes(ours!, baseline!);
  const oursRate = items.length / Math.min(...ours!);
  const bareRate = items.length / Math.min(...baseline!);
  const ratio = oursRate / bareRate;
  const dataset = "fashion-products-sample (1,000 pictures, 10 classes)";
  return {
    name: "embed-images",
    startedAt,
    machine: machineInfo(),
    rows: [
      { dataset, algorithm: `image vectors (${MODEL_ID})`, metrics: { nnSameClass: imageShare } },
      {
        dataset,
        algorithm: `text only: titles, each naming its class (${textModelPresent ? TEXT_MODEL_ID : "lexical-hash-tfidf"})`,
        metrics: { nnSameClass: full.text },
      },
      {
        dataset,
        algorithm: "fused: titles + image blocks, weights 1 and 1",
        metrics: { nnSameClass: full.fused },
      },
      {
        dataset,
        algorithm: `text only: titles without their class words, e.g. "grey" (${textModelPresent ? TEXT_MODEL_ID : "lexical-hash-tfidf"})`,
        metrics: { nnSameClass: stripped.text },
      },
      {
        dataset,
        algorithm: "fused: titles without class words + image blocks, weights 1 and 1",
        metrics: { nnSameClass: stripped.fused },
      },
      {
        dataset,
        algorithm: "features.embedImages job path (read + sharp decode + transformers.js + artifact append)",
        params: {
          modelId: MODEL_ID,
          batch: IMAGE_EMBED_BATCH,
          items: items.length,
          repeats: REPEATS,
          chunkBatches: CHUNK_BATCHES,
        },
        bestSeconds: Math.min(...ours!),
        medianSeconds: median(ours!),
        itemsPerSecond: Math.round(oursRate),
        pairedRatios,
        medianPairedRatio,
        cpuSeconds: Number(oursCpu!.reduce((a, b) => a + b, 0).toFixed(2)),
        cpuRatioVsBare: compareCpu(oursCpu!, baselineCpu!),
      },
      {
        dataset,
        algorithm: "bare onnxruntime-node session (same files, sharp decode to 28x28, inline normalisation)",
        params: { modelId: MODEL_ID, batch: IMAGE_EMBED_BATCH, items: items.length, repeats: REPEATS },
        bestSeconds: Math.min(...baseline!),
        cpuSeconds: Number(baselineCpu!.reduce((a, b) => a + b, 0).toFixed(2)),
        medianSeconds: median(baseline!),
        itemsPerSecond: Math.round(bareRate),
      },
    ],
    baseline: {
      what: "bare onnxruntime session pictures/s on the same batches (best of repeats)",
      value: Math.round(bareRate),
    },
    ratio,
    goal: `image nearest-neighbour same-class share >= ${QUALITY_GOAL}; fused > text only where the text does not name the class (titles without class words; with full titles text alone is already ${full.text}); job path >= ${SPEED_GOAL} of the bare session (best-of and median paired ratio)`,
    met:
      imageShare >= QUALITY_GOAL &&
      fusedShare > textShare &&
      ratio >= SPEED_GOAL &&
      medianPairedRatio >= SPEED_GOAL,
  };
};
