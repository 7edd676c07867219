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
  let failure: Error | null = null;
  try {
    for (let i = 0; i < count; i++) {
      const client = await pool.connect();
      clients.push(client);
      const stream = client.query(copyFrom(sql));
      stream.on("error", (error: Error) => {
        failure ??= error;
      });
      streams.push(stream);
    }
  } catch (error) {
    for (const client of clients) client.release(true);
    throw error;
  }
  let next = 0;
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    for (const client of clients) client.release(destroy);
  };
  return {
    send: async (bytes) => {
      if (failure) throw failure;
      if (bytes.length === 0) return;
      const stream = streams[next++ % streams.length] as TCopyStream;
      if (stream.write(bytes)) return;
      await new Promise<void>((resolve, reject) => {
        const settle = (error?: Error) => {
          stream.off("drain", settle);
          stream.off("error", settle);
          if (error) reject(error);
          else resolve();
        };
        stream.on("drain", settle);
        stream.on("error", settle);
      });
    },
    finish: async () => {
      if (failure) throw failure;
      await Promise.all(
        streams.map(
          (stream) =>
            new Promise<void>((resolve, reject) => {
              stream.once("error", reject);
              stream.once("finish", () => resolve());
              stream.end();
            }),
        ),
      );
      release(false);
    },
    abort: () => release(true),
  };
};
