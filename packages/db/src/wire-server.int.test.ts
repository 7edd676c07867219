import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWireProtocol, type TWireServer } from "./wire-server.ts";

let db: PGlite;
let server: TWireServer;
let pool: pg.Pool;

beforeAll(async () => {
  db = await PGlite.create();
  server = await serveWireProtocol(db, "127.0.0.1", 0);
  pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${server.port}/postgres`, max: 8 });
  await pool.query("CREATE TABLE t (id int, payload text)");
});
afterAll(async () => {
  await pool?.end();
  await server?.close();
  await db?.close();
});

describe("wire server", () => {
  it("keeps concurrent extended-protocol queries of many connections apart", async () => {
    // 8 connections x 40 parameterised statements, with large array parameters that span TCP chunks:
    // interleaved Parse/Bind messages would fail with "prepared statement does not exist".
    const big = Array.from({ length: 5_000 }, (_, i) => `row-${i}-${"x".repeat(20)}`);
    const work = Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; i < 40; i++) {
        if (i % 10 === 0) {
          await pool.query("INSERT INTO t SELECT $1::int, unnest($2::text[])", [worker, big]);
        } else {
          const result = await pool.query<{ n: number }>("SELECT $1::int + $2::int AS n", [worker, i]);
          expect(result.rows[0]?.n).toBe(worker + i);
        }
      }
    });
    await Promise.all(work);
    const count = await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM t");
    expect(count.rows[0]?.n).toBe(String(8 * 4 * 5_000));
  });

  it("runs another connection's queries only after an open transaction ends", async () => {
    const a = await pool.connect();
    try {
      await a.query("BEGIN");
      await a.query("INSERT INTO t VALUES (-1, 'in-tx')");
      const outside = pool.query<{ n: string }>("SELECT count(*)::text AS n FROM t WHERE id = -1");
      await new Promise((resolve) => setTimeout(resolve, 100));
      await a.query("COMMIT");
      expect((await outside).rows[0]?.n).toBe("1");
    } finally {
      a.release();
    }
  });

  it("rolls back the transaction of a client that disconnects mid-way", async () => {
    const client = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:${server.port}/postgres`,
    });
    await client.connect();
    await client.query("BEGIN");
    await client.query("INSERT INTO t VALUES (-2, 'lost')");
    await client.end();
    const result = await pool.query<{ n: string }>("SELECT count(*)::text AS n FROM t WHERE id = -2");
    expect(result.rows[0]?.n).toBe("0");
  });
});
