import type { EventRow, ProductRow, UserRow } from "./types.ts";

// RFC 4180: CRLF line ends, fields containing comma, quote, CR or LF are quoted,
// quotes inside are doubled. null is written as an empty field.

export const PRODUCT_COLUMNS = [
  "item_id",
  "title",
  "description",
  "category",
  "subcategory",
  "brand",
  "colour",
  "material",
  "size",
  "price",
  "currency",
  "image_url",
  "created_at",
] as const satisfies readonly (keyof ProductRow)[];

export const USER_COLUMNS = [
  "user_id",
  "country",
  "signup_date",
] as const satisfies readonly (keyof UserRow)[];

export const EVENT_COLUMNS = [
  "event_id",
  "user_id",
  "item_id",
  "event_type",
  "timestamp",
  "session_id",
  "quantity",
  "price",
] as const satisfies readonly (keyof EventRow)[];

// Compile-time guard: adding a row field without a CSV column fails the typecheck.
type Missing<Row, Cols extends readonly (keyof Row)[]> = Exclude<keyof Row, Cols[number]>;
const allColumns: [
  Missing<ProductRow, typeof PRODUCT_COLUMNS>,
  Missing<UserRow, typeof USER_COLUMNS>,
  Missing<EventRow, typeof EVENT_COLUMNS>,
] extends [never, never, never]
  ? true
  : false = true;
void allColumns;

export const CSV_EOL = "\r\n";

export type CsvValue = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue, column = ""): string {
  if (value === null) return "";
  // Money always with two decimals so "12.5" never appears next to "12.50".
  if (typeof value === "number") return column === "price" ? value.toFixed(2) : String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine<Row>(row: Row, columns: readonly (keyof Row & string)[]): string {
  return columns.map((c) => csvField(row[c] as CsvValue, c)).join(",") + CSV_EOL;
}

/** The whole file as chunks of `chunkRows` lines, header first; feeds a stream without one giant string. */
export function* csvChunks<Row>(
  rows: Iterable<Row>,
  columns: readonly (keyof Row & string)[],
  chunkRows = 2000,
): Generator<string> {
  yield columns.join(",") + CSV_EOL;
  let lines: string[] = [];
  for (const row of rows) {
    lines.push(csvLine(row, columns));
    if (lines.length >= chunkRows) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}
