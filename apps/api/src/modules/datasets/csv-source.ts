import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { type Info, parse } from "csv-parse";

const BATCH_RECORDS = 1_000;

export type TCsvOptions = { delimiter?: string; encoding?: "utf8" | "latin1"; header?: boolean };
export type TCsvRecord = { fields: string[]; line: number };
export type TCsvSkip = { line: number; reason: string; raw: string };

export type TCsvReader = {
  /** Records one by one (convenient, slower); use either this or `batches`, not both. */
  records: AsyncIterable<TCsvRecord>;
  batches: AsyncIterable<TCsvRecord[]>;
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

  let failure: Error | null = null;
  parser.on("error", (error: Error) => {
    failure = error;
  });

  // Batches of records read synchronously from the parser's buffer: one promise per batch instead of
  // one per record (which cost more than parsing), and nothing is read before the consumer asks, so
  // backpressure reaches the file.
  async function* batches(): AsyncGenerator<TCsvRecord[]> {
    for (;;) {
      const batch: TCsvRecord[] = [];
      while (batch.length < BATCH_RECORDS) {
        const entry: { record: string[]; info: Info } | null = parser.read();
        if (entry === null) break;
        batch.push({ fields: entry.record, line: entry.info.lines });
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (parser.readableEnded) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          parser.off("readable", wake);
          parser.off("end", wake);
          parser.off("error", wake);
          resolve();
        };
        parser.on("readable", wake);
        parser.on("end", wake);
        parser.on("error", wake);
      });
    }
  }

  async function* records(): AsyncGenerator<TCsvRecord> {
    for await (const batch of batches()) yield* batch;
  }
  return {
    records: records(),
    batches: batches(),
    bytesRead: () => bytes,
    totalBytes: size,
    skipped,
    close: () => {
      file.destroy();
      parser.destroy();
    },
  };
};
