import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { MAX_RECORD_BYTES } from "./csv-scanner.ts";

export type TJsonlRecord =
  | { line: number; value: Record<string, unknown> }
  | { line: number; error: string; raw: string };

export type TJsonlReader = {
  records: AsyncIterable<TJsonlRecord>;
  bytesRead: () => number;
  totalBytes: number;
  close: () => void;
};

export type TJsonlOptions = {
  encoding?: "utf8" | "latin1";
  /** UTF-8 only: a line holding bytes that are not UTF-8 is rejected instead of read with U+FFFD. */
  strictUtf8?: boolean;
};

/**
 * Deepest nesting of arrays and objects a line may have. Real records nest a few levels; the limit
 * keeps recursive code downstream (JSON.stringify of a nested value into its cell) within the stack.
 */
export const MAX_JSON_DEPTH = 64;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Nesting depth of a JSON text, read on bytes outside strings, stopping as soon as it passes `limit`
 * (so a hostile line costs one linear pass and no recursion). Malformed JSON is JSON.parse's to report.
 */
export const jsonDepthExceeds = (bytes: Buffer, limit: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }
  return false;
};

/**
 * Streams a JSON Lines file (optionally gzip): one object per line; blank lines are skipped. Lines are
 * cut on bytes, so each is judged alone: bad JSON, a non-object, nesting deeper than MAX_JSON_DEPTH,
 * invalid UTF-8 in strict mode or a line over MAX_RECORD_BYTES rejects that line and no other.
 */
export const openJsonl = async (path: string, options: TJsonlOptions = {}): Promise<TJsonlReader> => {
  const encoding = options.encoding ?? "utf8";
  const strict = options.strictUtf8 === true && encoding === "utf8";
  const { size } = await stat(path);
  const file = createReadStream(path);
  let bytes = 0;
  file.on("data", (chunk) => {
    bytes += chunk.length;
  });
  let decoded: Readable = file;
  if (path.endsWith(".gz")) {
    const gunzip = createGunzip();
    file.on("error", (error) => gunzip.destroy(error));
    decoded = file.pipe(gunzip);
  }

  const readLine = (line: number, raw: Buffer): TJsonlRecord | null => {
    const end = raw.length > 0 && raw[raw.length - 1] === CR ? raw.length - 1 : raw.length;
    const body = raw.subarray(0, end);
    const text = () => body.toString(encoding, 0, Math.min(body.length, 2000));
    if (strict && !isUtf8(body)) {
      return {
        line,
        error: "not valid UTF-8 (strict mode): the line holds bytes that are not UTF-8",
        raw: text(),
      };
    }
    const value = body.toString(encoding);
    if (value.trim() === "") return null;
    if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      return { line, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, raw: text() };
    }
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return { line, error: "not a JSON object", raw: text() };
      }
      return { line, value: parsed as Record<string, unknown> };
    } catch (error) {
      return { line, error: `invalid JSON: ${(error as Error).message}`, raw: text() };
    }
  };

  async function* records(): AsyncGenerator<TJsonlRecord> {
    let line = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    // A line longer than the limit is skipped to its end and reported once.
    let overlong = false;
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      let from = 0;
      for (;;) {
        const newline = chunk.indexOf(LF, from);
        if (newline === -1) {
          if (!overlong) {
            pending.push(chunk.subarray(from));
            pendingBytes += chunk.length - from;
            if (pendingBytes > MAX_RECORD_BYTES) {
              overlong = true;
              pending = [];
              pendingBytes = 0;
            }
          }
          break;
        }
        line += 1;
        if (overlong) {
          overlong = false;
          yield {
            line,
            error: `line too long: more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`,
            raw: "",
          };
        } else {
          const piece = chunk.subarray(from, newline);
          const raw = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
          pending = [];
          pendingBytes = 0;
          const record = readLine(line, raw);
          if (record) yield record;
        }
        from = newline + 1;
      }
    }
    if (overlong) {
      yield {
        line: line + 1,
        error: `line too long: more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`,
        raw: "",
      };
    } else if (pendingBytes > 0) {
      const record = readLine(line + 1, Buffer.concat(pending));
      if (record) yield record;
    }
  }
  return {
    records: records(),
    bytesRead: () => bytes,
    totalBytes: size,
    close: () => {
      file.destroy();
      decoded.destroy();
    },
  };
};

/** A JSON value as the text the type inference and cell parser read (nested values stay JSON). */
export const jsonCellText = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
};
