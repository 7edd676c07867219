import { defineConfig } from "prisma/config";

// Prisma 7 reads this file from the repo root. Only `generate` uses the CLI here: migrations run
// through the WASM schema engine (packages/db/src/cli), because the CLI wants a native engine
// that cannot be downloaded offline.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/dam" },
});
