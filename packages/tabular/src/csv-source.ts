import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { CsvScanner, recordTexts } from "./csv-scanner.ts";

const READ_CHUNK = 256 * 1024;

export type TCsvOptions = {
  delimiter?: string;
  encoding?: "utf8" | "latin1";
  header?: boolean;
  /** Stop after this many records (a header needs one). */
  limit?: number;
  /** UTF-8 only: mark a record holding bytes that are not UTF-8 instead of reading them as U+FFFD. */
  strictUtf8?: boolean;
};
/** `invalidUtf8` (strict mode only): index of the first field whose bytes are not UTF-8. */
export type TCsvRecord = { fields: string[]; line: number; invalidUtf8?: number };
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

export type TByteSource = {
  /** The decoded bytes (gunzipped for .gz), in chunks, read only as fast as they are consumed. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file itself read so far (compressed bytes for .gz). */
  bytesRead: () => number;
  totalBytes: number;
  close: () => void;
};

/** Opens a file as a stream of bytes, gunzipping `.gz`. */
export const openBytes = async (path: string): Promise<TByteSource> => {
  const { size } = await stat(path);
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  let bytes = 0;
  file.on("data", (chunk) => {
    bytes += chunk.length;
  });
  let decoded: Readable = file;
  if (path.endsWith(".gz")) {
    const gunzip = createGunzip({ chunkSize: READ_CHUNK });
    file.on("error", (error) => gunzip.destroy(error));
    decoded = file.pipe(gunzip);
  }
  return {
    chunks: decoded,
    bytesRead: () => bytes,
    totalBytes: size,
    close: () => {
      file.destroy();
      decoded.destroy();
    },
  };
};

/** Index of the first field of the scanner's current record that is not valid UTF-8, or -1. */
export const findInvalidUtf8Field = (scanner: CsvScanner, buf: Buffer, count: number): number => {
  for (let i = 0; i < count; i++) {
    const field = buf.subarray(scanner.starts[i], scanner.ends[i]);
    // ASCII is valid UTF-8; only fields with a high byte need the full check.
    if (field.some((b) => b >= 0x80) && !isUtf8(field)) return i;
  }
  return -1;
};

/** Why a strict-mode row is rejected. */
export const INVALID_UTF8_REASON = "not valid UTF-8 (strict mode): the value holds bytes that are not UTF-8";

/**
 * Streams a CSV file (optionally gzip-compressed) record by record as strings: the cold path (headers,
 * type samples, the embedded database's loader). Records that cannot be read (bad quoting) are
 * collected in `skipped` with their line instead of ending the stream, so one broken row never loses
 * the rest of the file.
 */
export const openCsv = async (path: string, options: TCsvOptions = {}): Promise<TCsvReader> => {
  const encoding = options.encoding ?? "utf8";
  const strict = options.strictUtf8 === true && encoding === "utf8";
  const source = await openBytes(path);
  const skipped: TCsvSkip[] = [];
  let batch: TCsvRecord[] = [];
  let count = 0;
  const scanner = new CsvScanner(
    {
      record: (buf, fields, line) => {
        const invalidUtf8 = strict ? findInvalidUtf8Field(scanner, buf, fields) : -1;
        batch.push({
          fields: recordTexts(scanner, buf, fields, encoding),
          line,
          ...(invalidUtf8 >= 0 ? { invalidUtf8 } : {}),
        });
        if (++count === options.limit) scanner.stop();
      },
      bad: (line, reason, raw) => {
        skipped.push({ line, reason, raw });
      },
    },
    options,
  );

  // One batch per chunk read: one promise per batch instead of one per record, and nothing is read
  // before the consumer asks, so backpressure reaches the file.
  async function* batches(): AsyncGenerator<TCsvRecord[]> {
    for await (const chunk of source.chunks) {
      scanner.push(chunk as Buffer);
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        yield ready;
      }
      if (count === options.limit) return;
    }
    scanner.end();
    if (batch.length > 0) {
      const ready = batch;
      batch = [];
      yield ready;
    }
  }

  async function* records(): AsyncGenerator<TCsvRecord> {
    for await (const ready of batches()) yield* ready;
  }
  return {
    records: records(),
    batches: batches(),
    bytesRead: source.bytesRead,
    totalBytes: source.totalBytes,
    skipped,
    close: source.close,
  };
};
