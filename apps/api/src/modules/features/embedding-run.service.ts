import { describeError } from "@dam/embedder/embedder-errors";
import type { TEmbedder } from "@dam/embedder/embedder-types";
import { createLexicalEmbedder, type TLexicalEmbedder } from "@dam/embedder/lexical-embedder";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { countItems, readTextPage } from "./embedding.repository.ts";
import { embeddingDir, embeddingManifest, finishArtifact, removeArtifact } from "./embedding-artifact.ts";
import { runEmbeddingLoop, type TEmbedBatch } from "./embedding-loop.ts";
import { readCatalogSource, type TCatalogSource } from "./embedding-source.ts";
import { renderTemplate } from "./embedding-template.ts";
import {
  findEmbeddingSetById,
  markEmbeddingSetReady,
  markUnfinishedEmbeddingSetFailed,
} from "./feature-sets.repository.ts";
import { announceSearchEmbeddingSet } from "./search-semantic.ts";

// Rows per SQL page (one keyset seek each) and texts per embedder call. A batch of 64
// keeps a transformers.js forward pass small on 2 cores and bounds the work a kill can lose.
const PAGE_ROWS = 2_048;
const EMBED_BATCH = 64;
// Share of the progress bar spent reading the corpus when the lexical embedder has to be fitted first.
const FIT_SHARE = 10;

type TOpened = { embedder: TEmbedder; fallbackReason: string | null; lexicalState: unknown | null };

/** The rendered template text of every row after `afterLine`, page by page (also read by features.extend). */
export async function* readTexts(deps: TDeps, source: TCatalogSource, afterLine: number) {
  let after = afterLine;
  for (;;) {
    const rows = await readTextPage(deps.pool, {
      table: source.table,
      itemColumn: source.itemColumn,
      textColumns: source.template.columns,
      afterLine: after,
      limit: PAGE_ROWS,
    });
    if (rows.length === 0) return;
    yield rows.map((row) => ({ ...row, text: renderTemplate(source.template, row.values) }));
    after = rows[rows.length - 1]!.line;
  }
}

/**
 * The configured transformers.js model when its files are in MODELS_DIR; otherwise the lexical
 * embedder fitted on this catalogue's texts (read in pages), with the reason recorded, never silent.
 * The lexical fit is deterministic for an immutable version, so a resumed run gets the same
 * modelVersion and keeps the vectors already written.
 */
const openEmbedder = async (
  deps: TDeps,
  source: TCatalogSource & { itemCount: number },
  modelId: string,
  ctx: TJobContext,
): Promise<TOpened> => {
  let reason: string;
  try {
    const embedder = await createTransformersEmbedder({
      modelsDir: deps.env.MODELS_DIR,
      modelId,
      batchSize: EMBED_BATCH,
    });
    return { embedder, fallbackReason: null, lexicalState: null };
  } catch (error) {
    reason = describeError(error);
  }
  const corpus: string[] = [];
  for await (const page of readTexts(deps, source, Number.MIN_SAFE_INTEGER)) {
    for (const row of page) corpus.push(row.text);
    await ctx.progress(
      (FIT_SHARE * corpus.length) / Math.max(1, source.itemCount),
      "Fitting lexical embedder",
    );
    await ctx.checkpoint();
  }
  const embedder: TLexicalEmbedder = createLexicalEmbedder(corpus);
  return {
    embedder,
    fallbackReason: `${reason}; using the lexical embedder ${embedder.modelId}@${embedder.modelVersion}`,
    lexicalState: embedder.state,
  };
};

/** The texts after `afterLine` in batches of EMBED_BATCH (each batch's lastLine is its last row's line). */
async function* textBatches(
  deps: TDeps,
  source: TCatalogSource,
  afterLine: number,
): AsyncGenerator<TEmbedBatch<string>> {
  for await (const page of readTexts(deps, source, afterLine)) {
    for (let start = 0; start < page.length; start += EMBED_BATCH) {
      const batch = page.slice(start, start + EMBED_BATCH);
      yield {
        ids: batch.map((row) => row.itemId),
        inputs: batch.map((row) => row.text),
        lastLine: batch[batch.length - 1]!.line,
      };
    }
  }
}

export type TEmbeddingRunResult = { count: number; backend: string; dimension: number; resumedAt: number };

export const executeEmbeddingRun = async (
  deps: TDeps,
  embeddingSetId: string,
  ctx: TJobContext,
): Promise<TEmbeddingRunResult> => {
  const set = await findEmbeddingSetById(deps, embeddingSetId);
  if (!set) throw new UnrecoverableError(`Embedding set ${embeddingSetId} does not exist`);
  if (set.status === "READY") {
    return { count: set.count, backend: set.backend, dimension: set.dimension, resumedAt: set.count };
  }
  const loaded = await readCatalogSource(deps, set.sourceVersionId, set.template);
  if (!loaded.ok) throw new UnrecoverableError(loaded.message);
  const itemCount = await countItems(deps.pool, loaded.source.table, loaded.source.itemColumn);
  const source = { ...loaded.source, itemCount };

  // The requested model id stays on the set until the run finishes, so a resumed run asks for the same.
  const { embedder, fallbackReason, lexicalState } = await openEmbedder(deps, source, set.modelId, ctx);
  const base = fallbackReason === null ? 0 : FIT_SHARE;
  const dir = embeddingDir(deps.env.ARTIFACTS_DIR, set.id);
  try {
    const { checkpoint, resumedAt } = await runEmbeddingLoop({
      dir,
      embedder,
      batches: (resume) => textBatches(deps, source, resume.lastLine),
      onProgress: async (written) => {
        await ctx.progress(
          base + (99 - base) * (written / Math.max(1, source.itemCount)),
          `Embedded ${written} of ${source.itemCount} items`,
        );
        await ctx.checkpoint();
      },
    });
    await finishArtifact(
      dir,
      embeddingManifest(set, embedder, checkpoint.rows, fallbackReason),
      lexicalState,
    );
    await recordLineage(deps, {
      from: [{ type: "DATASET_VERSION", refId: set.sourceVersionId, label: source.label }],
      to: {
        type: "EMBEDDING_SET",
        refId: set.id,
        label: `embeddings ${embedder.modelId} of ${source.label}`,
        metadata: {
          modelId: embedder.modelId,
          modelVersion: embedder.modelVersion,
          backend: embedder.backend,
          dimension: embedder.dimension,
          template: set.template,
          requestedModelId: set.modelId,
          fallbackReason,
        },
      },
      jobId: ctx.jobRecordId,
      relation: "embedded_by",
    });
    await markEmbeddingSetReady(deps, set.id, {
      modelId: embedder.modelId,
      modelVersion: embedder.modelVersion,
      backend: embedder.backend,
      dimension: embedder.dimension,
      count: checkpoint.rows,
      location: dir,
    });
    await announceSearchEmbeddingSet(deps, set.sourceVersionId);
    await ctx.progress(100, `Embedded ${checkpoint.rows} items`);
    return { count: checkpoint.rows, backend: embedder.backend, dimension: embedder.dimension, resumedAt };
  } finally {
    await embedder.dispose();
  }
};

/** Undo of a run that gave up: no half-written artifact stays behind, the set says FAILED. */
export const discardEmbeddingRun = async (deps: TDeps, embeddingSetId: string): Promise<void> => {
  await removeArtifact(embeddingDir(deps.env.ARTIFACTS_DIR, embeddingSetId));
  await markUnfinishedEmbeddingSetFailed(deps, embeddingSetId);
};
