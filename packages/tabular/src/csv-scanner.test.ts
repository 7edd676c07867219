import { mulberry32 } from "@dam/vocabulary/prng";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  CsvScanner,
  delimiterByte,
  MAX_RECORD_BYTES,
  recordTexts,
  type TCsvScanOptions,
} from "./csv-scanner.ts";

type TScanned = { rows: { line: number; fields: string[] }[]; bad: { line: number; reason: string }[] };

/** Scans `input` fed in the given chunks. */
const scanChunks = (chunks: Buffer[], options: TCsvScanOptions = {}): TScanned => {
  const result: TScanned = { rows: [], bad: [] };
  const scanner: CsvScanner = new CsvScanner(
    {
      record: (buf, count, line) => {
        result.rows.push({ line, fields: recordTexts(scanner, buf, count, options.encoding ?? "utf8") });
      },
      bad: (line, reason) => {
        result.bad.push({ line, reason });
      },
    },
    options,
  );
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return result;
};

const scan = (input: string | Buffer, options: TCsvScanOptions = {}): TScanned =>
  scanChunks([typeof input === "string" ? Buffer.from(input) : input], options);

const fields = (input: string, options: TCsvScanOptions = {}) =>
  scan(input, options).rows.map((row) => row.fields);

const seeded = mulberry32;

describe("CsvScanner: RFC 4180", () => {
  it("splits plain fields and records, keeping empty fields", () => {
    expect(fields("a,b,c\n1,,3\n,,\n")).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
      ["", "", ""],
    ]);
  });

  it("reads quoted fields with delimiters, doubled quotes and line breaks", () => {
    expect(fields('1,"Mug, blue","say ""hi""","two\nlines","",x\n')).toEqual([
      ["1", "Mug, blue", 'say "hi"', "two\nlines", "", "x"],
    ]);
  });

  it("accepts CRLF, LF and lone CR line ends, and a last line without one", () => {
    expect(fields("a,b\r\n1,2\r\n3,4")).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(fields("a,b\r1,2\r")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fields('a,"x\r\ny"\r\n')).toEqual([["a", "x\r\ny"]]);
  });

  it("skips empty lines but counts them, and numbers each record by its last line", () => {
    const { rows } = scan('h1,h2\n\n1,"a\nb"\r\n\r\n2,c\n');
    expect(rows.map((row) => row.line)).toEqual([1, 4, 6]);
  });

  it("keeps a record of one quoted empty field (it is not an empty line)", () => {
    expect(fields('a\n""\nb\n')).toEqual([["a"], [""], ["b"]]);
  });

  it("drops a UTF-8 byte order mark at the start only", () => {
    expect(fields("\uFEFFid,name\n1,\uFEFFx\n")).toEqual([
      ["id", "name"],
      ["1", "\uFEFFx"],
    ]);
  });

  it("uses any one-byte delimiter", () => {
    expect(fields('a;b;"c;d"\n', { delimiter: ";" })).toEqual([["a", "b", "c;d"]]);
    expect(fields("a\tb,c\t\n", { delimiter: "\t" })).toEqual([["a", "b,c", ""]]);
    expect(fields("a|b\n", { delimiter: "|" })).toEqual([["a", "b"]]);
    expect(() => delimiterByte('"', "utf8")).toThrow(/cannot be used/);
    expect(() => delimiterByte("§", "utf8")).toThrow(/ASCII/);
    expect(delimiterByte("§", "latin1")).toBe(0xa7);
  });

  it("decodes Latin-1 bytes as Latin-1, and UTF-8 as UTF-8", () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x22, 0xfc, 0x22, 0x0a]); // café,"ü"
    expect(scan(latin1, { encoding: "latin1" }).rows[0]?.fields).toEqual(["café", "ü"]);
    expect(fields("café,€\n")).toEqual([["café", "€"]]);
  });
});

describe("CsvScanner: broken input", () => {
  it("reports a quote that neither closes nor doubles, drops that record and keeps the rest", () => {
    const result = scan('a,b\n1,"Bad "quote" here"\n2,ok\n');
    expect(result.rows.map((row) => row.fields)).toEqual([
      ["a", "b"],
      ["2", "ok"],
    ]);
    expect(result.bad).toEqual([
      { line: 2, reason: expect.stringMatching(/Invalid closing quote on line 2/) },
    ]);
  });

  it("reports a quote inside an unquoted field", () => {
    const result = scan('1,ab"c\n2,d\n');
    expect(result.rows.map((row) => row.fields)).toEqual([["2", "d"]]);
    expect(result.bad).toEqual([
      { line: 1, reason: expect.stringMatching(/Invalid opening quote on line 1: .*field 2/) },
    ]);
  });

  it("reports a quote that is never closed at its line and reads on from the next line", () => {
    const result = scan('1,x\n2,"never closed\n3,y\n4,z\n');
    expect(result.rows).toEqual([
      { line: 1, fields: ["1", "x"] },
      { line: 3, fields: ["3", "y"] },
      { line: 4, fields: ["4", "z"] },
    ]);
    expect(result.bad).toEqual([{ line: 2, reason: expect.stringMatching(/Quote not closed: .* line 2/) }]);
  });

  it("cuts a runaway quoted record at the size limit and resumes on its next line", () => {
    const filler = "y".repeat(1024 * 1024);
    const body = Array.from({ length: MAX_RECORD_BYTES / filler.length + 1 }, () => filler).join("\n");
    const input = `1,ok\n2,"runaway\n${body}\n`;
    const chunks: Buffer[] = [];
    const bytes = Buffer.from(input);
    for (let at = 0; at < bytes.length; at += 65_536) chunks.push(bytes.subarray(at, at + 65_536));
    const result = scanChunks(chunks);
    expect(result.bad[0]).toEqual({ line: 2, reason: expect.stringMatching(/Record too long/) });
    expect(result.rows[0]).toEqual({ line: 1, fields: ["1", "ok"] });
    // After the cut, the filler lines are read as records of one field each.
    expect(result.rows[1]).toEqual({ line: 3, fields: [filler] });
  });
});

describe("CsvScanner: chunk boundaries", () => {
  const tricky =
    '\uFEFFid,"na,me",note\r\n1,"a ""quoted""\r\nvalue",\r\n\n2,plain,"x"\r3,"",""""\n4,é€,"multi\n\nline"\n5,"Bad "q",z\n6,last,"end"';

  it("gives the same records and lines wherever the input is cut in two", () => {
    const whole = scan(tricky);
    expect(whole.rows.length).toBe(6);
    expect(whole.bad.length).toBe(1);
    const bytes = Buffer.from(tricky);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(scanChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it("gives the same records fed one byte at a time", () => {
    const bytes = Buffer.from(tricky);
    const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(scanChunks(single)).toEqual(scan(tricky));
  });

  it("agrees with csv-parse on seeded random CSV cut at random points", () => {
    const random = seeded(42);
    const alphabet = ["a", "b", ",", '"', "\n", "\r\n", " ", "é", "7", ".", "\t"];
    for (let round = 0; round < 200; round++) {
      const rows: string[][] = [];
      const width = 1 + Math.floor(random() * 5);
      for (let r = 0; r < 1 + Math.floor(random() * 20); r++) {
        rows.push(
          Array.from({ length: width }, () => {
            let value = "";
            for (let k = Math.floor(random() * 8); k > 0; k--) {
              value += alphabet[Math.floor(random() * alphabet.length)];
            }
            return value;
          }),
        );
      }
      const text = rows
        .map((row) =>
          row
            .map((value) =>
              /[",\r\n]/.test(value) || random() < 0.2 ? `"${value.replaceAll('"', '""')}"` : value,
            )
            .join(","),
        )
        .join(random() < 0.5 ? "\n" : "\r\n");
      const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      const bytes = Buffer.from(text);
      const cuts = [0, Math.floor(random() * bytes.length), bytes.length].sort((x, y) => x - y);
      const chunks = [bytes.subarray(0, cuts[1]), bytes.subarray(cuts[1], cuts[2])];
      const got = scanChunks(chunks);
      expect(got.bad).toEqual([]);
      expect(got.rows.map((row) => row.fields)).toEqual(expected);
    }
  });
});
