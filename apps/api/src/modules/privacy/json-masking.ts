import { AppError } from "../../errors/app-error.ts";
import type { TVersionMasker } from "./pii-masking.service.ts";

const MAX_DEPTH = 20;
const NONE: ReadonlySet<string> = new Set();

const toText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * Masks a JSON value for a caller without pii:read: a field named like a tagged column is masked in that
 * column's mode (whatever its nesting), every other string has its checkable PII (emails, phones, cards,
 * IBANs, IPs) redacted. Used for task payloads, quality samples and observed values. Top-level fields in
 * `visible` (a label project's visiblePayloadFields) pass unmasked.
 */
export const maskJson = (
  value: unknown,
  masker: TVersionMasker,
  depth = 0,
  visible: ReadonlySet<string> = NONE,
): unknown => {
  if (depth > MAX_DEPTH) return "[redacted]";
  if (typeof value === "string") return masker.text(value);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, masker, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (depth === 0 && visible.has(key)) out[key] = v;
      else
        out[key] =
          masker.columns.has(key) && v !== null && v !== undefined
            ? masker.cell(key, toText(v))
            : maskJson(v, masker, depth + 1);
    }
    return out;
  }
  return value;
};

/**
 * Failing-row samples cut to the columns the rule checks (the quality package owns which those are; a
 * rule that no longer parses, or reads no column, keeps only `_line`), then masked.
 */
export const maskQualitySamples = (
  samples: unknown,
  ruleColumns: readonly string[],
  masker: TVersionMasker,
): unknown => {
  if (!Array.isArray(samples)) return maskJson(samples, masker);
  const keep = new Set(["_line", ...ruleColumns]);
  return samples.map((row) => {
    if (row === null || typeof row !== "object") return maskJson(row, masker);
    const cut = Object.fromEntries(Object.entries(row).filter(([k]) => keep.has(k)));
    return maskJson(cut, masker);
  });
};

/**
 * A data-plane row for a caller without pii:read: tagged columns masked in their mode, the JSON text
 * columns named (e.g. a labels export's `payload`) parsed and masked field by field, other text scanned.
 */
export const maskRecord = <T extends Record<string, unknown>>(
  row: T,
  masker: TVersionMasker,
  jsonColumns: readonly string[] = [],
): T => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = value;
    else if (masker.columns.has(key)) out[key] = masker.cell(key, toText(value));
    else if (jsonColumns.includes(key) && typeof value === "string") {
      try {
        out[key] = JSON.stringify(maskJson(JSON.parse(value), masker));
      } catch {
        out[key] = masker.text(value);
      }
    } else out[key] = typeof value === "string" ? masker.text(value) : value;
  }
  return out as T;
};

/**
 * One row of a version as text cells (previews, CSV downloads) for a caller without pii:read: tagged
 * columns masked in their mode, other text scanned for PII with a checkable shape.
 */
export const maskCells = (
  cells: readonly (string | null)[],
  columnNames: readonly string[],
  masker: TVersionMasker,
): (string | null)[] =>
  cells.map((cell, i) => {
    if (cell === null) return null;
    const name = columnNames[i] ?? "";
    return masker.columns.has(name) ? masker.cell(name, cell) : masker.text(cell);
  });

/**
 * Refuses to filter or sort a preview on a tagged column for a caller who sees it masked: a filter would
 * let them probe the hidden values one guess at a time, a sort would leak their order.
 */
export const assertNotProbingMasked = (
  masker: TVersionMasker,
  args: { sortBy?: string | null; filterColumn?: string | null; filter?: string | null },
): void => {
  for (const [field, column] of [
    ["sortBy", args.sortBy],
    ["filterColumn", args.filter ? args.filterColumn : null],
  ] as const) {
    if (column && masker.columns.has(column)) {
      throw new AppError(
        "FORBIDDEN",
        `${field}: "${column}" holds personal data you see masked (pii:read is needed to sort or filter on it)`,
        { field, permission: "pii:read" },
      );
    }
  }
};
