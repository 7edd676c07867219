import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

type TCopyStream = ReturnType<typeof copyFrom>;

export type TCopySender = {
  /** Sends whole COPY rows; waits only when the stream it goes to is full. */
  send: (bytes: Buffer) => Promise<void>;
  /** Ends every COPY and waits for the server to have taken all rows. */
  finish: () => Promise<void>;
  /** Aborts: connections inside an unfinished COPY are closed, not returned to the pool. */
  abort: () => void;
};

/**
 * Several COPY statements into one table, each on its own connection, fed chunk by chunk in turn: the
 * server parses and stores rows on as many cores as there are streams, while this process scans the
 * next chunk. Each chunk holds whole rows, so any split is valid; `_line` keeps the file's order.
 */
export const openCopyStreams = async (pool: pg.Pool, sql: string, count: number): Promise<TCopySender> => {
  const clients: pg.PoolClient[] = [];
  const streams: TCopyStream[] = [];
  // The first failure of any stream or connection; waiters (a send held by backpressure, finish) are
  // told at once. A connection the server ends (restart, admin shutdown) does not always fail its COPY
  // stream: the stream then waits for a 'drain' that never comes, so the connections are watched too.
  let failure: Error | null = null;
  const waiters = new Set<(error: Error) => void>();
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiter of [...waiters]) waiter(failure);
  };
  const onEnd = () => fail(new Error("the database connection ended during COPY"));
  const unwatch = () => {
    for (const client of clients) {
      client.off("error", fail);
      client.off("end", onEnd);
    }
  };
  try {
    for (let i = 0; i < count; i++) {
      const client = await pool.connect();
      clients.push(client);
      client.on("error", fail);
      client.on("end", onEnd);
      const stream = client.query(copyFrom(sql));
      stream.on("error", fail);
      streams.push(stream);
    }
  } catch (error) {
    unwatch();
    for (const client of clients) client.release(true);
    throw error;
  }
  /** Resolves when `event` fires on `stream`; rejects on the first failure of any stream or connection. */
  const until = (stream: TCopyStream, event: "drain" | "finish") =>
    new Promise<void>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const settle = (error?: Error) => {
        stream.off(event, done);
        waiters.delete(settle);
        if (error) reject(error);
        else resolve();
      };
      const done = () => settle();
      stream.on(event, done);
      waiters.add(settle);
    });
  let next = 0;
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    unwatch();
    for (const client of clients) client.release(destroy);
  };
  return {
    send: async (bytes) => {
      if (failure) throw failure;
      if (bytes.length === 0) return;
      const stream = streams[next++ % streams.length] as TCopyStream;
      if (stream.write(bytes)) return;
      await until(stream, "drain");
    },
    finish: async () => {
      if (failure) throw failure;
      await Promise.all(
        streams.map((stream) => {
          const finished = until(stream, "finish");
          stream.end();
          return finished;
        }),
      );
      release(false);
    },
    abort: () => release(true),
  };
};
