import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveWireProtocol, type TWireServer } from "./wire-server.ts";

// Regression test for the corrupt DataRows and stalled reads seen after the labelling flow on the
// embedded database: large results (a LABELS version's multibyte JSON text, read by the profiler and
// other clients at once) must reach every client byte for byte, also while other clients vanish.

const ROWS = 3_000;
// About 10 MB per full read: more than a loopback socket takes while the server runs one query
// synchronously, so the server's writes must queue in Node and still arrive intact.
const LARGE_EVERY = 20;

/** A gold label's JSON as a LABELS version stores it: emoji, CJK, accented letters; some 45-110 KB. */
const payloadOf = (i: number): string =>
  JSON.stringify({
    query: `café crème ${i} 東京 🍣`,
    itemId: `item-${i}-ñ`,
    label: i % 3 === 0 ? ["👍", "très bien", "良い"] : { grade: i % 4, note: "Ünïcödé ✓" },
    text: i % LARGE_EVERY === 0 ? "日本語🎈é".repeat(3_000 + i * 2) : "x€".repeat(i % 50),
  });
const labelOf = (i: number): string => `lab-${i % 7}-ü`;

let db: PGlite;
let server: TWireServer;
let pool: pg.Pool;
let url: string;
// Errors of idle pooled clients (a reply they never asked for) are failures too, not crashes.
const idleErrors: string[] = [];

beforeAll(async () => {
  db = await PGlite.create();
  server = await serveWireProtocol(db, "127.0.0.1", 0);
  url = `postgresql://postgres@127.0.0.1:${server.port}/postgres`;
  // query_timeout turns a stalled read into a failed query instead of a hung test.
  pool = new pg.Pool({ connectionString: url, max: 6, query_timeout: 30_000 });
  pool.on("error", (error) => idleErrors.push(error.message));
  await pool.query("CREATE TABLE labels_v1 (_line bigint, label text, label_json text)");
  for (let start = 0; start < ROWS; start += 500) {
    const lines = Array.from({ length: Math.min(500, ROWS - start) }, (_, k) => start + k);
    await pool.query("INSERT INTO labels_v1 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])", [
      lines,
      lines.map(labelOf),
      lines.map(payloadOf),
    ]);
  }
});
afterAll(async () => {
  await pool?.end();
  await server?.close();
  await db?.close();
});

const readAll = async () => {
  // pg returns bigint as text.
  const result = await pool.query<{ _line: string; label: string; label_json: string }>(
    "SELECT _line, label, label_json FROM labels_v1 ORDER BY _line",
  );
  expect(result.rows).toHaveLength(ROWS);
  result.rows.forEach((row, i) => {
    expect(row._line).toBe(String(i));
    expect(row.label).toBe(labelOf(i));
    // toBe on the whole 100 KB string would print it; compare, then report the line only.
    if (row.label_json !== payloadOf(i)) expect.fail(`label_json of line ${i} differs from what was stored`);
  });
};

const profile = async () => {
  const octets = Array.from({ length: ROWS }, (_, i) => Buffer.byteLength(payloadOf(i))).reduce(
    (a, b) => a + b,
  );
  const stats = await pool.query<{ n: string; octets: string; max_length: number; distinct_labels: string }>(
    `SELECT count(*)::text AS n, sum(octet_length(label_json))::text AS octets,
            max(length(label_json)) AS max_length, count(DISTINCT label)::text AS distinct_labels
     FROM labels_v1`,
  );
  expect(stats.rows[0]).toEqual({
    n: String(ROWS),
    octets: String(octets),
    // length() counts code points; a JS string's length counts UTF-16 units (two per emoji).
    max_length: Math.max(...Array.from({ length: ROWS }, (_, i) => [...payloadOf(i)].length)),
    distinct_labels: "7",
  });
  const top = await pool.query<{ value: string; n: string }>(
    "SELECT label AS value, count(*)::text AS n FROM labels_v1 GROUP BY label ORDER BY count(*) DESC, label LIMIT 3",
  );
  expect(top.rows.map((row) => row.value)).toEqual([labelOf(0), labelOf(1), labelOf(2)]);
  // string_agg returns one ~10 MB value in one DataRow.
  const all = await pool.query<{ joined: string }>(
    "SELECT string_agg(label_json, E'\\n' ORDER BY _line) AS joined FROM labels_v1",
  );
  const expected = Array.from({ length: ROWS }, (_, i) => payloadOf(i)).join("\n");
  const digest = (text: string) => createHash("sha256").update(text).digest("hex");
  expect(digest(all.rows[0]?.joined ?? "")).toBe(digest(expected));
};

/** Small metadata-like queries, as the API and the job runner send between the profiler's reads. */
const chatter = async (worker: number) => {
  for (let i = 0; i < 30; i++) {
    const result = await pool.query<{ n: number; s: string }>(
      "SELECT $1::int + $2::int AS n, $3::text AS s",
      [worker, i, `ça va ${worker} 🙂`],
    );
    expect(result.rows[0]).toEqual({ n: worker + i, s: `ça va ${worker} 🙂` });
  }
};

/** A client that sends a large read and vanishes: once its reply starts arriving, or before it runs. */
const vanish = async (when: "mid-reply" | "queued") => {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  const socket = client.connection.stream;
  const reading = client.query("SELECT label_json FROM labels_v1 ORDER BY _line").catch(() => undefined);
  if (when === "mid-reply") socket.once("data", () => socket.destroy());
  else setImmediate(() => socket.destroy());
  await reading;
};

describe("wire server, large multibyte results", () => {
  it("delivers every large read byte for byte to concurrent clients while others vanish", async () => {
    await Promise.all([
      readAll(),
      profile(),
      readAll(),
      chatter(1),
      vanish("mid-reply"),
      readAll(),
      chatter(2),
      vanish("queued"),
      profile(),
    ]);
    // Nothing is left stalled or half-written: a further full read is still exact.
    await readAll();
    expect(idleErrors).toEqual([]);
  });
});
