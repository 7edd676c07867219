import {
  type FileHandle,
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/*
 * On-disk layout of an embedding set, in <ARTIFACTS_DIR>/embeddings/<setId>/:
 *   vectors.f32     row-major float32 (little endian), count x dimension
 *   ids.jsonl       one JSON string per line: the item id of the vector with the same row number
 *   manifest.json   what made the vectors (model, version, backend, fallback reason, template)
 *   lexical-state.json  the fitted lexical embedder, when it made the vectors (to embed queries later)
 * While a job runs it appends to vectors.f32.partial and ids.jsonl.partial and, about once a second
 * (openBatchAppender), syncs both and replaces checkpoint.json (write temp + rename, atomic) with the
 * byte lengths both files had at that point. A resumed run truncates both files to those lengths,
 * dropping the batches written after the last checkpoint, and continues after the checkpoint's last source line: no vector is ever duplicated.
 */

export const ZEmbeddingCheckpoint = z.object({
  modelVersion: z.string(),
  dimension: z.number().int().positive(),
  rows: z.number().int().nonnegative(),
  lastLine: z.number().int(),
  vectorBytes: z.number().int().nonnegative(),
  idBytes: z.number().int().nonnegative(),
});
export type TEmbeddingCheckpoint = z.infer<typeof ZEmbeddingCheckpoint>;

export const ZEmbeddingManifest = z.object({
  format: z.literal(1),
  dtype: z.literal("float32"),
  count: z.number().int().nonnegative(),
  dimension: z.number().int().positive(),
  modelId: z.string(),
  modelVersion: z.string(),
  backend: z.enum(["transformers", "lexical"]),
  requestedModelId: z.string(),
  fallbackReason: z.string().nullable(),
  template: z.string(),
  sourceVersionId: z.string(),
  createdAt: z.string(),
});
export type TEmbeddingManifest = z.infer<typeof ZEmbeddingManifest>;

/** The manifest of a finished set: what made its `rows` vectors (the model that ran, and the one asked for). */
export const embeddingManifest = (
  set: { modelId: string; template: string; sourceVersionId: string },
  embedder: Pick<TEmbeddingManifest, "dimension" | "modelId" | "modelVersion" | "backend">,
  rows: number,
  fallbackReason: string | null,
): TEmbeddingManifest => ({
  format: 1,
  dtype: "float32",
  count: rows,
  dimension: embedder.dimension,
  modelId: embedder.modelId,
  modelVersion: embedder.modelVersion,
  backend: embedder.backend,
  requestedModelId: set.modelId,
  fallbackReason,
  template: set.template,
  sourceVersionId: set.sourceVersionId,
  createdAt: new Date().toISOString(),
});

export const embeddingDir = (artifactsDir: string, setId: string): string =>
  path.join(artifactsDir, "embeddings", setId);

const files = (dir: string) => ({
  vectors: path.join(dir, "vectors.f32"),
  ids: path.join(dir, "ids.jsonl"),
  manifest: path.join(dir, "manifest.json"),
  lexicalState: path.join(dir, "lexical-state.json"),
  checkpoint: path.join(dir, "checkpoint.json"),
  partialVectors: path.join(dir, "vectors.f32.partial"),
  partialIds: path.join(dir, "ids.jsonl.partial"),
});

const writeAtomic = async (file: string, content: string): Promise<void> => {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, content);
  await rename(temp, file);
};

const sizeOf = async (file: string): Promise<number | null> =>
  stat(file).then(
    (info) => info.size,
    () => null,
  );

/** Resumes from the checkpoint when it was made by the same model state; otherwise starts empty. */
export const openPartialArtifact = async (
  dir: string,
  expected: { modelVersion: string; dimension: number },
): Promise<TEmbeddingCheckpoint> => {
  const paths = files(dir);
  await mkdir(dir, { recursive: true });
  const raw = await readFile(paths.checkpoint, "utf8").catch(() => null);
  const parsed = raw === null ? null : ZEmbeddingCheckpoint.safeParse(JSON.parse(raw));
  const checkpoint = parsed?.success ? parsed.data : null;
  if (
    checkpoint &&
    checkpoint.modelVersion === expected.modelVersion &&
    checkpoint.dimension === expected.dimension &&
    ((await sizeOf(paths.partialVectors)) ?? -1) >= checkpoint.vectorBytes &&
    ((await sizeOf(paths.partialIds)) ?? -1) >= checkpoint.idBytes
  ) {
    await truncate(paths.partialVectors, checkpoint.vectorBytes);
    await truncate(paths.partialIds, checkpoint.idBytes);
    return checkpoint;
  }
  const fresh: TEmbeddingCheckpoint = {
    ...expected,
    rows: 0,
    lastLine: Number.MIN_SAFE_INTEGER,
    vectorBytes: 0,
    idBytes: 0,
  };
  await writeFile(paths.partialVectors, new Uint8Array(0));
  await writeFile(paths.partialIds, "");
  await writeAtomic(paths.checkpoint, JSON.stringify(fresh));
  return fresh;
};

type TAppendBatch = { ids: string[]; vectors: Float32Array[]; lastLine: number };

export type TBatchAppender = {
  /**
   * Queues `batch` and returns at once while the disk keeps up; waits for the write in flight only
   * when MAX_QUEUED_ROWS are already waiting. Rethrows a write's failure.
   */
  push: (batch: TAppendBatch) => Promise<void>;
  /** The last checkpoint on disk (everything before it is durable). */
  written: () => TEmbeddingCheckpoint;
  /**
   * Waits until everything pushed so far is written to the files (and a checkpoint already started
   * is on disk), without forcing a new checkpoint. Rethrows a write's failure.
   */
  settle: () => Promise<void>;
  /** Writes everything queued, makes it durable with a final checkpoint, and returns that checkpoint. */
  flush: () => Promise<TEmbeddingCheckpoint>;
  /** Writes what it can of the queue (never throws) and closes the files; safe to call twice. */
  close: () => Promise<void>;
};

const encodeBatch = (dimension: number, batch: { ids: string[]; vectors: Float32Array[] }) => {
  const flat = new Float32Array(batch.vectors.length * dimension);
  batch.vectors.forEach((vector, row) => {
    flat.set(vector, row * dimension);
  });
  return {
    vectorBytes: new Uint8Array(flat.buffer),
    idBytes: Buffer.from(batch.ids.map((id) => `${JSON.stringify(id)}\n`).join(""), "utf8"),
  };
};

// Rows that may wait in memory for the disk before `push` blocks (bounds memory).
const MAX_QUEUED_ROWS = 512;
// How often the durable checkpoint moves while a run goes on: the work a kill can lose, and the
// number of datasync pairs a run pays (one a second instead of one a batch).
export const CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * The job's writer. Batches are appended at the end of both partial files as they come, all I/O on
 * the thread pool so the embedder on the main thread never waits for the disk; batches that arrive
 * while a write is in flight are written together by the next one. The durable checkpoint (datasync
 * of both files, then checkpoint.json replaced by temp file + rename, the resume rule of
 * openPartialArtifact) moves only every `checkpointMs` and at `flush`, not after every 64-vector batch
 * (with a sync pair and a checkpoint rename per batch, and the rename on the main thread, the job path
 * ran at 0.74 of a bare ONNX session while the embedder alone ran at 0.99: bench embed, 2026-12); a
 * resumed run redoes at most a second of batches. Writes never overlap each other.
 */
export const openBatchAppender = async (
  dir: string,
  from: TEmbeddingCheckpoint,
  options: { checkpointMs?: number } = {},
): Promise<TBatchAppender> => {
  const checkpointMs = options.checkpointMs ?? CHECKPOINT_INTERVAL_MS;
  const paths = files(dir);
  const vectorsFile = await open(paths.partialVectors, "r+");
  const idsFile = await open(paths.partialIds, "r+").catch(async (error: unknown) => {
    await vectorsFile.close();
    throw error;
  });
  // `durable`: the checkpoint on disk; `written`: what the files hold (in the page cache at least).
  let durable = from;
  let written = from;
  let durableAt = Date.now();
  let queued: TAppendBatch[] = [];
  let queuedRows = 0;
  let forceCheckpoint = false;
  // Never rejects: a failure is kept in `failure` and rethrown by push / settle / flush.
  let inFlight: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  let closed = false;

  const writeGroup = async (group: TAppendBatch[]): Promise<void> => {
    const ids = group.flatMap((batch) => batch.ids);
    const { vectorBytes, idBytes } = encodeBatch(written.dimension, {
      ids,
      vectors: group.flatMap((batch) => batch.vectors),
    });
    await Promise.all([
      writeFully(vectorsFile, vectorBytes, written.vectorBytes),
      writeFully(idsFile, idBytes, written.idBytes),
    ]);
    written = {
      ...written,
      rows: written.rows + ids.length,
      lastLine: group[group.length - 1]!.lastLine,
      vectorBytes: written.vectorBytes + vectorBytes.length,
      idBytes: written.idBytes + idBytes.length,
    };
  };

  const moveCheckpoint = async (): Promise<void> => {
    const at = written;
    await Promise.all([vectorsFile.datasync(), idsFile.datasync()]);
    await writeAtomic(paths.checkpoint, JSON.stringify(at));
    durable = at;
    durableAt = Date.now();
  };

  const checkpointDue = () =>
    written.rows > durable.rows && (forceCheckpoint || Date.now() - durableAt >= checkpointMs);

  const pump = (): void => {
    if (inFlight || failure || closed) return;
    if (queued.length === 0 && !checkpointDue()) return;
    const group = queued;
    queued = [];
    queuedRows = 0;
    inFlight = (async () => {
      if (group.length > 0) await writeGroup(group);
      if (checkpointDue()) await moveCheckpoint();
    })().then(
      () => {
        inFlight = null;
        pump();
      },
      (error: unknown) => {
        failure = { error };
        inFlight = null;
      },
    );
  };
  const rethrow = () => {
    if (failure) throw failure.error;
  };
  const settle = async () => {
    pump();
    while (inFlight) await inFlight;
    rethrow();
  };
  const flush = async () => {
    forceCheckpoint = true;
    try {
      await settle();
      // A last batch written by a group that started before the force: checkpoint it too.
      if (written.rows > durable.rows) {
        pump();
        await settle();
      }
    } finally {
      forceCheckpoint = false;
    }
    return durable;
  };

  return {
    push: async (batch) => {
      rethrow();
      if (closed) throw new Error("the batch appender is closed");
      queued.push(batch);
      queuedRows += batch.ids.length;
      pump();
      while (inFlight && queuedRows >= MAX_QUEUED_ROWS) await inFlight;
      rethrow();
    },
    written: () => durable,
    settle,
    flush,
    close: async () => {
      if (closed) return;
      await flush().catch(() => undefined);
      closed = true;
      await Promise.allSettled([vectorsFile.close(), idsFile.close()]);
    },
  };
};

const writeFully = async (file: FileHandle, bytes: Uint8Array, at: number): Promise<void> => {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, at + done);
    done += bytesWritten;
  }
};

/** Turns the partial files into the final artifact; the manifest is written last, as the commit. */
export const finishArtifact = async (
  dir: string,
  manifest: TEmbeddingManifest,
  lexicalState: unknown | null,
): Promise<void> => {
  const paths = files(dir);
  if (lexicalState !== null) await writeAtomic(paths.lexicalState, JSON.stringify(lexicalState));
  await rename(paths.partialVectors, paths.vectors);
  await rename(paths.partialIds, paths.ids);
  await writeAtomic(paths.manifest, JSON.stringify(manifest, null, 2));
  await rm(paths.checkpoint, { force: true });
};

export const removeArtifact = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

export const readManifest = async (dir: string): Promise<TEmbeddingManifest | null> => {
  const raw = await readFile(files(dir).manifest, "utf8").catch(() => null);
  if (raw === null) return null;
  const parsed = ZEmbeddingManifest.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
};

export type TLoadedVectors = { manifest: TEmbeddingManifest; ids: string[]; data: Float32Array };

export const readVectors = async (dir: string): Promise<TLoadedVectors | null> => {
  const manifest = await readManifest(dir);
  if (!manifest) return null;
  const paths = files(dir);
  const [buffer, idText] = await Promise.all([readFile(paths.vectors), readFile(paths.ids, "utf8")]);
  const ids = idText
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => z.string().parse(JSON.parse(line)));
  // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset of a shared pool.
  const data = new Float32Array(buffer.byteLength / 4);
  new Uint8Array(data.buffer).set(buffer);
  if (ids.length !== manifest.count || data.length !== manifest.count * manifest.dimension) {
    throw new Error(`embedding artifact ${dir} is inconsistent with its manifest`);
  }
  return { manifest, ids, data };
};

/** The fitted lexical embedder's state, written when the lexical fallback made the set; null otherwise. */
export const readLexicalState = async (dir: string): Promise<unknown | null> => {
  const raw = await readFile(files(dir).lexicalState, "utf8").catch(() => null);
  return raw === null ? null : (JSON.parse(raw) as unknown);
};
