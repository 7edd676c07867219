import { createHash, randomBytes } from "node:crypto";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import pg from "pg";
import { DATA_SCHEMA } from "./data-plane.ts";

// User-written SQL (custom quality rules) runs as a least-privilege role of its own. Such a role logs in
// by itself: a `SET ROLE` on one of our connections is no boundary, because the query could call
// `set_config('role', ...)` and become the session user again. The role owns nothing and has no grants
// but USAGE on the data schema; SELECT on exactly the version tables a statement reads is granted
// just before it runs and revoked right after, so it never sees the metadata tables (ApiKey,
// AuditEvent...), another dataset's rows or anything PUBLIC cannot read (pg_shadow, pg_authid,
// superuser-only settings, pg_read_file, pg_ls_dir, admin functions).

/** Rows of one sandboxed statement, as node-pg returns them. */
export type TSandboxRow = Record<string, unknown>;

export type TSqlSandbox = {
  /** The sandbox role's name in this database. */
  role: string;
  /**
   * Runs one statement as the sandbox role in a READ ONLY transaction with a statement timeout, able to
   * read only `tables` (version table names in the data schema).
   */
  query: (sql: string, params: unknown[], tables: string[]) => Promise<TSandboxRow[]>;
  close: () => Promise<void>;
};

export type TSqlSandboxOptions = {
  /** The application's own pool: it owns the version tables and grants on them. */
  pool: pg.Pool;
  /** The application's database URL; the sandbox logs in to the same server and database. */
  databaseUrl: string;
  /**
   * A ready-made sandbox login (`postgresql://role:password@host/db`) for servers where the application
   * may not create roles; without it the role is created (or brought up to date) on first use.
   */
  sandboxUrl?: string;
  /** Connections of the sandbox's own pool. */
  max: number;
  statementTimeoutMs: number;
};

const MAX_IDENT = 63;
// Serialises grant -> statement -> revoke across every process on this database (session advisory
// lock; a crashed holder's connection closes and frees it). Only one sandbox statement runs at a time,
// so its grants are exactly the tables it reads. Arbitrary 64-bit key: "dam sql sandbox".
const GRANT_LOCK_KEY = "7365727665724842";
const ENSURE_LOCK_KEY = "7365727665724843";

/**
 * The sandbox role of a database: roles are cluster-wide, so the name carries the database's name (and
 * a hash of it, so two names that sanitise alike still differ). At most 63 bytes.
 */
export const sandboxRoleName = (databaseName: string): string => {
  const base = databaseName
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .slice(0, 36);
  const hash = createHash("sha256").update(databaseName).digest("hex").slice(0, 8);
  return `${base}_sql_sandbox_${hash}`.slice(0, MAX_IDENT);
};

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const databaseNameOf = (url: string): string => decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));

/**
 * Creates the sandbox role of the current database, or brings an existing one back to its
 * least-privilege attributes, and returns its password. The password is random, made once and kept
 * in a schema only the application's user can read, so every API and worker process logs in with the
 * same one. Idempotent and safe to run from several processes at once.
 */
export const ensureSandboxRole = async (pool: pg.Pool, role: string): Promise<string> => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [ENSURE_LOCK_KEY]);
    await client.query("CREATE SCHEMA IF NOT EXISTS dam_sandbox");
    await client.query("REVOKE ALL ON SCHEMA dam_sandbox FROM PUBLIC");
    await client.query(
      "CREATE TABLE IF NOT EXISTS dam_sandbox.login (role name PRIMARY KEY, password text NOT NULL)",
    );
    await client.query(
      "INSERT INTO dam_sandbox.login (role, password) VALUES ($1, $2) ON CONFLICT (role) DO NOTHING",
      [role, randomBytes(24).toString("hex")],
    );
    const stored = await client.query<{ password: string }>(
      "SELECT password FROM dam_sandbox.login WHERE role = $1",
      [role],
    );
    const password = stored.rows[0]?.password ?? "";
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const attributes =
      "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 16";
    await client.query(
      exists.rowCount
        ? `ALTER ROLE ${quoteIdent(role)} WITH ${attributes} PASSWORD ${literal(password)}`
        : `CREATE ROLE ${quoteIdent(role)} WITH ${attributes} PASSWORD ${literal(password)}`,
    );
    // Belt and braces: even a session opened by hand with this role is read-only and time-boxed.
    await client.query(`ALTER ROLE ${quoteIdent(role)} SET default_transaction_read_only = on`);
    await client.query(`ALTER ROLE ${quoteIdent(role)} SET statement_timeout = '30s'`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(DATA_SCHEMA)}`);
    await client.query(`GRANT USAGE ON SCHEMA ${quoteIdent(DATA_SCHEMA)} TO ${quoteIdent(role)}`);
    // PUBLIC may connect by default; where it may not, the database's owner must allow the role. An
    // application that does not own its database cannot grant this and relies on the default.
    const database = await client.query<{ name: string }>("SELECT current_database() AS name");
    await client.query("SAVEPOINT connect_grant");
    await client
      .query(`GRANT CONNECT ON DATABASE ${quoteIdent(database.rows[0]?.name ?? "")} TO ${quoteIdent(role)}`)
      .then(
        () => client.query("RELEASE SAVEPOINT connect_grant"),
        () => client.query("ROLLBACK TO SAVEPOINT connect_grant"),
      );
    await client.query("COMMIT");
    return password;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** Every table of the data schema the role may read now (normally none between two statements). */
const grantedTables = async (client: pg.PoolClient, role: string): Promise<string[]> => {
  const result = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p')
        AND has_table_privilege($2, c.oid, 'SELECT')`,
    [DATA_SCHEMA, role],
  );
  return result.rows.map((row) => row.relname);
};

const tableList = (tables: string[]): string =>
  tables.map((table) => `${quoteIdent(DATA_SCHEMA)}.${quoteIdent(table)}`).join(", ");

/**
 * The sandbox: its own small pool logged in as the sandbox role. The role is made on first use, so a
 * server where the application may not create roles still starts; its custom SQL rules then fail
 * alone with the reason, and never fall back to the application's role.
 */
export const createSqlSandbox = (options: TSqlSandboxOptions): TSqlSandbox => {
  const role = options.sandboxUrl
    ? decodeURIComponent(new URL(options.sandboxUrl).username)
    : sandboxRoleName(databaseNameOf(options.databaseUrl));
  let sandboxPool: Promise<pg.Pool> | null = null;

  const openPool = async (): Promise<pg.Pool> => {
    let url = options.sandboxUrl;
    if (!url) {
      const password = await ensureSandboxRole(options.pool, role);
      const login = new URL(options.databaseUrl);
      login.username = encodeURIComponent(role);
      login.password = encodeURIComponent(password);
      url = login.toString();
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max,
      application_name: "dam-sql-sandbox",
    });
    pool.on("error", () => undefined);
    return pool;
  };
  const sandbox = (): Promise<pg.Pool> => {
    sandboxPool ??= openPool().catch((error: Error) => {
      sandboxPool = null;
      throw new Error(`the SQL sandbox is not available: ${error.message}`);
    });
    return sandboxPool;
  };

  const run = async (pool: pg.Pool, sql: string, params: unknown[]): Promise<TSandboxRow[]> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN READ ONLY");
      // A server (or proxy) that ignores the login's user would run the statement with the
      // application's rights: refuse rather than fall back.
      const who = await client.query<{ user: string }>('SELECT session_user AS "user"');
      if (who.rows[0]?.user !== role) {
        throw new Error(`the SQL sandbox logged in as ${who.rows[0]?.user}, not as ${role}; refusing to run`);
      }
      await client.query(
        `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`,
      );
      const result = await client.query(sql, params);
      await client.query("COMMIT");
      return result.rows as TSandboxRow[];
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      // A statement may leave session state behind (set_config(..., false), session advisory locks,
      // LISTEN, held cursors): DISCARD ALL drops all of it, as a pooler's reset query does. A
      // connection that cannot be reset is closed instead of reused.
      const reset = await client.query("DISCARD ALL").then(
        () => true,
        () => false,
      );
      client.release(!reset);
    }
  };

  // Statements of this process queue here before taking one of the application's connections to wait
  // for the lock: a run with many custom rules must not hold the whole pool while it waits.
  let queue: Promise<unknown> = Promise.resolve();
  const query: TSqlSandbox["query"] = (sql, params, tables) => {
    const turn = queue.then(() => runLocked(sql, params, tables));
    queue = turn.catch(() => undefined);
    return turn;
  };

  const runLocked: TSqlSandbox["query"] = async (sql, params, tables) => {
    const pool = await sandbox();
    const admin = await options.pool.connect();
    let locked = false;
    try {
      await admin.query("SELECT pg_advisory_lock($1::bigint)", [GRANT_LOCK_KEY]);
      locked = true;
      // Grants a crashed process left behind go first, so the statement reads only its own tables.
      const stale = await grantedTables(admin, role);
      if (stale.length > 0)
        await admin.query(`REVOKE SELECT ON ${tableList(stale)} FROM ${quoteIdent(role)}`);
      if (tables.length > 0) await admin.query(`GRANT SELECT ON ${tableList(tables)} TO ${quoteIdent(role)}`);
      try {
        return await run(pool, sql, params);
      } finally {
        if (tables.length > 0) {
          await admin.query(`REVOKE SELECT ON ${tableList(tables)} FROM ${quoteIdent(role)}`);
        }
      }
    } finally {
      if (locked)
        await admin.query("SELECT pg_advisory_unlock($1::bigint)", [GRANT_LOCK_KEY]).catch(() => undefined);
      admin.release();
    }
  };

  return {
    role,
    query,
    close: async () => {
      const pending = sandboxPool;
      sandboxPool = null;
      const pool = await pending?.catch(() => null);
      await pool?.end();
    },
  };
};

/** Drops a database's sandbox role (after the database itself is gone: tests clean up with it). */
export const dropSandboxRole = async (client: pg.Client, databaseName: string): Promise<void> => {
  await client.query(`DROP ROLE IF EXISTS ${quoteIdent(sandboxRoleName(databaseName))}`);
};
