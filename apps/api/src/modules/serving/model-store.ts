// The models an API process serves. At start-up it subscribes to promotion announcements, then loads
// the ACTIVE version of every model name; on an announcement it loads the announced version fully
// (artifact, catalogue metadata, training history) and only then replaces the map entry. A request
// takes its model reference once, so one in flight finishes on the model it started with.
import { readFile } from "node:fs/promises";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { inBackground, type TBackgroundSubscription } from "../core/redis-channel.ts";
import { annIndexPath, buildAndStoreAnn } from "../models/model-artifact-store.ts";
import { subscribeActiveModel } from "./active-model-channel.ts";
import {
  loadServingModel,
  type TCatalogCache,
  type TServingModel,
  type TServingModelRow,
} from "./serving-model.ts";

const SUBSCRIBE_WAIT_MS = 5_000;

const MODEL_SELECT = {
  id: true,
  name: true,
  version: true,
  algorithm: true,
  location: true,
  inputIds: true,
  promotedAt: true,
} as const;

export class ModelStore {
  private readonly models = new Map<string, TServingModel>();
  private readonly catalogCache: TCatalogCache = new Map();
  private subscription: TBackgroundSubscription | null = null;
  private closed = false;

  constructor(private readonly deps: TDeps) {}

  /**
   * Subscribes first (so no announcement falls between the two), then loads every ACTIVE version.
   * Redis being down must not keep the API from starting: after SUBSCRIBE_WAIT_MS the load goes ahead
   * and the subscription completes whenever Redis answers (ioredis queues the command).
   */
  async start(): Promise<void> {
    this.subscription = inBackground(
      subscribeActiveModel(this.deps.redis, this.deps.env.DAM_QUEUE_PREFIX, {
        onMessage: async ({ name, modelVersionId }) => {
          if (this.models.get(name)?.id === modelVersionId) return;
          await this.loadVersion(modelVersionId);
        },
        onError: (error) => logger.error("serving announcement failed", { error: error.message }),
      }),
      "serving announcements",
    );
    const waited = await Promise.race([
      this.subscription.confirmed,
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS).unref()),
    ]);
    if (!waited)
      logger.warn("serving: Redis has not confirmed the announcement subscription yet; loading anyway");
    const active = await this.deps.db.modelVersion.findMany({
      where: { status: "ACTIVE" },
      select: MODEL_SELECT,
    });
    for (const row of active) {
      try {
        await this.install(row);
      } catch (error) {
        logger.error("serving model failed to load", {
          modelVersionId: row.id,
          error: (error as Error).message,
        });
      }
    }
  }

  /** Loads one version by id and swaps it in for its name. */
  async loadVersion(modelVersionId: string): Promise<TServingModel> {
    const row = await this.deps.db.modelVersion.findUnique({
      where: { id: modelVersionId },
      select: MODEL_SELECT,
    });
    if (!row) throw new Error(`Announced model version ${modelVersionId} does not exist`);
    return this.install(row);
  }

  private async install(row: TServingModelRow): Promise<TServingModel> {
    const started = performance.now();
    const model = await loadServingModel(this.deps, row, this.catalogCache);
    if (this.closed) return model;
    this.models.get(model.name)?.scorer.abandonAnn();
    this.models.set(model.name, model);
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
      // null: abandoned, a newer version replaced this one.
      if (built) logger.info("serving ANN index built", { modelVersionId: model.id, ms: built.ms });
    } catch (error) {
      logger.warn("serving ANN index not cached", {
        modelVersionId: model.id,
        error: (error as Error).message,
      });
    }
  }

  /** The model to answer with: by name, else the most recently promoted one loaded. */
  get(name?: string | null): TServingModel {
    if (name) {
      const model = this.models.get(name);
      if (!model)
        throw new AppError("NOT_FOUND", `No ACTIVE model named "${name}" is loaded for serving`, { name });
      return model;
    }
    let best: TServingModel | undefined;
    for (const model of this.models.values()) {
      if (!best || (model.promotedAt?.getTime() ?? 0) > (best.promotedAt?.getTime() ?? 0)) best = model;
    }
    if (!best) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "No model is ACTIVE: train one and promote it before asking for recommendations",
      );
    }
    return best;
  }

  list(): TServingModel[] {
    return [...this.models.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const model of this.models.values()) model.scorer.abandonAnn();
    await this.subscription?.close();
    this.models.clear();
  }
}

const stores = new WeakMap<TDeps, ModelStore>();

/** Starts this process's store; the resolvers reach it through `modelStoreOf(deps)`. */
export const startModelStore = async (deps: TDeps): Promise<ModelStore> => {
  const store = new ModelStore(deps);
  stores.set(deps, store);
  await store.start();
  return store;
};

export const modelStoreOf = (deps: TDeps): ModelStore => {
  const store = stores.get(deps);
  if (!store) throw new Error("The serving model store was not started in this process");
  return store;
};
