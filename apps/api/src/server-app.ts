import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import type { TContext } from "./context.ts";
import type { TDeps } from "./deps.ts";
import { AppError } from "./errors/app-error.ts";
import { formatError, toGraphQLError } from "./format-error.ts";
import { queryLimitsPlugin } from "./graphql/query-limits.ts";
import { buildSchema } from "./graphql/schema.ts";
import { createMetrics, type TMetrics } from "./metrics.ts";
import { authenticate } from "./modules/auth/auth.service.ts";
import { subscribeRevokedKeys } from "./modules/auth/revoked-keys-channel.ts";
import { inBackground } from "./modules/core/redis-channel.ts";
import { uploadRoute } from "./modules/datasets/upload.route.ts";
import { startExperimentRouter } from "./modules/experiments/experiment-router.ts";
import { downloadLabels } from "./modules/labelling/labels-download.ts";
import { downloadRejects } from "./modules/profiling/rejects-download.ts";
import { startModelStore } from "./modules/serving/model-store.ts";

const HEALTH_TIMEOUT_MS = 2_000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref();
    }),
  ]);

const probe = async (check: () => Promise<unknown>) => {
  const started = performance.now();
  try {
    await withTimeout(check(), HEALTH_TIMEOUT_MS);
    return { status: "ok" as const, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: "down" as const, error: error instanceof Error ? error.message : String(error) };
  }
};

const metricsPlugin = (metrics: TMetrics): ApolloServerPlugin<TContext> => ({
  async requestDidStart({ request }) {
    const stopTimer = metrics.latency.startTimer();
    return {
      async willSendResponse({ errors, operationName }) {
        const operation = operationName ?? request.operationName ?? "anonymous";
        stopTimer({ operation });
        metrics.requests.inc({ operation, outcome: errors && errors.length > 0 ? "error" : "ok" });
      },
    };
  },
});

/** The HTTP surface of the API: /graphql (authenticated), /healthz and /metrics. */
export const createServerApp = async (deps: TDeps): Promise<{ app: Express; stop: () => Promise<void> }> => {
  const schema = buildSchema();
  const metrics = createMetrics(deps);
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process's own signal handlers stop the server, then the queues and pools, in order. Apollo's
    // handlers would race them and re-raise the signal into a handler that is already shutting down.
    stopOnTerminationSignals: false,
    plugins: [
      queryLimitsPlugin(schema, {
        maxDepth: deps.env.DAM_MAX_QUERY_DEPTH,
        maxCost: deps.env.DAM_MAX_QUERY_COST,
      }),
      metricsPlugin(metrics),
    ],
  });
  await apollo.start();
  const modelStore = await startModelStore(deps);
  const experiments = await startExperimentRouter(deps);
  // Not awaited: Redis being down must not keep the API from starting; keys then leave the cache
  // when their entry expires.
  const revocations = inBackground(
    subscribeRevokedKeys(deps.redis, deps.env.DAM_QUEUE_PREFIX, deps.db),
    "auth revocations",
  );

  const app = express();
  app.disable("x-powered-by");

  app.get("/healthz", async (_req, res) => {
    const [database, redis] = await Promise.all([
      probe(() => deps.pool.query("SELECT 1")),
      probe(() => deps.redis.ping()),
    ]);
    const ok = database.status === "ok" && redis.status === "ok";
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "degraded", database, redis });
  });

  app.get("/api/v1/versions/:id/rejects.csv", (req, res) => downloadRejects(deps, req, res));
  app.get("/api/v1/versions/:id/labels.jsonl", (req, res) => downloadLabels(deps, req, res, "jsonl"));
  app.get("/api/v1/versions/:id/labels.csv", (req, res) => downloadLabels(deps, req, res, "csv"));

  app.get("/metrics", async (_req, res) => {
    res.setHeader("content-type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  app.post("/api/v1/uploads", uploadRoute(deps, deps.env.DAM_MAX_UPLOAD_BYTES));

  app.use(
    "/graphql",
    express.json({ limit: "2mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          const principal = await authenticate(deps, req.headers.authorization);
          const body = req.body as { operationName?: string } | undefined;
          return { principal, deps, operationName: body?.operationName ?? null };
        } catch (error) {
          if (error instanceof AppError) throw toGraphQLError(error);
          throw error;
        }
      },
    }),
  );

  return {
    app,
    stop: async () => {
      await apollo.stop();
      // Exposures still buffered are written before the pools close.
      await experiments.close();
      await modelStore.close();
      await revocations.close();
    },
  };
};
