import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";
import { dropSandboxRole } from "./sql-sandbox.ts";

// Integration tests run against the REAL PostgreSQL server, each in its own freshly migrated database, so
// tests can run in parallel, never see each other's rows, and exercise the same migrations as production.

export type TestDatabase = {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
};

const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

// Creates an empty database with a unique name (no migrations); used by createTestDatabase and by the
// migration tests, which need an unmigrated one.
export async function createEmptyTestDatabase(): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  // Lower-case hex only: the name needs no quoting beyond the identifier quotes below.
  const name = `dam_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE (PG 13+) terminates connections a test forgot to close, so a leak cannot fail the cleanup.
    // Roles are cluster-wide: the database's SQL sandbox role goes with it.
    drop: () =>
      withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropSandboxRole(client, name);
      }),
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyTestDatabase();
  try {
    await migrateDatabase(db.url);
  } catch (error) {
    await db.drop();
    throw error;
  }
  const prisma = createPrismaClient(db.url);
  return {
    url: db.url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
