import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { serveWireProtocol } from "./wire-server.ts";

// The embedded database: PGlite (Postgres compiled to WASM, in this process) served over the Postgres wire
// protocol. Serving it over a socket instead of using it in-process means the API, the workers and the
// migration runner all use the same `pg` / `@prisma/adapter-pg` code as against a real server.
//
// PGlite is ONE backend: the wire server (wire-server.ts) multiplexes connections onto it, queries run one at a time, and
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

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  await mkdir(opts.dataDir, { recursive: true });
  // Single-object form: `PGlite.create(dataDir, opts)` variants have silently dropped options before.
  const db = await PGlite.create({ dataDir: opts.dataDir });
  let server: Awaited<ReturnType<typeof serveWireProtocol>>;
  try {
    server = await serveWireProtocol(db, host, opts.port ?? 0);
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = server.port;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Idempotent: tests and signal handlers may both call it.
    stopped ??= (async () => {
      await server.close();
      // close() checkpoints and flushes to dataDir, so the next start reopens it instead of running initdb.
      await db.close();
    })();
    return stopped;
  };

  return { url: `postgresql://postgres@${host}:${port}/postgres`, port, stop };
}
