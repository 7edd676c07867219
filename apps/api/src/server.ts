import type { Server } from "node:http";
import { createDeps } from "./deps.ts";
import { readEnv } from "./env.ts";
import { configureLogger, logger } from "./logger.ts";
import { ensureBootstrapAdminKey } from "./modules/auth/auth.service.ts";
import { createServerApp } from "./server-app.ts";

const env = readEnv();
configureLogger({ level: env.DAM_LOG_LEVEL, name: "api" });
const deps = createDeps(env);
if (env.DAM_ADMIN_TOKEN) await ensureBootstrapAdminKey(deps.db, env.DAM_ADMIN_TOKEN);
const { app, stop } = await createServerApp(deps);

const server: Server = app.listen(env.API_PORT, () => {
  logger.info("API listening", { graphql: `http://localhost:${env.API_PORT}/graphql` });
});

const SHUTDOWN_TIMEOUT_MS = 10_000;
let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  logger.info("API shutting down", { signal });
  // A dependency that hangs on close (a database that is already gone) must not keep the process alive.
  setTimeout(() => {
    logger.warn("shutdown took too long; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  server.close();
  await stop();
  await deps.close();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
