import { stat } from "node:fs/promises";
import path from "node:path";
import { INVALID_UTF8_REASON, openCsv } from "./csv-source.ts";
import { jsonCellText, openJsonl } from "./jsonl-source.ts";

export type TSourceOptions = {
  paths: string[];
  format: "csv" | "jsonl";
  delimiter?: string;
  encoding?: "utf8" | "latin1";
  /** CSV only: whether the first row of each file names the columns (default true). */
  header?: boolean;
  /** UTF-8 only: a row holding bytes that are not UTF-8 is rejected instead of loaded with U+FFFD. */
  strictUtf8?: boolean;
};

/** One record of the input, or one that could not be read; `line` counts within its own file. */
export type TSourceItem =
  | { kind: "row"; file: string; line: number; fields: string[] }
  | { kind: "reject"; file: string; line: number; reason: string; raw: string; column?: string | null };

export type TRecordSource = {
  header: string[];
  /** Items in file order, a batch at a time (one promise per batch keeps parsing cheap). */
  batches: AsyncIterable<TSourceItem[]>;
  /** Fraction of all input bytes read so far (compressed bytes for .gz). */
  progress: () => number;
  close: () => void;
};

const SAMPLE_FOR_KEYS = 1_000;

/** The header of a source: the first CSV row of the first file, or the union of keys of the first JSONL objects. */
export const readHeader = async (source: TSourceOptions): Promise<string[]> => {
  const first = source.paths[0];
  if (!first) throw new Error("the import names no file");
  if (source.format === "csv") {
    const reader = await openCsv(first, { ...source, limit: 1 });
    try {
      for await (const record of reader.records) {
        // Without a header row, columns are named by position.
        return source.header === false ? record.fields.map((_, index) => `col_${index + 1}`) : record.fields;
      }
    } finally {
      reader.close();
    }
    throw new Error(`${path.basename(first)}: the file is empty (no header row)`);
  }
  const keys = new Set<string>();
  const reader = await openJsonl(first, source);
  let seen = 0;
  try {
    for await (const record of reader.records) {
      // A key PostgreSQL cannot store (NUL) names no column: its rows are rejected as unknown fields.
      if ("value" in record) {
        for (const key of Object.keys(record.value)) if (!key.includes("\u0000")) keys.add(key);
      }
      if (++seen >= SAMPLE_FOR_KEYS) break;
    }
  } finally {
    reader.close();
  }
  if (keys.size === 0) throw new Error(`${path.basename(first)}: no JSON objects found`);
  return [...keys];
};

/**
 * Reads every file of an import in order as one stream of records under one header. Each CSV file
 * must start with the same header (it is checked, then skipped); JSONL objects are laid out by key.
 */
export const openRecordSource = async (source: TSourceOptions): Promise<TRecordSource> => {
  const sizes = await Promise.all(source.paths.map(async (file) => (await stat(file)).size));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const header = await readHeader(source);
  let done = 0;
  let current = 0;
  let closeCurrent: () => void = () => undefined;

  async function* batches(): AsyncGenerator<TSourceItem[]> {
    for (const file of source.paths) {
      const name = path.basename(file);
      if (source.format === "csv") {
        const reader = await openCsv(file, source);
        closeCurrent = reader.close;
        let first = source.header !== false;
        for await (const records of reader.batches) {
          const items: TSourceItem[] = [];
          for (const skip of reader.skipped.splice(0)) items.push({ kind: "reject", file: name, ...skip });
          current = reader.bytesRead();
          for (const record of records) {
            if (first) {
              first = false;
              if (record.fields.join("\u0000") !== header.join("\u0000")) {
                throw new Error(
                  `${name}: header [${record.fields.join(", ")}] differs from the first file's [${header.join(", ")}]`,
                );
              }
              continue;
            }
            if (record.invalidUtf8 !== undefined) {
              items.push({
                kind: "reject",
                file: name,
                line: record.line,
                column: header[record.invalidUtf8] ?? null,
                reason: INVALID_UTF8_REASON,
                raw: record.fields.join(",").slice(0, 2000),
              });
            } else items.push({ kind: "row", file: name, line: record.line, fields: record.fields });
          }
          yield items;
        }
        const skipped = reader.skipped
          .splice(0)
          .map((skip): TSourceItem => ({ kind: "reject", file: name, ...skip }));
        if (skipped.length > 0) yield skipped;
        reader.close();
      } else {
        const reader = await openJsonl(file, source);
        closeCurrent = reader.close;
        let items: TSourceItem[] = [];
        for await (const record of reader.records) {
          current = reader.bytesRead();
          if ("error" in record)
            items.push({
              kind: "reject",
              file: name,
              line: record.line,
              reason: record.error,
              raw: record.raw,
            });
          else {
            const extra = Object.keys(record.value).filter((key) => !header.includes(key));
            if (extra.length > 0) {
              items.push({
                kind: "reject",
                file: name,
                line: record.line,
                reason: `unknown fields: ${extra.join(", ")}`,
                raw: JSON.stringify(record.value).slice(0, 2000),
              });
            } else
              items.push({
                kind: "row",
                file: name,
                line: record.line,
                fields: header.map((key) => jsonCellText(record.value[key])),
              });
          }
          if (items.length >= 1_000) {
            yield items;
            items = [];
          }
        }
        if (items.length > 0) yield items;
        reader.close();
      }
      done += sizes[source.paths.indexOf(file)] ?? 0;
      current = 0;
    }
  }

  return {
    header,
    batches: batches(),
    progress: () => (total > 0 ? Math.min(1, (done + current) / total) : 0),
    close: () => closeCurrent(),
  };
};
