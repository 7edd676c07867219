// Which experiment and variant answers a recommend call, decided in this process without a database
// read per request: RUNNING experiments are re-read every REFRESH_MS in the background (and at once by
// start/stop in this process), and each variant's model version is loaded into memory like the ACTIVE
// one, by the serving model loader the model store uses. Assignment is the stateless hash of @dam/experiments, so every process and every restart agrees.
import { assignVariant, type TTrafficPlan } from "@dam/experiments/assignment";
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { servingModelLoaderOf } from "../serving/model-loader.ts";
import { modelStoreOf } from "../serving/model-store.ts";
import type { TServingModel } from "../serving/serving-model.ts";
import { findRunningExperiments } from "./experiments.repository.ts";
import { ExposureLog } from "./exposure-log.ts";

const REFRESH_MS = 2_000;

export type TRunningExperiment = {
  id: string;
  modelName: string;
  plan: TTrafficPlan;
  variants: { key: string; position: number; modelVersionId: string }[];
  startAt: Date | null;
  endAt: Date | null;
  windowMs: number;
};

export type TRoute = { experiment: TRunningExperiment; position: number; model: TServingModel };

export class ExperimentRouter {
  readonly exposures: ExposureLog;
  private running = new Map<string, TRunningExperiment>();
  private readonly models = new Map<string, TServingModel>();
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: TDeps) {
    this.exposures = new ExposureLog(deps);
  }

  /** Re-reads the RUNNING experiments and starts loading their variants' models. */
  refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = (async () => {
      try {
        const rows = await findRunningExperiments(this.deps);
        const next = new Map<string, TRunningExperiment>();
        for (const row of rows) {
          next.set(row.modelName, {
            id: row.id,
            modelName: row.modelName,
            plan: { salt: row.salt, shares: row.variants.map((v) => v.share), coverage: row.coverage },
            variants: row.variants.map((v) => ({
              key: v.key,
              position: v.position,
              modelVersionId: v.modelVersionId,
            })),
            startAt: row.startAt,
            endAt: row.endAt,
            windowMs: row.attributionWindowMinutes * 60_000,
          });
        }
        this.running = next;
        const wanted = new Set([...next.values()].flatMap((e) => e.variants.map((v) => v.modelVersionId)));
        for (const [id, model] of this.models) {
          if (wanted.has(id)) continue;
          model.scorer.abandonAnn();
          this.models.delete(id);
        }
        // The ACTIVE version is already in the model store: only other variants need a copy.
        await Promise.all([...wanted].filter((id) => !this.activeWithId(id)).map((id) => this.loadModel(id)));
      } catch (error) {
        logger.error("experiments: refresh failed", { error: (error as Error).message });
      } finally {
        this.refreshedAt = Date.now();
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async loadModel(id: string): Promise<void> {
    if (this.models.has(id)) return;
    try {
      const model = await servingModelLoaderOf(this.deps).load(id);
      if (this.closed) model.scorer.abandonAnn();
      else this.models.set(id, model);
    } catch (error) {
      logger.error("experiments: variant model failed to load", { id, error: (error as Error).message });
    }
  }

  /** The longest attribution window of the running experiments. */
  maxWindowMs(): number {
    return Math.max(0, ...[...this.running.values()].map((e) => e.windowMs));
  }

  hasRunning(): boolean {
    return this.running.size > 0;
  }

  runningById(id: string): TRunningExperiment | undefined {
    for (const experiment of this.running.values()) if (experiment.id === id) return experiment;
    return undefined;
  }

  modelById(id: string): TServingModel | undefined {
    return this.models.get(id) ?? this.activeWithId(id);
  }

  private activeWithId(id: string): TServingModel | undefined {
    try {
      return modelStoreOf(this.deps)
        .list()
        .find((model) => model.id === id);
    } catch {
      return undefined;
    }
  }

  /**
   * The variant answering `userId` for `modelName`, or null: no running experiment, outside its dates
   * or coverage, or its models not loaded yet in this process (then nobody is counted, in any variant).
   */
  route(modelName: string, userId: string, now = new Date()): TRoute | null {
    if (!this.closed && Date.now() - this.refreshedAt > REFRESH_MS) void this.refresh();
    const experiment = this.running.get(modelName);
    if (!experiment) return null;
    if (experiment.startAt && now < experiment.startAt) return null;
    if (experiment.endAt && now >= experiment.endAt) return null;
    const models = experiment.variants.map((v) => this.modelById(v.modelVersionId));
    if (models.some((model) => !model)) return null;
    const position = assignVariant(experiment.plan, userId);
    if (position < 0) return null;
    return { experiment, position, model: models[position]! };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.refreshing;
    await this.exposures.flush();
  }
}

const routers = new WeakMap<TDeps, ExperimentRouter>();

export const startExperimentRouter = async (deps: TDeps): Promise<ExperimentRouter> => {
  const router = new ExperimentRouter(deps);
  routers.set(deps, router);
  await router.refresh();
  return router;
};

/** This process's router; a process that never started one (a worker, a script) gets a fresh one. */
export const experimentRouterOf = (deps: TDeps): ExperimentRouter => {
  let router = routers.get(deps);
  if (!router) {
    router = new ExperimentRouter(deps);
    routers.set(deps, router);
  }
  return router;
};
