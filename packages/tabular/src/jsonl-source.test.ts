import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonDepthExceeds, MAX_JSON_DEPTH, openJsonl, type TJsonlRecord } from "./jsonl-source.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-jsonl-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readAll = async (content: Buffer | string, strictUtf8 = false): Promise<TJsonlRecord[]> => {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, content);
  const reader = await openJsonl(file, { strictUtf8 });
  const records: TJsonlRecord[] = [];
  for await (const record of reader.records) records.push(record);
  reader.close();
  return records;
};

describe("jsonDepthExceeds", () => {
  it("counts nesting outside strings only, and stops at the limit", () => {
    expect(jsonDepthExceeds(Buffer.from('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":"[[[[\\"[[[["}'), 1)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(`${"[".repeat(200_000)}${"]".repeat(200_000)}`), 64)).toBe(true);
  });
});

describe("openJsonl", () => {
  it("rejects each bad line alone with its line and reason, and reads every other line", async () => {
    const deep = `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}`;
    const records = await readAll(
      ['{"id":1}', deep, '{"id":3', "", '"text"', '{"id":6,"s":"a\\u0000b"}', '{"id":7}'].join("\n"),
    );
    expect(records.map((record) => ("value" in record ? record.value.id : record.error))).toEqual([
      1,
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      expect.stringMatching(/^invalid JSON: /),
      "not a JSON object",
      6,
      7,
    ]);
    expect(records.map((record) => record.line)).toEqual([1, 2, 3, 5, 6, 7]);
    // The NUL is read as it is; the cell parser rejects that row with its column.
    expect(records[4]).toMatchObject({ value: { s: "a\u0000b" } });
  });

  it("in strict mode rejects a line that is not UTF-8; otherwise reads it with U+FFFD", async () => {
    const content = Buffer.concat([
      Buffer.from('{"id":1,"t":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\r\n{"id":2,"t":"ok"}\r\n'),
    ]);
    const loose = await readAll(content);
    expect(loose).toEqual([
      { line: 1, value: { id: 1, t: "caf\uFFFD" } },
      { line: 2, value: { id: 2, t: "ok" } },
    ]);
    const strict = await readAll(content, true);
    expect(strict[0]).toMatchObject({
      line: 1,
      error: expect.stringMatching(/^not valid UTF-8 \(strict mode\)/),
    });
    expect(strict[1]).toEqual({ line: 2, value: { id: 2, t: "ok" } });
  });

  it("reads a last line without a line break", async () => {
    expect(await readAll('{"id":1}\n{"id":2}')).toEqual([
      { line: 1, value: { id: 1 } },
      { line: 2, value: { id: 2 } },
    ]);
  });
});
