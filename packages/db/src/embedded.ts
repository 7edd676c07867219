import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// The embedded database: PGlite (Postgres compiled to WASM, in this process) served over the Postgres wire
// protocol. Serving it over a socket instead of using it in-process means the API, the workers and the
// migration runner all use the same `pg` / `@prisma/adapter-pg` code as against a real server.
//
// PGlite is ONE backend: the socket server multiplexes connections onto it, queries run one at a time, and
// a transaction open on one connection makes the others wait. Keep transactions short.

export type EmbeddedPostgresOptions = {
  dataDir: string;
  // 0 or omitted: any free port.
  port?: number;
  host?: string;
};

export type EmbeddedPostgres = {
  url: string;
  port: number;
  stop(): Promise<void>;
};

// Every pooled client holds a connection; beyond this the server answers "Too many connections".
const MAX_CONNECTIONS = 20;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  await mkdir(opts.dataDir, { recursive: true });
  // Single-object form: `PGlite.create(dataDir, opts)` variants have silently dropped options before.
  const db = await PGlite.create({ dataDir: opts.dataDir });
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections: MAX_CONNECTIONS });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  // With port 0 the OS picks the port; the server reports the bound one as "host:port".
  const port = Number(server.getServerConn().split(":").pop());

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Idempotent: tests and signal handlers may both call it.
    stopped ??= (async () => {
      await server.stop();
      // close() checkpoints and flushes to dataDir, so the next start reopens it instead of running initdb.
      await db.close();
    })();
    return stopped;
  };

  return { url: `postgresql://postgres@${host}:${port}/postgres`, port, stop };
}
