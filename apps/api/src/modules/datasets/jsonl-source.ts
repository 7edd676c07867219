import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export type TJsonlRecord =
  | { line: number; value: Record<string, unknown> }
  | { line: number; error: string; raw: string };

export type TJsonlReader = {
  records: AsyncIterable<TJsonlRecord>;
  bytesRead: () => number;
  totalBytes: number;
  close: () => void;
};

/** Streams a JSON Lines file (optionally gzip): one object per line; blank lines are skipped. */
export const openJsonl = async (
  path: string,
  encoding: "utf8" | "latin1" = "utf8",
): Promise<TJsonlReader> => {
  const { size } = await stat(path);
  const file = createReadStream(path);
  let bytes = 0;
  file.on("data", (chunk) => {
    bytes += chunk.length;
  });
  const decoded: Readable = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  decoded.setEncoding(encoding);
  const lines = createInterface({ input: decoded, crlfDelay: Number.POSITIVE_INFINITY });

  async function* records(): AsyncGenerator<TJsonlRecord> {
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === "") continue;
      try {
        const value: unknown = JSON.parse(text);
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          yield { line, error: "not a JSON object", raw: text.slice(0, 2000) };
        } else yield { line, value: value as Record<string, unknown> };
      } catch (error) {
        yield { line, error: `invalid JSON: ${(error as Error).message}`, raw: text.slice(0, 2000) };
      }
    }
  }
  return {
    records: records(),
    bytesRead: () => bytes,
    totalBytes: size,
    close: () => {
      lines.close();
      file.destroy();
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
