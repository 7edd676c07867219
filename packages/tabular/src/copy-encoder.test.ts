import type { TColumnType } from "@dam/vocabulary/column-types";
import { describe, expect, it } from "vitest";
import { CopyRowEncoder } from "./copy-encoder.ts";
import { CsvScanner } from "./csv-scanner.ts";
import { parseCell } from "./type-inference.ts";

/** Encodes each CSV line of `input` as a COPY row; a rejected row is `null`. */
const encode = (
  types: TColumnType[],
  input: string | Buffer,
  encoding: "utf8" | "latin1" = "utf8",
  strictUtf8 = false,
) => {
  const encoder = new CopyRowEncoder(types, encoding, strictUtf8);
  const rows: (string | null)[] = [];
  const scanner: CsvScanner = new CsvScanner(
    {
      record: (buf, count, line) => {
        const before = encoder.size;
        const ok = encoder.encode(scanner, buf, count, line);
        if (!ok) expect(encoder.size).toBe(before);
        rows.push(ok ? "" : null);
      },
      bad: () => rows.push(null),
    },
    { encoding },
  );
  scanner.push(typeof input === "string" ? Buffer.from(input) : input);
  scanner.end();
  const text = encoder.take().toString("utf8").split("\n");
  return rows.map((row) => (row === null ? null : (text.shift() ?? "")));
};

// The string path's COPY text for one cell: what the row loader sends for parseCell's value.
const stringPath = (type: TColumnType, raw: string): string | null => {
  const parsed = parseCell(type, raw);
  if (!parsed.ok) return null;
  const value = parsed.value;
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
};

// What PostgreSQL reads from a COPY cell, to compare the two paths by value rather than by spelling.
const readCell = (type: TColumnType, cell: string): unknown => {
  if (cell === "\\N") return null;
  // bigint has no negative zero.
  if (type === "integer") return Number(cell) + 0;
  if (type === "decimal") return Number(cell);
  if (type === "timestamp") return new Date(cell).toISOString();
  return cell;
};

const quote = (raw: string) => `"${raw.replaceAll('"', '""')}"`;

describe("CopyRowEncoder", () => {
  it("writes the line number (a record's last line), then each cell tab-separated, with COPY escapes", () => {
    expect(encode(["integer", "text", "decimal"], '7,"a\tb\\\\c\nd",4.50\n')).toEqual([
      "2\t7\ta\\tb\\\\\\\\c\\nd\t4.50",
    ]);
  });

  it("writes empty and blank cells as NULL, but keeps blanks in text", () => {
    expect(encode(["integer", "text", "timestamp", "text"], '  ,"",,  \n')).toEqual(["1\t\\N\t\\N\t\\N\t  "]);
  });

  it("rejects ragged rows and cells that do not fit, appending nothing", () => {
    expect(encode(["integer", "decimal"], "1\n1,2,3\nx,2\n1,cheap\n3,4\n")).toEqual([
      null,
      null,
      null,
      null,
      "5\t3\t4",
    ]);
  });

  it("agrees with the string path, by value, on every kind of cell", () => {
    const cells: Record<TColumnType, string[]> = {
      integer: [
        "0",
        "-0",
        "+5",
        "007",
        " 12 ",
        "123456789012345",
        "1234567890123456",
        "1.5",
        "1e3",
        "x",
        "٣",
        "\u00a012",
      ],
      decimal: [
        "4.50",
        "-0",
        "-0.0",
        "+.5",
        "5.",
        ".",
        "1e3",
        "1E-2",
        "1e400",
        "-1.25",
        " 2 ",
        "1.2.3",
        "abc",
        "0.1",
      ],
      timestamp: [
        "2010-12-01T08:26:00",
        "2010-12-01 08:26:00",
        "2010-12-01T08:26:00Z",
        "2010-12-01",
        "2024-02-29T23:59:59",
        "2023-02-29T10:00:00",
        "2021-04-31",
        "2010-12-01T24:00:00",
        "2010-12-01T08:26:00.5Z",
        "2010-12-01T08:26:00+02:00",
        "12/1/2010 8:26",
        "0999-01-01",
        "not a date",
      ],
      boolean: ["yes", "No", "t", "F", " true ", "maybe", "1"],
      text: ["plain", "é€", " padded ", 'quo"te', "back\\slash", "tab\there", "line\r\nend"],
    };
    for (const [type, raws] of Object.entries(cells) as [TColumnType, string[]][]) {
      for (const raw of raws) {
        const [row] = encode([type], `${quote(raw)}\n`);
        const expected = stringPath(type, raw);
        if (expected === null) expect(row, `${type} ${JSON.stringify(raw)}`).toBeNull();
        else {
          expect(row, `${type} ${JSON.stringify(raw)}`).not.toBeNull();
          const cell = (row as string).split("\t")[1] as string;
          expect(readCell(type, cell), `${type} ${JSON.stringify(raw)}`).toEqual(readCell(type, expected));
        }
      }
    }
  });

  it("transcodes Latin-1 text to UTF-8 and replaces invalid UTF-8 bytes", () => {
    expect(encode(["text"], Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), "latin1")).toEqual(["1\tcafé"]);
    expect(encode(["text"], Buffer.from([0x61, 0xff, 0x62, 0x0a]))).toEqual(["1\ta\ufffdb"]);
  });

  it("grows its buffer for rows longer than a chunk", () => {
    const long = "z".repeat(5 * 1024 * 1024);
    expect(encode(["text", "integer"], `${long},1\n`)).toEqual([`1\t${long}\t1`]);
  });
});

describe("cells PostgreSQL cannot store", () => {
  it("hands a row with a NUL byte in any cell to the string path, which rejects it", () => {
    expect(encode(["integer", "text"], "1,a\u0000b\n2,ok\n")).toEqual([null, "2\t2\tok"]);
    expect(encode(["integer", "integer"], "1,4\u00002\n")).toEqual([null]);
    expect(parseCell("text", "a\u0000b")).toEqual({
      ok: false,
      reason: "NUL byte (0x00) in the value: PostgreSQL cannot store it",
    });
  });

  it("loads invalid UTF-8 as U+FFFD, or does not encode the row in strict mode", () => {
    const input = Buffer.concat([Buffer.from("1,caf"), Buffer.from([0xe9]), Buffer.from("\n2,ok\n")]);
    expect(encode(["integer", "text"], input)).toEqual(["1\t1\tcaf\uFFFD", "2\t2\tok"]);
    expect(encode(["integer", "text"], input, "utf8", true)).toEqual([null, "2\t2\tok"]);
    // Latin-1 has no invalid bytes: strict mode does not apply.
    expect(encode(["integer", "text"], input, "latin1", true)).toEqual(["1\t1\tcafé", "2\t2\tok"]);
  });
});
