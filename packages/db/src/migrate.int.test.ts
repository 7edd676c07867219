import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, Role } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";
import { migrationsDir, readMigrationFiles } from "./migration-files.ts";
import { createEmptyTestDatabase, createTestDatabase } from "./test-db.ts";

// Against the real PostgreSQL server (TEST_DATABASE_ADMIN_URL), one throw-away database per test.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function emptyDatabase() {
  const db = await createEmptyTestDatabase();
  cleanups.push(db.drop);
  return db;
}

async function scratchMigrationsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dam-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("migrateDatabase on PostgreSQL", () => {
  it("migrates a fresh database, records Prisma's bookkeeping, and a rerun applies nothing", async () => {
    const db = await emptyDatabase();
    const expected = (await readMigrationFiles()).map((f) => f.name);

    const first = await migrateDatabase(db.url);
    expect(first.applied).toEqual(expected);

    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      db.url,
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    const files = await readMigrationFiles();
    expect(rows).toEqual(
      files.map((f) => ({ migration_name: f.name, checksum: f.checksum, applied_steps_count: 1 })),
    );
    const schemas = await query<{ nspname: string }>(db.url, "SELECT nspname FROM pg_namespace");
    expect(schemas.map((s) => s.nspname)).toContain("data");

    const second = await migrateDatabase(db.url);
    expect(second.applied).toEqual([]);
  });

  it("gives a Prisma client a working schema (createTestDatabase)", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const user = await db.prisma.user.create({
      data: { email: "a@example.com", name: "A", role: Role.ADMIN },
    });
    const dataset = await db.prisma.dataset.create({
      data: { name: "catalog", kind: "CATALOG", ownerId: user.id, tags: ["x"] },
    });
    expect(dataset.tags).toEqual(["x"]);
    expect(await db.prisma.user.count()).toBe(1);
  });

  it("refuses to run when an applied migration's file changed, naming the migration", async () => {
    const db = await emptyDatabase();
    const dir = await scratchMigrationsDir();
    await migrateDatabase(db.url, { migrationsDir: dir });

    await writeFile(join(dir, "20261128000000_init", "migration.sql"), "-- edited\nSELECT 1;\n");

    await expect(migrateDatabase(db.url, { migrationsDir: dir })).rejects.toThrow(
      /Migration "20261128000000_init" was modified after it was applied/,
    );
  });

  it("rolls a failing migration back entirely and records nothing for it", async () => {
    const db = await emptyDatabase();
    const dir = await scratchMigrationsDir();
    await mkdir(join(dir, "29990101000000_broken"));
    await writeFile(
      join(dir, "29990101000000_broken", "migration.sql"),
      'CREATE TABLE "WillVanish" (id INT);\nSELECT * FROM "NoSuchTable";\n',
    );

    await expect(migrateDatabase(db.url, { migrationsDir: dir })).rejects.toThrow(
      /Migration "29990101000000_broken" failed and was rolled back/,
    );

    const recorded = await query<{ migration_name: string }>(
      db.url,
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    // Every real migration before the broken one was applied and recorded; the broken one was not.
    const real = (await readdir(dir))
      .filter((name) => /^\d{14}_/.test(name) && !name.endsWith("_broken"))
      .sort();
    expect(real.length).toBeGreaterThan(0);
    expect(recorded.map((r) => r.migration_name)).toEqual(real);
    const leftovers = await query(db.url, `SELECT 1 FROM pg_tables WHERE tablename = 'WillVanish'`);
    expect(leftovers).toHaveLength(0);
  });

  it("serialises concurrent runs: both succeed and each migration is recorded once", async () => {
    const db = await emptyDatabase();
    const expected = (await readMigrationFiles()).map((f) => f.name);

    const results = await Promise.all([migrateDatabase(db.url), migrateDatabase(db.url)]);

    expect(results.flatMap((r) => r.applied).sort()).toEqual(expected);
    const rows = await query<{ migration_name: string; n: string }>(
      db.url,
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name`,
    );
    expect(rows.every((r) => r.n === "1")).toBe(true);
    expect(rows).toHaveLength(expected.length);
    // The database really is usable by the client afterwards.
    const prisma = createPrismaClient(db.url);
    try {
      expect(await prisma.job.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});
