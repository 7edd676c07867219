import { randomUUID } from "node:crypto";
import pg from "pg";
import {
  migrationsDir as defaultMigrationsDir,
  type MigrationFile,
  readMigrationFiles,
} from "./migration-files.ts";

// Applies prisma/migrations/*/migration.sql with plain `pg`, because `prisma migrate deploy` needs the
// native schema engine, which cannot be downloaded here (docs/migrations.md). The bookkeeping table is
// Prisma's own `_prisma_migrations`, with the same columns and checksums, so the Prisma CLI can take over
// a database migrated by this runner (and the other way round) wherever the CLI does work.

export type MigrateOptions = {
  log?: (msg: string) => void;
  // Defaults to the repository's prisma/migrations; tests point it at a scratch copy.
  migrationsDir?: string;
};

export type MigrateResult = { applied: string[] };

// The same key Prisma's schema engine locks on Postgres, so this runner and the Prisma CLI (where it can
// run) also exclude each other.
const MIGRATION_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
};

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export async function migrateDatabase(
  databaseUrl: string,
  opts: MigrateOptions = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const files = await readMigrationFiles(opts.migrationsDir ?? defaultMigrationsDir);
  // One dedicated connection: the advisory lock is held by the session, and a pool could hand the
  // unlock to a different one.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, files, log);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(
  client: pg.Client,
  files: MigrationFile[],
  log: (msg: string) => void,
): Promise<MigrateResult> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const applied = await readApplied(client);
  verifyHistory(files, applied, log);

  const done: string[] = [];
  for (const file of files) {
    if (applied.has(file.name)) continue;
    if (await applyOne(client, file)) {
      log(`applied ${file.name}`);
      done.push(file.name);
    }
  }
  if (done.length === 0) log("no pending migrations");
  return { applied: done };
}

async function readApplied(client: pg.Client): Promise<Map<string, AppliedRow>> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

// Refuse to run on a history that no longer matches the files: applying more SQL on top of a database
// whose past migrations were edited would leave it in a state no migration file describes.
function verifyHistory(files: MigrationFile[], applied: Map<string, AppliedRow>, log: (msg: string) => void) {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied.values()) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration "${row.migration_name}" is recorded as started but never finished (a failed run of the ` +
          `Prisma CLI?). Fix the database by hand, then delete or mark its row in "_prisma_migrations" as ` +
          `rolled back (rolled_back_at = now()).`,
        row.migration_name,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      // Typically a migration from another branch: not fatal, but worth seeing.
      log(`warning: migration ${row.migration_name} is applied in the database but missing from disk`);
      continue;
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration "${row.migration_name}" was modified after it was applied: checksum in the database ` +
          `${row.checksum}, file ${file.checksum}. Restore the original migration.sql and put the change ` +
          `in a new migration (npm run db:migrate:new <name>).`,
        row.migration_name,
      );
    }
  }
}

// Each migration and its `_prisma_migrations` row commit together, so a failure leaves neither behind and
// the next run retries the migration from a clean state. Returns false if someone else applied it first.
async function applyOne(client: pg.Client, file: MigrationFile): Promise<boolean> {
  await client.query("BEGIN");
  try {
    // The advisory lock already excludes a concurrent migrator; the re-check keeps a retried run from
    // applying a migration that another run committed between its read of the table and its lock.
    const { rowCount } = await client.query(
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [file.name],
    );
    if (rowCount) {
      await client.query("ROLLBACK");
      return false;
    }
    const { rows } = await client.query<{ now: Date }>("SELECT clock_timestamp() AS now");
    const startedAt = rows[0]?.now ?? new Date();
    // No parameters, so pg uses the simple-query protocol, which accepts a multi-statement script.
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), file.checksum, file.name, startedAt],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration "${file.name}" failed and was rolled back: ${reason}`, file.name, {
      cause: error,
    });
  }
}
