// The loop both embedding jobs run (features.embed over texts, features.embedImages over pictures),
// and the benchmarks time: the next batch is read (or decoded) while the current one runs through the
// model, its vectors are queued to the artifact's appender (written off the main thread, made durable
// about once a second: embedding-artifact.ts), then the job's progress and cancel check run (a stop
// there lands between two batches; the batches already embedded are still written).
import {
  openBatchAppender,
  openPartialArtifact,
  type TBatchAppender,
  type TEmbeddingCheckpoint,
} from "./embedding-artifact.ts";

export type TEmbedBatch<TInput> = { ids: string[]; inputs: TInput[]; lastLine: number };

export type TBatchEmbedder<TInput> = {
  modelVersion: string;
  dimension: number;
  embed: (inputs: TInput[]) => Promise<Float32Array[]>;
};

/**
 * Embeds `batches` into `appender`, prefetching one batch ahead. After each batch, `afterBatch(rows)`
 * gets the rows embedded by this call so far; it may throw to stop (a cancel), and the rows already
 * queued are still written by the appender's close. Returns the rows embedded.
 */
export const embedInto = async <TInput>(
  appender: TBatchAppender,
  batches: AsyncIterable<TEmbedBatch<TInput>>,
  embed: (inputs: TInput[]) => Promise<Float32Array[]>,
  afterBatch: (rows: number) => Promise<void> = async () => {},
): Promise<number> => {
  const iterator = batches[Symbol.asyncIterator]();
  let next = iterator.next();
  let rows = 0;
  try {
    for (;;) {
      const current = await next;
      if (current.done) break;
      next = iterator.next();
      // A prefetch that fails while this batch throws must not reject unobserved.
      next.catch(() => undefined);
      const batch = current.value;
      const vectors = await embed(batch.inputs);
      await appender.push({ ids: batch.ids, vectors, lastLine: batch.lastLine });
      rows += batch.ids.length;
      await afterBatch(rows);
    }
  } catch (error) {
    await next.then(
      () => iterator.return?.(),
      () => undefined,
    );
    throw error;
  }
  return rows;
};

/**
 * A whole run into the set's artifact directory: resumes from its checkpoint when the same model made
 * it, embeds the batches after it, and returns the durable final checkpoint. `batches` gets the
 * checkpoint to continue after; `onProgress(rows, total so far)` is the job's progress and cancel check.
 */
export const runEmbeddingLoop = async <TInput>(args: {
  dir: string;
  embedder: TBatchEmbedder<TInput>;
  batches: (resume: TEmbeddingCheckpoint) => AsyncIterable<TEmbedBatch<TInput>>;
  onProgress: (rowsWritten: number) => Promise<void>;
}): Promise<{ checkpoint: TEmbeddingCheckpoint; resumedAt: number }> => {
  const opened = await openPartialArtifact(args.dir, {
    modelVersion: args.embedder.modelVersion,
    dimension: args.embedder.dimension,
  });
  const appender = await openBatchAppender(args.dir, opened);
  try {
    await embedInto(
      appender,
      args.batches(opened),
      (inputs) => args.embedder.embed(inputs),
      (rows) => args.onProgress(opened.rows + rows),
    );
    const checkpoint = await appender.flush();
    return { checkpoint, resumedAt: opened.rows };
  } finally {
    // After an error or a stop, the queued appends finish before the artifact can be discarded.
    await appender.close();
  }
};
