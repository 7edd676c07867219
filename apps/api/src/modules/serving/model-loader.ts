// Loading a model version into this process for serving: the one mechanism behind the ACTIVE models
// (model-store.ts) and the variants of running experiments (experiments/experiment-router.ts). A
// version is read by id, loaded fully (artifact, catalogue metadata, training history) before anyone
// sees it, concurrent loads of one version share one read, the catalogue rows are shared by the
// versions trained on the same catalogue, and a large factor model gets its HNSW index in the
// background (adopted from beside the artifact, else built and cached there). The callers decide what
// to swap in and when; a model they drop is abandoned so a pending index build stops.
import { readFile } from "node:fs/promises";
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { annIndexPath, buildAndStoreAnn } from "../models/model-artifact-store.ts";
import { findActiveServingRows, findServingRow, type TServingModelRow } from "./serving.repository.ts";
import { loadServingModel, type TCatalogCache, type TServingModel } from "./serving-model.ts";

export class ServingModelLoader {
  private readonly catalogCache: TCatalogCache = new Map();
  private readonly loading = new Map<string, Promise<TServingModel>>();

  constructor(private readonly deps: TDeps) {}

  /** The rows of every ACTIVE version (what a starting process serves). */
  activeRows(): Promise<TServingModelRow[]> {
    return findActiveServingRows(this.deps);
  }

  /** Loads the version with this id; throws when it does not exist or has no artifact. */
  async load(modelVersionId: string): Promise<TServingModel> {
    const pending = this.loading.get(modelVersionId);
    if (pending) return pending;
    const loading = (async () => {
      const row = await findServingRow(this.deps, modelVersionId);
      if (!row) throw new Error(`model version ${modelVersionId} does not exist`);
      return this.loadRow(row);
    })();
    this.loading.set(modelVersionId, loading);
    try {
      return await loading;
    } finally {
      this.loading.delete(modelVersionId);
    }
  }

  /** Loads a version already read; its ANN index is prepared in the background. */
  async loadRow(row: TServingModelRow): Promise<TServingModel> {
    const started = performance.now();
    if (!row.location) throw new Error(`model version ${row.id} has no artifact`);
    const model = await loadServingModel(this.deps, row, this.catalogCache);
    logger.info("serving model loaded", {
      name: model.name,
      modelVersionId: model.id,
      algorithm: model.algorithm,
      items: model.scorer.itemCount,
      ms: Math.round(performance.now() - started),
    });
    void this.prepareAnn(model);
    return model;
  }

  /** Large factor models: adopt the HNSW index cached beside the artifact, else build and cache it. */
  private async prepareAnn(model: TServingModel): Promise<void> {
    if (!model.scorer.usesAnn) return;
    const cache = annIndexPath(model.location);
    try {
      const bytes = await readFile(cache);
      model.scorer.importAnn(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return;
    } catch {
      // No usable cache: build it.
    }
    try {
      const built = await buildAndStoreAnn(model.scorer, model.location);
      // null: abandoned, the caller dropped this version.
      if (built) logger.info("serving ANN index built", { modelVersionId: model.id, ms: built.ms });
    } catch (error) {
      logger.warn("serving ANN index not cached", {
        modelVersionId: model.id,
        error: (error as Error).message,
      });
    }
  }
}

const loaders = new WeakMap<TDeps, ServingModelLoader>();

/** This process's loader (one per deps, so the store and the router share its caches). */
export const servingModelLoaderOf = (deps: TDeps): ServingModelLoader => {
  let loader = loaders.get(deps);
  if (!loader) {
    loader = new ServingModelLoader(deps);
    loaders.set(deps, loader);
  }
  return loader;
};
