import { stat } from "node:fs/promises";
import path from "node:path";
import { LINE_COLUMN } from "@dam/db/data-plane";
import { CopyRowEncoder } from "@dam/tabular/copy-encoder";
import { CsvScanner, recordTexts } from "@dam/tabular/csv-scanner";
import { findInvalidUtf8Field, INVALID_UTF8_REASON, openBytes } from "@dam/tabular/csv-source";
import type { TSourceOptions } from "@dam/tabular/record-source";
import { type TReject, toStoredReject, toTypedRow } from "@dam/tabular/typed-row";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { insertRejectedRows, openVersionCopy } from "./ingest.repository.ts";
import type { TSchemaColumn } from "./ingest.service.ts";

// Input bytes between two cancel checks and progress reports (each costs a database round trip).
const CHECK_EVERY_BYTES = 1024 * 1024;
const SEND_AT_BYTES = 256 * 1024;
const REJECTS_PER_WRITE = 1_000;
// Two COPY statements: the server's parsing (its share of the work) runs on two cores.
const COPY_STREAMS = 2;

export type TCopyLoadResult = {
  loaded: number;
  rejected: number;
  files: { name: string; lineOffset: number }[];
};

type TCopyLoadInput = {
  versionId: string;
  table: string;
  source: TSourceOptions;
  header: string[];
  columns: TSchemaColumn[];
};

/**
 * The hot path of a CSV import into PostgreSQL: the files' bytes are scanned and turned into COPY text
 * rows without building a JavaScript row, and streamed into COPY statements on their own connections,
 * honouring their backpressure. Memory stays flat: a chunk of input and about a megabyte of output in flight. Rows
 * that do not fit are rejected on the string path, with the same reasons as any other loader.
 */
export const copyCsvFiles = async (
  deps: TDeps,
  input: TCopyLoadInput,
  ctx: TJobContext,
): Promise<TCopyLoadResult> => {
  const { source, columns, header, versionId } = input;
  const encoding = source.encoding ?? "utf8";
  const strict = source.strictUtf8 === true && encoding === "utf8";
  const encoder = new CopyRowEncoder(
    columns.map((column) => column.type),
    encoding,
    strict,
  );
  const sizes = await Promise.all(source.paths.map(async (file) => (await stat(file)).size));
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);

  const files: { name: string; lineOffset: number }[] = [];
  let lastLineInFile = 0;
  let loaded = 0;
  let rejected = 0;
  let rejects: TReject[] = [];
  let done = 0;

  const copy = await openVersionCopy(
    deps.pool,
    input.table,
    [LINE_COLUMN, ...columns.map((column) => column.name)],
    // Never more streams than the pool has connections (a small pool would wait on itself).
    Math.min(COPY_STREAMS, deps.env.DAM_DB_POOL_MAX),
  );
  let finished = false;
  try {
    const send = copy.send;
    const saveRejects = async () => {
      if (rejects.length === 0) return;
      const batch = rejects;
      rejects = [];
      await insertRejectedRows(deps.db, versionId, batch.map(toStoredReject));
      rejected += batch.length;
    };

    for (const [index, file] of source.paths.entries()) {
      const name = path.basename(file);
      const bytes = await openBytes(file);
      let expectHeader = source.header !== false;
      let headerError: Error | null = null;
      // `_line` is the line in the concatenation of the files; each file's offset is kept in the
      // version's source to map it back to (file, line).
      let lineOffset = 0;
      let seen = false;
      const see = (line: number) => {
        if (!seen) {
          seen = true;
          const previous = files[files.length - 1];
          lineOffset = (previous?.lineOffset ?? 0) + (previous ? lastLineInFile : 0);
          files.push({ name, lineOffset });
          lastLineInFile = 0;
        }
        if (line > lastLineInFile) lastLineInFile = line;
      };
      const scanner: CsvScanner = new CsvScanner(
        {
          record: (buf, count, line) => {
            if (expectHeader) {
              expectHeader = false;
              const fields = recordTexts(scanner, buf, count, encoding);
              if (fields.join("\u0000") !== header.join("\u0000")) {
                headerError ??= new Error(
                  `${name}: header [${fields.join(", ")}] differs from the first file's [${header.join(", ")}]`,
                );
              }
              return;
            }
            see(line);
            if (encoder.encode(scanner, buf, count, lineOffset + line)) {
              loaded++;
              return;
            }
            const texts = recordTexts(scanner, buf, count, encoding);
            const invalid =
              strict && count === columns.length ? findInvalidUtf8Field(scanner, buf, count) : -1;
            if (invalid >= 0) {
              rejects.push({
                file: name,
                line,
                column: columns[invalid]?.source ?? null,
                reason: INVALID_UTF8_REASON,
                raw: texts.join(",").slice(0, 2000),
              });
              return;
            }
            const typed = toTypedRow(texts, columns, name, line);
            if ("reject" in typed) rejects.push(typed.reject);
            else throw new Error(`${name}, line ${line}: the byte and string paths disagree on this row`);
          },
          bad: (line, reason, raw) => {
            if (expectHeader) expectHeader = false;
            see(line);
            rejects.push({ file: name, line, column: null, reason, raw });
          },
        },
        source,
      );
      let checked = 0;
      try {
        for await (const chunk of bytes.chunks) {
          scanner.push(chunk as Buffer);
          if (headerError) throw headerError;
          if (encoder.size >= SEND_AT_BYTES) await send(encoder.take());
          if (rejects.length >= REJECTS_PER_WRITE) await saveRejects();
          const read = bytes.bytesRead();
          if (read - checked >= CHECK_EVERY_BYTES) {
            checked = read;
            await ctx.checkpoint();
            await ctx.progress(
              ((done + read) / Math.max(1, totalBytes)) * 99,
              `${loaded.toLocaleString("en")} rows loaded, ${rejected + rejects.length} rejected`,
            );
          }
        }
        scanner.end();
        if (headerError) throw headerError;
      } finally {
        bytes.close();
      }
      done += sizes[index] ?? 0;
    }
    await send(encoder.take());
    await saveRejects();
    await copy.finish();
    finished = true;
    return { loaded, rejected, files };
  } finally {
    if (!finished) copy.abort();
  }
};
