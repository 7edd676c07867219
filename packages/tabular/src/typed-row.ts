import type { TCell, TDataColumn } from "@dam/db/data-plane";
import { parseCell } from "./type-inference.ts";

export type TReject = { file: string; line: number; column: string | null; reason: string; raw: string };

/** A row's fields parsed into its columns' types, or the reason it is rejected (ragged, wrong type). */
export const toTypedRow = (
  fields: string[],
  columns: (TDataColumn & { source: string })[],
  file: string,
  line: number,
): { cells: TCell[] } | { reject: TReject } => {
  const raw = fields.join(",").slice(0, 2000);
  if (fields.length !== columns.length) {
    return {
      reject: {
        file,
        line,
        column: null,
        raw,
        reason: `expected ${columns.length} fields, found ${fields.length}`,
      },
    };
  }
  const cells: TCell[] = [];
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const parsed = parseCell(column.type, fields[i]);
    if (!parsed.ok) return { reject: { file, line, column: column.source, raw, reason: parsed.reason } };
    cells.push(parsed.value);
  }
  return { cells };
};

// PostgreSQL text cannot hold NUL: a reject quoting a NUL byte (its raw line, a reason quoting the
// value) would otherwise fail the very write that records it. U+2400 SYMBOL FOR NULL shows where it was.
const storable = (text: string): string => text.replaceAll("\u0000", "\u2400");

/** A reject as it can be stored: every text field free of NUL bytes. */
export const toStoredReject = (reject: TReject): TReject => ({
  file: storable(reject.file),
  line: reject.line,
  column: reject.column === null ? null : storable(reject.column),
  reason: storable(reject.reason),
  raw: storable(reject.raw),
});
