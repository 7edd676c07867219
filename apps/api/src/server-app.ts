import { createHash, timingSafeEqual } from "node:crypto";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type Express, type Request } from "express";
import type { GraphQLSchema } from "graphql";
import type { TContext } from "./context.ts";
import type { TDeps } from "./deps.ts";
import { AppError } from "./errors/app-error.ts";
import {
  formatError,
  httpStatusOf,
  serviceUnavailablePlugin,
  toErrorBody,
  toGraphQLError,
} from "./format-error.ts";
import { precheckQuery } from "./graphql/document-precheck.ts";
import { queryLimitsPlugin } from "./graphql/query-limits.ts";
import { createRateLimiter, type TRateLimiter } from "./graphql/rate-limit.ts";
import { buildSchema, loadTypeDefs } from "./graphql/schema.ts";
import { createMetrics, operationLabelOf, type TMetrics } from "./metrics.ts";
import { authenticate } from "./modules/auth/auth.service.ts";
import { subscribeRevokedKeys } from "./modules/auth/revoked-keys-channel.ts";
import { downloadRejects } from "./modules/column-stats/rejects-download.ts";
import { inBackground } from "./modules/core/redis-channel.ts";
import { failDownload } from "./modules/core/streamed-download.ts";
import { uploadRoute } from "./modules/datasets/upload.route.ts";
import { downloadVersionRows } from "./modules/datasets/version-download.ts";
import { startExperimentRouter } from "./modules/experiments/experiment-router.ts";
import { startSearchIndexStore } from "./modules/features/search-index-store.ts";
import { downloadLabels } from "./modules/labelling/labels-download.ts";
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

const metricsPlugin = (schema: GraphQLSchema, metrics: TMetrics): ApolloServerPlugin<TContext> => ({
  async requestDidStart() {
    const stopTimer = metrics.latency.startTimer();
    return {
      async willSendResponse({ errors, operation: definition }) {
        const operation = operationLabelOf(schema, definition);
        stopTimer({ operation });
        metrics.requests.inc({ operation, outcome: errors && errors.length > 0 ? "error" : "ok" });
      },
    };
  },
});

const GRAPHQL_BODY_LIMIT = "2mb";

/**
 * Authenticates the request and takes one token from its key's bucket (graphql/rate-limit.ts).
 * Requests without a valid key are limited per client address, so guessing keys is limited too.
 */
const authenticateLimited = async (deps: TDeps, limiter: TRateLimiter, req: Request) => {
  let subject: string;
  let principal: Awaited<ReturnType<typeof authenticate>> | undefined;
  let refusal: unknown;
  try {
    principal = await authenticate(deps, req.headers.authorization);
    subject = `key:${principal.keyId}`;
  } catch (error) {
    refusal = error;
    subject = `ip:${req.ip ?? "unknown"}`;
  }
  const decision = await limiter.take(subject);
  if (!decision.allowed) {
    throw new AppError("RATE_LIMITED", `Too many requests; retry in ${decision.retryAfterSeconds} s`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  if (!principal) throw refusal;
  return principal;
};

/**
 * Who may read /metrics: a bearer of DAM_METRICS_TOKEN, or an ADMIN key. Returns the refusal, if any.
 */
const metricsRefusal = async (deps: TDeps, req: Request): Promise<AppError | null> => {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!token)
    return new AppError(
      "UNAUTHENTICATED",
      "/metrics needs `Authorization: Bearer <metrics token or admin key>`",
    );
  const expected = deps.env.DAM_METRICS_TOKEN;
  if (expected && sameSecret(token, expected)) return null;
  try {
    const principal = await authenticate(deps, req.headers.authorization);
    return principal.role === "ADMIN"
      ? null
      : new AppError("FORBIDDEN", "/metrics is for the metrics token or an ADMIN key");
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
};

const sameSecret = (given: string, expected: string): boolean => {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
};

// Errors of the body parser (invalid JSON, body over the limit, unknown charset) as GraphQL-shaped
// JSON with their HTTP status, not Express's HTML error page.
const bodyErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const { type, status } = error as { type?: string; status?: number };
  const appError =
    type === "entity.too.large"
      ? new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${GRAPHQL_BODY_LIMIT}`, {
          limit: GRAPHQL_BODY_LIMIT,
        })
      : type === "entity.parse.failed"
        ? new AppError("BAD_REQUEST", `Request body is not valid JSON: ${(error as Error).message}`)
        : typeof status === "number" && status >= 400 && status < 500
          ? new AppError("BAD_REQUEST", `Request body could not be read: ${(error as Error).message}`)
          : null;
  if (!appError) return next(error);
  res.status(
    typeof status === "number" && appError.code === "BAD_REQUEST" ? status : httpStatusOf(appError.code),
  );
  res.json(toErrorBody(appError));
};

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
    // Every request is authenticated before it executes (the context below refuses it otherwise), so
    // introspection is open to keys only; codegen, GraphiQL and other clients need it.
    introspection: true,
    parseOptions: { maxTokens: deps.env.DAM_MAX_QUERY_TOKENS },
    plugins: [
      queryLimitsPlugin(schema, {
        maxDepth: deps.env.DAM_MAX_QUERY_DEPTH,
        maxCost: deps.env.DAM_MAX_QUERY_COST,
        maxAliases: deps.env.DAM_MAX_QUERY_ALIASES,
        maxRootFields: deps.env.DAM_MAX_ROOT_FIELDS,
        maxInputDepth: deps.env.DAM_MAX_INPUT_DEPTH,
      }),
      metricsPlugin(schema, metrics),
      serviceUnavailablePlugin<TContext>(),
      // The schema gives no cache hints, and the plugin would wrap every field's resolver to read them:
      // per-field work on every answer (a search answer has hundreds of fields) for nothing.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  const modelStore = await startModelStore(deps);
  const experiments = await startExperimentRouter(deps);
  const searchIndexes = startSearchIndexStore(deps);
  // Not awaited: Redis being down must not keep the API from starting; keys then leave the cache
  // when their entry expires.
  const revocations = inBackground(
    subscribeRevokedKeys(deps.redis, deps.env.DAM_QUEUE_PREFIX, deps.db),
    "auth revocations",
  );

  const app = express();
  app.disable("x-powered-by");
  // No ETag: GraphQL answers are POSTs, never revalidated, and hashing each answer costs a search's time.
  app.set("etag", false);

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
  app.get("/api/v1/versions/:id/rows.csv", (req, res) => downloadVersionRows(deps, req, res, "csv"));
  app.get("/api/v1/versions/:id/rows.jsonl", (req, res) => downloadVersionRows(deps, req, res, "jsonl"));
  app.get("/api/v1/versions/:id/rows.parquet", (req, res) => downloadVersionRows(deps, req, res, "parquet"));

  app.get("/metrics", async (req, res) => {
    const refusal = await metricsRefusal(deps, req);
    if (refusal) {
      res.status(httpStatusOf(refusal.code)).json(toErrorBody(refusal));
      return;
    }
    res.setHeader("content-type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  app.post("/api/v1/uploads", uploadRoute(deps, deps.env.DAM_MAX_UPLOAD_BYTES));

  // The schema as SDL for clients (codegen, typed SDKs), to keys only like the API itself.
  // The modules' own SDL files, descriptions included: what the schema was built from, no reprinting.
  const publishedSchema = loadTypeDefs().join("\n");
  app.get("/graphql/schema.graphql", async (req, res) => {
    try {
      await authenticate(deps, req.headers.authorization);
      res.status(200).setHeader("content-type", "text/plain; charset=utf-8").send(publishedSchema);
    } catch (error) {
      failDownload(res, error, "schema");
    }
  });

  const rateLimiter = createRateLimiter(deps.redis, {
    prefix: deps.env.DAM_QUEUE_PREFIX,
    perSecond: deps.env.DAM_RATE_LIMIT_PER_SECOND,
    burst: deps.env.DAM_RATE_LIMIT_BURST,
  });
  app.use(
    "/graphql",
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    (req, res, next) => {
      try {
        precheckQuery((req.body as { query?: unknown } | undefined)?.query, {
          maxTokens: deps.env.DAM_MAX_QUERY_TOKENS,
          maxRepeated: deps.env.DAM_MAX_REPEATED_FIELDS,
        });
        next();
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        res.status(httpStatusOf(error.code)).json(toErrorBody(error));
      }
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          const principal = await authenticateLimited(deps, rateLimiter, req);
          const body = req.body as { operationName?: string } | undefined;
          return { principal, deps, operationName: body?.operationName ?? null };
        } catch (error) {
          if (error instanceof AppError) throw toGraphQLError(error);
          throw error;
        }
      },
    }),
  );
  app.use("/graphql", bodyErrorHandler);

  return {
    app,
    stop: async () => {
      await apollo.stop();
      // Exposures still buffered are written before the pools close.
      await experiments.close();
      await modelStore.close();
      await searchIndexes.close();
      await revocations.close();
      await rateLimiter.close();
    },
  };
};
