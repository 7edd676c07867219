import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool, createPrismaClient, Role } from "./client.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";
import { migrateDatabase } from "./migrate.ts";
import { readMigrationFiles } from "./migration-files.ts";

// The embedded PGlite served over the wire protocol, in a temp data dir. The tests run in order and share
// the directory: the second start must find what the first one wrote.

describe("embedded PGlite over the wire protocol", () => {
  let dataDir: string;
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "dam-pglite-"));
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts on a free port, migrates (two concurrent runs record each migration once)", async () => {
    const t0 = Date.now();
    server = await startEmbeddedPostgres({ dataDir });
    console.log(`embedded first start (initdb): ${Date.now() - t0} ms`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`postgresql://postgres@127.0.0.1:${server.port}/postgres`);

    const expected = (await readMigrationFiles()).map((f) => f.name);
    // Every socket connection shares PGlite's single session, so the advisory lock cannot exclude the
    // second run here; migrateDatabase's in-transaction re-check must.
    const results = await Promise.all([migrateDatabase(server.url), migrateDatabase(server.url)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(expected);

    const pool = createPgPool(server.url, 5);
    try {
      const { rows } = await pool.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
    } finally {
      await pool.end();
    }
  });

  it("serves a pg.Pool and the Prisma adapter concurrently", async () => {
    if (!server) throw new Error("server not started");
    const pool = createPgPool(server.url, 5);
    const prisma = createPrismaClient(server.url);
    try {
      // Five pooled connections at once, parameterised, plus a data-plane style table in schema `data`.
      await pool.query("CREATE TABLE data.probe (id INT PRIMARY KEY, label TEXT NOT NULL)");
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          pool.query("INSERT INTO data.probe VALUES ($1, $2)", [i, `row ${i}`]),
        ),
      );
      // Prisma through adapter-pg, interleaved with the pool and with an interactive transaction.
      const [users] = await Promise.all([
        Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            prisma.user.create({ data: { email: `u${i}@example.com`, name: `U${i}`, role: Role.VIEWER } }),
          ),
        ),
        pool.query("SELECT count(*) FROM data.probe"),
        prisma.$transaction(async (tx) => {
          const ds = await tx.dataset.create({ data: { name: "events", kind: "EVENTS" } });
          await tx.datasetVersion.create({
            data: { datasetId: ds.id, number: 1, tableName: "data.events_v1" },
          });
        }),
      ]);
      expect(users).toHaveLength(5);
      expect(await prisma.user.count()).toBe(5);
      const version = await prisma.datasetVersion.findFirstOrThrow({ include: { dataset: true } });
      expect(version.rowCount).toBe(0n);
      expect(version.dataset.name).toBe("events");
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM data.probe");
      expect(rows[0]?.n).toBe("10");
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it("stops cleanly; a restart on the same dir keeps the data and has nothing to migrate", async () => {
    await server?.stop();
    const t0 = Date.now();
    server = await startEmbeddedPostgres({ dataDir });
    console.log(`embedded restart (existing dataDir): ${Date.now() - t0} ms`);

    expect((await migrateDatabase(server.url)).applied).toEqual([]);
    const prisma = createPrismaClient(server.url);
    try {
      expect(await prisma.user.count()).toBe(5);
      expect(await prisma.dataset.findUnique({ where: { name: "events" } })).not.toBeNull();
      const rows = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM data.probe`;
      expect(rows[0]?.n).toBe(10n);
    } finally {
      await prisma.$disconnect();
    }
  });
});
