import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { migrationsDir, readMigrationFiles, schemaPath } from "../migration-files.ts";
import {
  diffMigrationsToSchema,
  isEmptyDiff,
  MIGRATION_LOCKFILE,
  MIGRATION_LOCKFILE_NAME,
} from "../schema-engine/diff-migrations.ts";
import { nextMigrationPrefix } from "../schema-engine/migration-name.ts";
import { takeEnginePanic } from "../schema-engine/wasm-engine.ts";

// `npm run db:migrate:new <name> [--empty]`: the `prisma migrate dev --create-only` this repo cannot run
// (the Prisma CLI needs a native engine it cannot download). The WASM schema engine replays
// prisma/migrations on a throw-away PGlite and diffs the result against prisma/schema.prisma; the SQL
// lands in prisma/migrations/<UTC timestamp>_<name>/migration.sql. `--empty` writes an empty migration
// for hand-written SQL (data fixes, objects Prisma does not model, like the `data` schema).

function usage(): never {
  console.error("usage: npm run db:migrate:new <name> [--empty]   (name: letters, digits, _ or -)");
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const empty = args.includes("--empty");
  const name = args.find((arg) => !arg.startsWith("--"));
  if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) usage();

  const started = Date.now();
  const migrations = await readMigrationFiles();
  let sql: string;
  if (empty) {
    sql = "-- Hand-written migration: runs in one transaction together with its _prisma_migrations row.\n";
  } else {
    console.log("Diffing prisma/migrations against prisma/schema.prisma on a throw-away PGlite...");
    const schema = await readFile(schemaPath, "utf8");
    sql = await diffMigrationsToSchema({ schemaPath, schema, migrationsDir, migrations });
    if (isEmptyDiff(sql)) {
      console.log(`No schema changes (${((Date.now() - started) / 1000).toFixed(1)} s).`);
      return;
    }
  }

  const prefix = nextMigrationPrefix(
    new Date(),
    migrations.map((file) => file.name),
  );
  const dir = join(migrationsDir, `${prefix}_${name.toLowerCase().replace(/-/g, "_")}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
  const lockfilePath = join(migrationsDir, MIGRATION_LOCKFILE_NAME);
  if (!existsSync(lockfilePath)) await writeFile(lockfilePath, MIGRATION_LOCKFILE);

  console.log(`Wrote ${relative(process.cwd(), join(dir, "migration.sql"))}`);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s) Review it, then run: npm run db:migrate`);
}

// A Rust panic in the engine escapes as an uncaught "RuntimeError: unreachable" from a wasm callback, not
// as a rejection of the diff() promise; print the panic message the engine registered instead.
process.on("uncaughtException", (error) => {
  console.error(`Schema engine failed: ${takeEnginePanic() ?? error.stack ?? error.message}`);
  process.exit(1);
});

main().then(
  // The WASM engine can leave timers behind that would keep the process alive for a while.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
