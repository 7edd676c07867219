// Embedding throughput with the shared transformers.js model (../shared/models/retail-static-64d):
// the features.embed job's loop (embedding-loop.ts: the embedder's tokenise + ONNX run + masked mean
// pooling + L2 norm, the artifact appends and their checkpoints, overlapped with the next batch as the
// job does, and the final durable flush) against the bare onnxruntime session fed the same batches
// (same tokenizer, session.run, the same pooling written inline), in the same run.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateDemoShop } from "@dam/demo-shop/generate";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import { AutoTokenizer, env, type Tensor as HfTensor } from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import type { TBatchAppender } from "../apps/api/src/modules/features/embedding-artifact.ts";
import { embedInto, type TEmbedBatch } from "../apps/api/src/modules/features/embedding-loop.ts";
import { machineInfo, type TBenchResult } from "./bench-result.ts";
import { openRepeatAppender } from "./embed-appender.ts";
import { compareCpu, compareTimes, runPairedRepeats, type TTimedVariant } from "./paired-repeats.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODELS_DIR = path.resolve(ROOT, "../shared/models");
const MODEL_ID = "retail-static-64d";
// The job's batch size (embedding-run.service.ts EMBED_BATCH).
const BATCH = 64;
const REPEATS = 7;
// Batches per interleaving turn (about a fifth of the corpus). At the end of each turn the job path
// waits for its writes in flight (none spills into another variant's turn); its final durable flush
// is timed at the end of each repeat, as the job pays it once per run.
const CHUNK_BATCHES = 16;
const GOAL = 0.9;

const log = (line: string) => process.stderr.write(`[bench embed] ${line}\n`);

const texts = () =>
  generateDemoShop({ seed: 42, products: 5000, users: 10, events: 10 }).products.map((p) =>
    [p.title, p.description].filter(Boolean).join(". "),
  );

const batchesOf = (all: string[]) =>
  Array.from({ length: Math.ceil(all.length / BATCH) }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH));

const bareSession = async () => {
  env.localModelPath = MODELS_DIR;
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID, { local_files_only: true });
  const session = await ort.InferenceSession.create(path.join(MODELS_DIR, MODEL_ID, "onnx/model.onnx"));
  const toOrt = (t: HfTensor) => new ort.Tensor("int64", t.data as BigInt64Array, t.dims);
  return async (batch: string[]): Promise<Float32Array[]> => {
    const encoded = tokenizer(batch, { padding: true, truncation: true }) as Record<string, HfTensor>;
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) feeds[name] = toOrt(encoded[name]!);
    const output = (await session.run(feeds)).last_hidden_state!;
    const [rows, tokens, dim] = output.dims as number[];
    const hidden = output.data as Float32Array;
    const mask = encoded.attention_mask!.data as BigInt64Array;
    const vectors: Float32Array[] = [];
    for (let r = 0; r < rows!; r++) {
      const v = new Float32Array(dim!);
      let count = 0;
      for (let t = 0; t < tokens!; t++) {
        if (mask[r * tokens! + t] === 0n) continue;
        count++;
        const base = (r * tokens! + t) * dim!;
        for (let j = 0; j < dim!; j++) v[j]! += hidden[base + j]!;
      }
      let norm = 0;
      for (let j = 0; j < dim!; j++) {
        v[j]! /= Math.max(1, count);
        norm += v[j]! ** 2;
      }
      if (norm > 0) for (let j = 0; j < dim!; j++) v[j]! /= Math.sqrt(norm);
      vectors.push(v);
    }
    return vectors;
  };
};

export const run = async (): Promise<TBenchResult> => {
  if (!existsSync(path.join(MODELS_DIR, MODEL_ID, "config.json"))) {
    throw new Error(
      `the shared model is missing at ${path.join(MODELS_DIR, MODEL_ID)}; this benchmark needs it`,
    );
  }
  const startedAt = new Date().toISOString();
  const batches = batchesOf(texts());
  const items = batches.reduce((n, b) => n + b.length, 0);
  const embedder = await createTransformersEmbedder({
    modelsDir: MODELS_DIR,
    modelId: MODEL_ID,
    batchSize: BATCH,
  });
  const bare = await bareSession();
  const scratch = await mkdtemp(path.join(tmpdir(), "dam-bench-embed-"));
  // Warm-up: JIT and the sessions' first runs.
  await embedder.embed(batches[0]!);
  await bare(batches[0]!);

  const chunks = Array.from({ length: Math.ceil(batches.length / CHUNK_BATCHES) }, (_, i) =>
    batches.slice(i * CHUNK_BATCHES, (i + 1) * CHUNK_BATCHES),
  );
  let appender: TBatchAppender | null = null;
  let line = 0;
  // The job's loop over one chunk, continuing the lines of the run.
  async function* chunkBatches(chunk: string[][]): AsyncGenerator<TEmbedBatch<string>> {
    for (const batch of chunk) {
      yield { ids: batch.map((_, i) => `item-${line + i}`), inputs: batch, lastLine: line + batch.length };
      line += batch.length;
    }
  }
  const jobPath: TTimedVariant = {
    begin: async (repeat) => {
      appender = await openRepeatAppender(scratch, repeat, embedder);
      line = 0;
    },
    chunk: async (c) => {
      await embedInto(appender!, chunkBatches(chunks[c]!), (inputs) => embedder.embed(inputs));
      await appender!.settle();
    },
    end: async () => {
      const written = await appender!.flush();
      await appender!.close();
      if (written.rows !== items) throw new Error(`job path wrote ${written.rows} of ${items} vectors`);
    },
  };
  const embedOnly: TTimedVariant = {
    chunk: async (c) => {
      for (const batch of chunks[c]!) await embedder.embed(batch);
    },
  };
  const barePath: TTimedVariant = {
    chunk: async (c) => {
      for (const batch of chunks[c]!) await bare(batch);
    },
  };
  // Same-answer check: the job path and the bare session must give the same vectors.
  const [a] = await embedder.embed([batches[1]![0]!]);
  const [b] = await bare([batches[1]![0]!]);
  const maxDiff = Math.max(...Array.from(a!, (x, j) => Math.abs(x - b![j]!)));
  if (maxDiff > 1e-4) throw new Error(`job path and bare session disagree by ${maxDiff}`);

  const {
    seconds: [ours, embedderOnly, baseline],
    cpuSeconds: [oursCpu, embedderCpu, baselineCpu],
  } = await runPairedRepeats({
    variants: [jobPath, embedOnly, barePath],
    chunks: chunks.length,
    repeats: REPEATS,
    onRepeat: (r, seconds) =>
      log(
        `repeat ${r + 1}: job path ${seconds[0]!.toFixed(2)} s, embedder alone ${seconds[1]!.toFixed(2)} s, bare session ${seconds[2]!.toFixed(2)} s (ratio ${(seconds[2]! / seconds[0]!).toFixed(2)})`,
      ),
  });
  const { pairedRatios, medianPairedRatio } = compareTimes(ours!, baseline!);
  const embedderAlone = compareTimes(embedderOnly!, baseline!);
  await embedder.dispose();
  await rm(scratch, { recursive: true, force: true });
  const oursRate = items / Math.min(...ours!);
  const bareRate = items / Math.min(...baseline!);
  const ratio = oursRate / bareRate;
  return {
    name: "embed",
    startedAt,
    machine: machineInfo(),
    rows: [
      {
        dataset: "demo shop products (title. description)",
        algorithm: "features.embed job path (transformers.js pipeline + artifact append)",
        params: { modelId: MODEL_ID, batch: BATCH, items, repeats: REPEATS, chunkBatches: CHUNK_BATCHES },
        bestSeconds: Math.min(...ours!),
        itemsPerSecond: Math.round(oursRate),
        pairedRatios,
        medianPairedRatio,
        cpuSeconds: Number(oursCpu!.reduce((a, b) => a + b, 0).toFixed(2)),
        cpuRatioVsBare: compareCpu(oursCpu!, baselineCpu!),
      },
      {
        dataset: "demo shop products (title. description)",
        algorithm: "embedder alone (transformers.js pipeline, no artifact writes)",
        params: { modelId: MODEL_ID, batch: BATCH, items, repeats: REPEATS, chunkBatches: CHUNK_BATCHES },
        bestSeconds: Math.min(...embedderOnly!),
        itemsPerSecond: Math.round(items / Math.min(...embedderOnly!)),
        pairedRatios: embedderAlone.pairedRatios,
        medianPairedRatio: embedderAlone.medianPairedRatio,
        cpuSeconds: Number(embedderCpu!.reduce((a, b) => a + b, 0).toFixed(2)),
        cpuRatioVsBare: compareCpu(embedderCpu!, baselineCpu!),
      },
      {
        dataset: "demo shop products (title. description)",
        algorithm: "bare onnxruntime-node session (same tokenizer and batches)",
        params: { modelId: MODEL_ID, batch: BATCH, items, repeats: REPEATS, chunkBatches: CHUNK_BATCHES },
        bestSeconds: Math.min(...baseline!),
        cpuSeconds: Number(baselineCpu!.reduce((a, b) => a + b, 0).toFixed(2)),
        itemsPerSecond: Math.round(bareRate),
      },
    ],
    baseline: { what: "bare onnxruntime session items/s on the same batches", value: Math.round(bareRate) },
    ratio,
    goal: `job path >= ${GOAL} of the bare session's items/s, best-of and median of paired repeats`,
    met: ratio >= GOAL && medianPairedRatio >= GOAL,
  };
};
