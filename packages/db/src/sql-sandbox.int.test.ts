import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createVersionTable } from "./data-plane.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { freePort } from "./free-port.ts";
import { createSqlSandbox, dropSandboxRole, sandboxRoleName } from "./sql-sandbox.ts";
import { createEmptyTestDatabase } from "./test-db.ts";

// The sandbox on the three kinds of server it meets: the external server as its superuser (what the
// integration tests use), the external server as an ordinary user allowed to create roles, and the
// embedded PostgreSQL (scram-sha-256 logins, our user its superuser).

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Sets up two version tables and a metadata-like table, then checks what the sandbox may read. */
const checkSandbox = async (databaseUrl: string) => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  pool.on("error", () => undefined);
  // One connection, so every statement meets whatever the one before left behind.
  const sandbox = createSqlSandbox({ pool, databaseUrl, max: 1, statementTimeoutMs: 500 });
  try {
    await createVersionTable(pool, "v_mine", [{ name: "price", type: "decimal" }]);
    await createVersionTable(pool, "v_other", [{ name: "card", type: "text" }]);
    await pool.query(`INSERT INTO data.v_mine VALUES (1, 4.5), (2, 250)`);
    await pool.query(`INSERT INTO data.v_other VALUES (1, '4111111111111111')`);
    await pool.query(`CREATE TABLE "ApiKey" (hash text)`);
    await pool.query(`INSERT INTO "ApiKey" VALUES ('secret')`);

    const read = await sandbox.query(
      "SELECT count(*)::int AS n FROM data.v_mine WHERE price > $1",
      [100],
      ["v_mine"],
    );
    expect(read).toEqual([{ n: 1 }]);
    await expect(sandbox.query("SELECT * FROM data.v_other", [], ["v_mine"])).rejects.toThrow(
      /permission denied for table v_other/,
    );
    await expect(sandbox.query(`SELECT * FROM "ApiKey"`, [], ["v_mine"])).rejects.toThrow(
      /permission denied for table ApiKey/,
    );
    await expect(sandbox.query("SELECT * FROM pg_shadow", [], [])).rejects.toThrow(/permission denied/);
    await expect(sandbox.query("SELECT pg_sleep(30)", [], [])).rejects.toThrow(/statement timeout/);
    await expect(sandbox.query("CREATE TABLE data.x (a int)", [], [])).rejects.toThrow(
      /read-only transaction/,
    );
    // A statement's session state does not outlive it: not a session-level setting, not an advisory lock.
    await sandbox.query("SELECT set_config('statement_timeout', '0', false), pg_advisory_lock(4242)", [], []);
    await expect(sandbox.query("SELECT pg_sleep(30)", [], [])).rejects.toThrow(/statement timeout/);
    const free = await pool.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(4242) AS ok");
    expect(free.rows[0]?.ok).toBe(true);
    await pool.query("SELECT pg_advisory_unlock_all()");
    // Nothing stays granted between statements.
    await expect(sandbox.query("SELECT * FROM data.v_mine", [], [])).rejects.toThrow(/permission denied/);
    const who = await sandbox.query(
      "SELECT session_user AS s, current_user AS c FROM data.v_mine LIMIT 1",
      [],
      ["v_mine"],
    );
    expect(who).toEqual([{ s: sandbox.role, c: sandbox.role }]);
  } finally {
    await sandbox.close();
    await pool.end();
  }
};

describe("SQL sandbox", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it("confines a statement on the external server (as its superuser)", async () => {
    const database = await createEmptyTestDatabase();
    cleanups.push(database.drop);
    await checkSandbox(database.url);
  });

  it("works for an application that is an ordinary user with CREATEROLE and owns its database", async () => {
    const suffix = randomBytes(4).toString("hex");
    const user = `dam_app_${suffix}`;
    const name = `dam_test_app_${suffix}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${user} LOGIN CREATEROLE PASSWORD 'app-${suffix}'`);
      await admin.query(`CREATE DATABASE ${name} OWNER ${user}`);
    } finally {
      await admin.end();
    }
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropSandboxRole(client, name);
        await client.query(`DROP ROLE IF EXISTS ${user}`);
      } finally {
        await client.end();
      }
    });
    const url = new URL(ADMIN_URL);
    url.username = user;
    url.password = `app-${suffix}`;
    url.pathname = `/${name}`;
    await checkSandbox(url.toString());
    expect(sandboxRoleName(name)).toMatch(/^dam_test_app_/);
  });

  it("confines a statement on the embedded PostgreSQL", async () => {
    const root = await mkdtemp(join(tmpdir(), "dam-sandbox-embedded-"));
    await chmod(root, 0o755);
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const server = await startEmbeddedPostgres({ dataDir: join(root, "pg"), port: await freePort() });
    cleanups.push(() => server.stop());
    await checkSandbox(server.url);
  });
});
