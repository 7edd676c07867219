import type { TVersionMasker } from "./pii-masking.service.ts";

/** Splits one CSV record (RFC 4180 quoting) into its fields, keeping each field's raw text. */
export const splitCsvRecord = (raw: string, delimiter = ","): string[] => {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    if (ch === delimiter && !quoted) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
};

/** Column names of a version's stored schema, in order (the order of a CSV import's header). */
export const versionColumnNames = (schema: unknown): string[] =>
  Array.isArray(schema) ? schema.map((c: { name?: unknown }) => String(c?.name ?? "")) : [];

const unquote = (field: string): string =>
  field.length >= 2 && field.startsWith('"') && field.endsWith('"')
    ? field.slice(1, -1).replaceAll('""', '"')
    : field;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type TRejectLike = { column: string | null; reason: string; raw: string };

/**
 * A rejected row as a caller without pii:read sees it. The raw record's fields are matched to the
 * version's columns by position and the tagged ones masked (a ragged row is masked field by field as far
 * as it goes, and any field past the schema is redacted whole); then whatever PII with a checkable
 * shape is left in the raw text or the reason is redacted too.
 */
export const maskRejectedRow = <T extends TRejectLike>(
  row: T,
  masker: TVersionMasker,
  columns: readonly string[],
): T => {
  if (masker.columns.size === 0)
    return { ...row, raw: masker.text(row.raw), reason: masker.text(row.reason) };
  const fields = splitCsvRecord(row.raw);
  const hidden: string[] = [];
  const masked = fields.map((field, i) => {
    const column = columns[i];
    if (column === undefined) {
      hidden.push(unquote(field));
      return "[redacted]";
    }
    if (!masker.columns.has(column)) return field;
    const value = unquote(field);
    if (value === "") return field;
    hidden.push(value);
    return JSON.stringify(masker.cell(column, value) ?? "");
  });
  let reason = row.reason;
  for (const value of hidden)
    if (value.length > 0) reason = reason.replace(new RegExp(escapeRegExp(value), "g"), "[redacted]");
  return { ...row, raw: masker.text(masked.join(",")), reason: masker.text(reason) };
};
