import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { type Info, parse } from "csv-parse";

export type TCsvOptions = { delimiter?: string; encoding?: "utf8" | "latin1"; header?: boolean };
export type TCsvRecord = { fields: string[]; line: number };
export type TCsvSkip = { line: number; reason: string; raw: string };

export type TCsvReader = {
  records: AsyncIterable<TCsvRecord>;
  /** Bytes of the file read so far: progress for compressed files too. */
  bytesRead: () => number;
  totalBytes: number;
  skipped: TCsvSkip[];
  close: () => void;
};

/**
 * Streams a CSV file (optionally gzip-compressed) record by record. Records the parser cannot read
 * (bad quoting) are collected in `skipped` with their line instead of ending the stream, so one broken
 * row never loses the rest of the file.
 */
export const openCsv = async (path: string, options: TCsvOptions = {}): Promise<TCsvReader> => {
  const { size } = await stat(path);
  const file = createReadStream(path);
  let bytes = 0;
  file.on("data", (chunk) => {
    bytes += chunk.length;
  });
  const decoded: Readable = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  const skipped: TCsvSkip[] = [];
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    encoding: options.encoding ?? "utf8",
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  // The parser can report one broken record several times (once per bad quote); keep the first.
  let lastSkippedLine = -1;
  parser.on("skip", (error: Error & { lines?: number; record?: unknown; raw?: string }) => {
    if (error.lines === lastSkippedLine) return;
    lastSkippedLine = error.lines ?? -1;
    skipped.push({
      line: error.lines ?? 0,
      reason: error.message,
      raw: String(error.raw ?? "").slice(0, 2000),
    });
  });
  decoded.on("error", (error) => parser.destroy(error));
  decoded.pipe(parser);

  async function* records(): AsyncGenerator<TCsvRecord> {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      yield { fields: entry.record, line: entry.info.lines };
    }
  }
  return {
    records: records(),
    bytesRead: () => bytes,
    totalBytes: size,
    skipped,
    close: () => {
      file.destroy();
      parser.destroy();
    },
  };
};
