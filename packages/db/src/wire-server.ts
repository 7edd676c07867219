import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// A Postgres wire-protocol front for one PGlite instance, shared by many client connections.
//
// Why not @electric-sql/pglite-socket's server: it queues each protocol message on its own, so the
// extended-protocol messages of two connections interleave (A: Parse, B: Parse, A: Bind...) and a
// client gets "unnamed prepared statement does not exist" under concurrency. Here a connection's
// messages are grouped up to the message that ends a round trip (Sync, simple Query, Terminate, or the
// startup packet) and each group runs alone. While a connection holds an open transaction, only its
// groups run: PGlite is a single backend, so other clients wait, as they would for a lock.

const PROTOCOL_V3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const GROUP_END = new Set(["S", "Q", "X"]);

/** A simple-protocol Query message: 'Q', int32 length (itself + text + NUL), the text, NUL. */
const simpleQuery = (sql: string): Uint8Array => {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "ascii");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
};
const ROLLBACK_QUERY = simpleQuery("ROLLBACK");

type TGroup = { connection: TConnection; messages: Uint8Array[] };
type TConnection = { id: number; socket: Socket; buffer: Buffer; started: boolean; pending: Uint8Array[] };

export type TWireServer = { port: number; close: () => Promise<void> };

export const serveWireProtocol = async (db: PGlite, host: string, port: number): Promise<TWireServer> => {
  const queue: TGroup[] = [];
  let running = false;
  let owner: TConnection | null = null;
  let nextId = 1;
  let closed = false;
  const sockets = new Set<Socket>();

  // Sends a chunk of PGlite's output to the group's client, as a COPY. PGlite's write callback hands
  // onRawData a view of the WASM heap (`HEAPU8.subarray(ptr, ptr + length)`) that is only valid during
  // the call: Postgres reuses that memory for its next output, and growing the WASM memory detaches it
  // (the view becomes empty). PGlite's own default handler copies it (`bytes.slice()`), as does
  // @electric-sql/pglite-socket (`Buffer.from`). socket.write() keeps a reference, not a copy, whenever
  // the kernel does not take the bytes at once, which is the rule for a large result: the query runs
  // synchronously here, so nothing drains the socket meanwhile. Uncopied, the client got later output in
  // place of earlier bytes (DataRows whose lengths disagree with their contents: "offset out of range")
  // or lost bytes that were never sent (a stalled read).
  // A throw here must close the client: PGlite's main loop catches and drops whatever its write
  // callback throws, so the client would read on past a hole in its stream.
  const send = (connection: TConnection, data: Uint8Array) => {
    if (data.length === 0 || !connection.socket.writable) return;
    try {
      connection.socket.write(Buffer.from(data));
    } catch (error) {
      connection.socket.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const runGroup = async (group: TGroup) => {
    await db.runExclusive(async () => {
      for (const message of group.messages) {
        await db.execProtocolRawStream(message, { onRawData: (data) => send(group.connection, data) });
      }
    });
  };

  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const index =
          owner && db.isInTransaction() ? queue.findIndex((group) => group.connection === owner) : 0;
        if (index === -1) break; // the transaction's owner has not sent its next group yet
        const [group] = queue.splice(index, 1);
        if (!group) break;
        await runGroup(group).catch((error: unknown) => {
          group.connection.socket.destroy(error instanceof Error ? error : new Error(String(error)));
        });
        owner = group.connection;
      }
    } finally {
      running = false;
    }
  };

  const release = async (connection: TConnection) => {
    if (closed) return;
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.connection === connection) queue.splice(i, 1);
    // A client that vanished mid-transaction must not leave the single backend blocked for everyone.
    // The ROLLBACK goes through the raw stream with its output discarded: PGlite keeps the last
    // onRawData callback on the instance, so a plain db.exec() would send its reply to whichever
    // connection ran the last group, and that client would read bytes it never asked for.
    if (owner === connection && db.isInTransaction()) {
      await db
        .runExclusive(() => db.execProtocolRawStream(ROLLBACK_QUERY, { onRawData: () => undefined }))
        .catch(() => undefined);
    }
    if (owner === connection) owner = null;
    void drain();
  };

  const onData = (connection: TConnection, chunk: Buffer) => {
    connection.buffer = Buffer.concat([connection.buffer, chunk]);
    for (;;) {
      const buffer = connection.buffer;
      if (!connection.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        connection.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          connection.socket.write("N"); // no encryption on a loopback-only server
          continue;
        }
        if (code === CANCEL_REQUEST) {
          connection.socket.end();
          return;
        }
        if (code !== PROTOCOL_V3) {
          connection.socket.destroy(new Error(`unsupported protocol version ${code}`));
          return;
        }
        connection.started = true;
        queue.push({ connection, messages: [new Uint8Array(buffer.subarray(0, length))] });
        void drain();
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return;
      const type = String.fromCharCode(buffer[0] ?? 0);
      connection.pending.push(new Uint8Array(buffer.subarray(0, length)));
      connection.buffer = buffer.subarray(length);
      if (GROUP_END.has(type)) {
        queue.push({ connection, messages: connection.pending });
        connection.pending = [];
        void drain();
      }
    }
  };

  const server: Server = createServer((socket) => {
    const connection: TConnection = {
      id: nextId++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
    };
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("data", (chunk) => onData(connection, chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      void release(connection);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    port: boundPort,
    close: async () => {
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
