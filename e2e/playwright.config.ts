import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The e2e suite drives the product as a newcomer gets it: `npm start` on the embedded database with a
// fresh data directory (the demo shop loads through the real ingest jobs), in Debian's Chromium.
const ROOT = path.resolve(__dirname, "..");
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
const API_PORT = Number(process.env.E2E_API_PORT ?? 4100);
const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "e2e-admin-token-7c1f0d9a2b";
process.env.E2E_ADMIN_TOKEN = ADMIN_TOKEN;
process.env.E2E_API_URL = `http://127.0.0.1:${API_PORT}`;
const DATA_DIR = path.join(ROOT, ".data/e2e");
// No DATABASE_URL: the stack runs on the embedded PostgreSQL exactly as `npm start` does by default, in
// a fresh data directory (initdb takes about a second) on a port of its own.
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 54339);
// The shared test models (the image specs need ../shared/models/shop-image-resnet-tiny); the product's
// default models directory otherwise.
const SHARED_MODELS = path.resolve(ROOT, "../shared/models");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
  );
}

export default defineConfig({
  testDir: "tests",
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      // No network here: keep Chromium from calling home (its background requests would be refused).
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `rm -rf "${DATA_DIR}" && node --import tsx scripts/start.ts`,
    cwd: ROOT,
    url: `http://127.0.0.1:${WEB_PORT}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: {
      // Whatever the calling shell has, the suite runs on the default.
      DATABASE_URL: "",
      DAM_DATA_DIR: DATA_DIR,
      DAM_PG_PORT: String(PG_PORT),
      DAM_ADMIN_TOKEN: ADMIN_TOKEN,
      API_PORT: String(API_PORT),
      WEB_PORT: String(WEB_PORT),
      // Own queue prefix: a developer's running instance on the same Redis must not take these jobs.
      DAM_QUEUE_PREFIX: `dam-e2e-${process.pid}`,
      DAM_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
      ...(existsSync(SHARED_MODELS) ? { MODELS_DIR: SHARED_MODELS } : {}),
    },
  },
});
