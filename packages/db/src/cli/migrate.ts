import { resolve } from "node:path";
import { DEFAULT_EMBEDDED_PORT, startEmbeddedPostgres } from "../embedded.ts";
import { migrateDatabase } from "../migrate.ts";

// `npm run db:migrate`: applies pending prisma/migrations to DATABASE_URL or, when DATABASE_URL is unset,
// to the embedded PostgreSQL in $DAM_DATA_DIR/pg (default ./.data/pg), the database `npm start` uses when
// no server is configured. The embedded server is started for the migration and stopped afterwards; while
// `npm start` runs it, point DATABASE_URL at it instead (the start prints its address).

const log = (msg: string) => console.log(`  ${msg}`);

async function main(): Promise<void> {
  const started = Date.now();
  const databaseUrl = process.env.DATABASE_URL;
  let applied: string[];
  if (databaseUrl) {
    console.log(`Migrating ${redact(databaseUrl)}`);
    ({ applied } = await migrateDatabase(databaseUrl, { log }));
  } else {
    const dataDir = resolve(process.env.DAM_DATA_DIR ?? ".data", "pg");
    console.log(`DATABASE_URL is not set: migrating the embedded database in ${dataDir}`);
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: Number(process.env.DAM_PG_PORT ?? DEFAULT_EMBEDDED_PORT),
      log,
    });
    try {
      ({ applied } = await migrateDatabase(embedded.url, { log }));
    } finally {
      await embedded.stop();
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s) in ${seconds} s.` : `Up to date (${seconds} s).`,
  );
}

// Never print a password from the URL into CI logs.
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable DATABASE_URL>";
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
