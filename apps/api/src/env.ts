import path from "node:path";
import { z } from "zod";

// The one place that reads process.env: everything else receives a validated config.
const ZEnv = z.object({
  DATABASE_URL: z.string().url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  // HTTP processes sharing API_PORT (node:cluster); each holds the serving models in memory.
  DAM_API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  // How long an idle keep-alive connection stays open. Longer than the idle timeouts of common HTTP
  // clients and load balancers (60 s), so the client closes an idle connection first: when the server
  // closes one just as the client sends on it, that request fails with ECONNRESET (Node's default, 5 s,
  // did this a few times in ten minutes of the soak bench).
  DAM_HTTP_KEEP_ALIVE_MS: z.coerce.number().int().min(1_000).max(600_000).default(65_000),
  // How long a process trusts an API key it has checked without reading it again (auth/key-cache.ts).
  DAM_KEY_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  // Console sessions (auth/console-session.service.ts): ended after this long without a request, and
  // at the latest this long after sign-in, however active.
  DAM_SESSION_IDLE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(60 * 60_000),
  DAM_SESSION_MAX_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(30 * 86_400_000)
    .default(12 * 60 * 60_000),
  DAM_ADMIN_TOKEN: z.string().min(16, "DAM_ADMIN_TOKEN must be at least 16 characters").optional(),
  ARTIFACTS_DIR: z.string().default(path.resolve(".data/artifacts")),
  MODELS_DIR: z.string().default(path.resolve(".data/models")),
  // Default text embedding model (a folder under MODELS_DIR); missing weights mean the lexical fallback.
  DAM_EMBED_MODEL: z.string().min(1).default("Xenova/all-MiniLM-L6-v2"),
  // Default image embedding model (a folder under MODELS_DIR); without its weights image jobs refuse.
  DAM_IMAGE_MODEL: z.string().min(1).default("Xenova/clip-vit-base-patch32"),
  // Per-picture limits of image imports: larger files or pictures are rejected with the reason.
  DAM_MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 ** 2),
  DAM_MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(50_000_000),
  DAM_UPLOADS_DIR: z.string().default(path.resolve(".data/uploads")),
  DAM_EMBEDDED_DB: z.enum(["0", "1"]).default("0"),
  // Redis key prefix for BullMQ: lets tests (and several installs) share one Redis without clashing.
  DAM_QUEUE_PREFIX: z.string().default("dam"),
  DAM_WORKER_QUEUES: z.string().optional(),
  DAM_JOB_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  DAM_JOB_STALLED_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  DAM_DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  // User-written SQL (custom quality rules) runs in the SQL sandbox (@dam/db/sql-sandbox): its own role,
  // its own small pool, read-only transactions cut after this many milliseconds.
  DAM_SANDBOX_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DAM_SANDBOX_POOL_MAX: z.coerce.number().int().min(1).max(16).default(2),
  // A ready-made sandbox login for servers where the application may not create roles; by default the
  // role is created per database on first use.
  DAM_SANDBOX_DATABASE_URL: z.string().url().optional(),
  DAM_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
  DAM_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DAM_MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  DAM_MAX_QUERY_COST: z.coerce.number().int().positive().default(20_000),
  // Fields asked for under an alias, and fields at the top, per operation (graphql/query-limits.ts).
  DAM_MAX_QUERY_ALIASES: z.coerce.number().int().nonnegative().default(100),
  DAM_MAX_ROOT_FIELDS: z.coerce.number().int().positive().default(30),
  // Lexical tokens in one GraphQL document (the console's largest operation has ~130, introspection
  // ~180), and copies of one response name in one selection set: both bound the work of validation.
  DAM_MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(5_000),
  DAM_MAX_REPEATED_FIELDS: z.coerce.number().int().positive().default(20),
  // Nesting of lists, input objects and JSON in one argument or variable.
  DAM_MAX_INPUT_DEPTH: z.coerce.number().int().positive().default(32),
  // Token bucket per API key, kept in Redis (graphql/rate-limit.ts): a sustained rate of
  // DAM_RATE_LIMIT_PER_SECOND requests with bursts of up to DAM_RATE_LIMIT_BURST. 0 turns it off.
  // The defaults sit above the soak benchmark's 550 requests/s from one key.
  DAM_RATE_LIMIT_PER_SECOND: z.coerce.number().nonnegative().default(1_000),
  DAM_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(2_000),
  // Bearer token that may read /metrics (an ADMIN key may too). Unset: only ADMIN keys.
  DAM_METRICS_TOKEN: z.string().min(16, "DAM_METRICS_TOKEN must be at least 16 characters").optional(),
});

export type TEnv = z.infer<typeof ZEnv>;

export const readEnv = (source: NodeJS.ProcessEnv = process.env): TEnv => {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
};
