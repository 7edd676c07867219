// Usage: tsx packages/embedder/src/measure-speed-cli.ts [products.csv] [--models-dir D] [--model-id M]
//        [--batch-size N]
// Embedding throughput (texts/s) of both backends on the UCI Online Retail product descriptions, read
// in place from ../shared (never copied). Prints one JSON line; skips with a message when data is missing.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TEmbedder } from "./embedder-types.ts";
import { createLexicalEmbedder } from "./lexical-embedder.ts";
import { createTransformersEmbedder } from "./transformers-embedder.ts";

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared");
const REPEATS = 3;

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};

/** The second column of each record of an RFC 4180 CSV with a header row (quoted fields, "" escapes). */
const readDescriptions = (csv: string): string[] => {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const char = csv[i]!;
    if (quoted) {
      if (char === '"' && csv[i + 1] === '"') field += csv[i++];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && csv[i + 1] === "\n") i++;
      records.push([...record, field]);
      record = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records.slice(1).map((columns) => columns[1] ?? "");
};

const measure = async (embedder: TEmbedder, texts: string[]) => {
  await embedder.embed(texts.slice(0, 64)); // warm-up: JIT, ONNX session first run
  const seconds: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const started = performance.now();
    const vectors = await embedder.embed(texts);
    seconds.push((performance.now() - started) / 1000);
    if (vectors.length !== texts.length)
      throw new Error(`${vectors.length} vectors for ${texts.length} texts`);
  }
  const best = Math.min(...seconds);
  return {
    backend: embedder.backend,
    modelId: embedder.modelId,
    modelVersion: embedder.modelVersion,
    dimension: embedder.dimension,
    texts: texts.length,
    bestSeconds: Number(best.toFixed(3)),
    textsPerSecond: Math.round(texts.length / best),
  };
};

const main = async (): Promise<void> => {
  const positional = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : undefined;
  const csvFile = positional ?? path.join(SHARED, "datasets/uci-online-retail/products.csv");
  const modelsDir = flag("models-dir", path.join(SHARED, "models"));
  const modelId = flag("model-id", "retail-static-64d");
  const batchSize = Number(flag("batch-size", "32"));
  if (!existsSync(csvFile)) {
    process.stderr.write(`skipping: ${csvFile} is missing\n`);
    return;
  }
  const texts = readDescriptions(await readFile(csvFile, "utf8"));
  const rows: Record<string, unknown>[] = [];

  const fitStarted = performance.now();
  const lexical = createLexicalEmbedder(texts, { dimension: 256, seed: 0 });
  rows.push({
    ...(await measure(lexical, texts)),
    fitSeconds: Number(((performance.now() - fitStarted) / 1000).toFixed(3)),
  });

  if (existsSync(path.join(modelsDir, modelId, "config.json"))) {
    const transformers = await createTransformersEmbedder({ modelsDir, modelId, batchSize });
    rows.push({ ...(await measure(transformers, texts)), batchSize });
    await transformers.dispose();
  } else process.stderr.write(`skipping transformers backend: ${path.join(modelsDir, modelId)} is missing\n`);

  process.stdout.write(`${JSON.stringify({ csvFile, rows })}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
