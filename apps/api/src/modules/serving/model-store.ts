// The models an API process serves. At start-up it subscribes to promotion announcements, then loads
// the ACTIVE version of every model name; on an announcement it loads the announced version fully
// (model-loader.ts, shared with the experiment router) and only then replaces the map entry. A request
// takes its model reference once, so one in flight finishes on the model it started with.
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { inBackground, type TBackgroundSubscription } from "../core/redis-channel.ts";
import { subscribeFeatureSetExtended } from "../features/feature-extension-channel.ts";
import { subscribeActiveModel } from "./active-model-channel.ts";
import { type ServingModelLoader, servingModelLoaderOf } from "./model-loader.ts";
import type { TServingModel } from "./serving-model.ts";

const SUBSCRIBE_WAIT_MS = 5_000;

export class ModelStore {
  private readonly models = new Map<string, TServingModel>();
  private readonly loader: ServingModelLoader;
  private subscription: TBackgroundSubscription | null = null;
  private featureSubscription: TBackgroundSubscription | null = null;
  private closed = false;

  constructor(private readonly deps: TDeps) {
    this.loader = servingModelLoaderOf(deps);
  }

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
    // A feature set that gained items (features.extend): the content models reading it are reloaded,
    // which appends the new rows to their items, and swapped in once loaded.
    this.featureSubscription = inBackground(
      subscribeFeatureSetExtended(this.deps.redis, this.deps.env.DAM_QUEUE_PREFIX, {
        onMessage: async ({ featureSetId }) => {
          for (const model of [...this.models.values()]) {
            if (model.featureSetId === featureSetId) await this.loadVersion(model.id);
          }
        },
        onError: (error) => logger.error("feature set announcement failed", { error: error.message }),
      }),
      "feature set announcements",
    );
    const waited = await Promise.race([
      this.subscription.confirmed,
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS).unref()),
    ]);
    if (!waited)
      logger.warn("serving: Redis has not confirmed the announcement subscription yet; loading anyway");
    for (const row of await this.loader.activeRows()) {
      try {
        this.install(await this.loader.loadRow(row));
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
    return this.install(await this.loader.load(modelVersionId));
  }

  private install(model: TServingModel): TServingModel {
    if (this.closed) {
      model.scorer.abandonAnn();
      return model;
    }
    this.models.get(model.name)?.scorer.abandonAnn();
    this.models.set(model.name, model);
    return model;
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
    await this.featureSubscription?.close();
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
