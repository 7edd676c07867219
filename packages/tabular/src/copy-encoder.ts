// Turns scanned CSV records into PostgreSQL COPY text rows, byte to byte. The common cells (text,
// plain integers and decimals, ISO timestamps) are checked and copied on bytes; anything else takes
// the string path (`parseCell`), so what is loaded or rejected is exactly what the string path says.
import { isUtf8 } from "node:buffer";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { type CsvScanner, FIELD_ESCAPED, fieldText } from "./csv-scanner.ts";
import { parseCell } from "./type-inference.ts";

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const UPPER_T = 0x54;
const UPPER_Z = 0x5a;

const TEXT = 0;
const INTEGER = 1;
const DECIMAL = 2;
const TIMESTAMP = 3;
const OTHER = 4;

const KIND: Record<TColumnType, number> = {
  text: TEXT,
  integer: INTEGER,
  decimal: DECIMAL,
  timestamp: TIMESTAMP,
  boolean: OTHER,
};

// Bytes are output in chunks of about this size (one COPY data message each).
const OUTPUT_CHUNK = 256 * 1024;

const isDigit = (b: number): boolean => b >= ZERO && b <= NINE;
const isSpace = (b: number): boolean => b === SPACE || (b >= TAB && b <= CR);

const MIDNIGHT = Buffer.from("T00:00:00Z", "latin1");
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const twoDigits = (buf: Buffer, at: number): number =>
  isDigit(buf[at] as number) && isDigit(buf[at + 1] as number)
    ? ((buf[at] as number) - ZERO) * 10 + ((buf[at + 1] as number) - ZERO)
    : -1;

export class CopyRowEncoder {
  private out: Buffer = Buffer.allocUnsafe(OUTPUT_CHUNK * 2);
  private length = 0;
  private readonly kinds: Uint8Array;
  private readonly types: TColumnType[];
  private readonly latin1: boolean;
  private readonly strictUtf8: boolean;

  /** `strictUtf8`: a text cell that is not valid UTF-8 makes the row not fit (the caller rejects it). */
  constructor(types: TColumnType[], encoding: "utf8" | "latin1", strictUtf8 = false) {
    this.types = types;
    this.kinds = Uint8Array.from(types, (type) => KIND[type]);
    this.latin1 = encoding === "latin1";
    this.strictUtf8 = strictUtf8 && !this.latin1;
  }

  get columns(): number {
    return this.kinds.length;
  }

  /** Bytes waiting to be sent. */
  get size(): number {
    return this.length;
  }

  /** The rows encoded so far; the encoder starts a fresh buffer (the old one may still be in flight). */
  take(): Buffer {
    const full = this.out.subarray(0, this.length);
    this.out = Buffer.allocUnsafe(Math.max(OUTPUT_CHUNK * 2, this.out.length));
    this.length = 0;
    return full;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.length + extra));
    this.out.copy(bigger, 0, 0, this.length);
    this.out = bigger;
  }

  /**
   * Appends the scanner's current record as one COPY row (line number first). Returns false, with
   * nothing appended, when the record does not fit the columns: the caller works out why on strings.
   */
  encode(scanner: CsvScanner, buf: Buffer, count: number, line: number): boolean {
    const kinds = this.kinds;
    if (count !== kinds.length) return false;
    const starts = scanner.starts;
    const ends = scanner.ends;
    // Worst case per field: every byte doubles (escape or Latin-1 to UTF-8) plus the separator; a
    // slow-path cell may need more and asks for it itself.
    this.ensure(2 * ((ends[count - 1] as number) - (starts[0] as number)) + 32 * count + 24);
    const rowStart = this.length;
    this.digits(line);
    for (let i = 0; i < count; i++) {
      this.out[this.length++] = TAB;
      const ok = this.cell(kinds[i] as number, i, scanner, buf);
      if (!ok) {
        this.length = rowStart;
        return false;
      }
    }
    this.out[this.length++] = LF;
    return true;
  }

  /** A non-negative integer in decimal, without making a string. */
  private digits(value: number): void {
    const out = this.out;
    let end = this.length;
    let rest = value;
    do {
      end++;
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.length = end;
    rest = value;
    do {
      out[--end] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** Copies bytes [s, e) of `buf`: a loop beats Buffer#copy's call overhead for a few bytes. */
  private bytes(buf: Buffer, s: number, e: number): void {
    const out = this.out;
    let o = this.length;
    for (let i = s; i < e; i++) out[o++] = buf[i] as number;
    this.length = o;
  }

  private cell(kind: number, index: number, scanner: CsvScanner, buf: Buffer): boolean {
    let s = scanner.starts[index] as number;
    let e = scanner.ends[index] as number;
    const escaped = ((scanner.flags[index] as number) & FIELD_ESCAPED) !== 0;
    if (kind === TEXT) {
      if (s === e) return this.nul();
      return this.text(buf, s, e, escaped);
    }
    if (escaped) return this.slow(index, scanner, buf);
    while (s < e && isSpace(buf[s] as number)) s++;
    while (e > s && isSpace(buf[e - 1] as number)) e--;
    if (s === e) {
      // Only ASCII blanks: parseCell trims them to an empty value, a null.
      return this.nul();
    }
    let ok = false;
    if (kind === INTEGER) ok = this.integer(buf, s, e);
    else if (kind === DECIMAL) ok = this.decimal(buf, s, e);
    else if (kind === TIMESTAMP) ok = this.timestamp(buf, s, e);
    return ok || this.slow(index, scanner, buf);
  }

  private nul(): boolean {
    this.out[this.length++] = BACKSLASH;
    this.out[this.length++] = 0x4e; // N
    return true;
  }

  private text(buf: Buffer, s: number, e: number, escaped: boolean): boolean {
    const out = this.out;
    let o = this.length;
    let high = false;
    for (let i = s; i < e; i++) {
      const b = buf[i] as number;
      if (b >= 0x80) {
        if (this.latin1) {
          out[o++] = 0xc0 | (b >> 6);
          out[o++] = 0x80 | (b & 0x3f);
        } else {
          high = true;
          out[o++] = b;
        }
      } else if (b === BACKSLASH) {
        out[o++] = BACKSLASH;
        out[o++] = BACKSLASH;
      } else if (b <= CR) {
        // Control bytes up to CR: one test keeps printable text on the short path.
        if (b === TAB) {
          out[o++] = BACKSLASH;
          out[o++] = LOWER_T;
        } else if (b === LF) {
          out[o++] = BACKSLASH;
          out[o++] = LOWER_N;
        } else if (b === CR) {
          out[o++] = BACKSLASH;
          out[o++] = LOWER_R;
        } else if (b === 0) {
          // NUL cannot be stored in PostgreSQL text: the row takes the string path, which rejects it.
          return false;
        } else out[o++] = b;
      } else {
        out[o++] = b;
        // A doubled quote stands for one.
        if (b === QUOTE && escaped) i++;
      }
    }
    if (high && !isUtf8(buf.subarray(s, e))) {
      if (this.strictUtf8) return false;
      // Not valid UTF-8: decode with replacement characters, as a string reader would.
      const value = buf.toString("utf8", s, e);
      return this.string(escaped ? value.replaceAll('""', '"') : value);
    }
    this.length = o;
    return true;
  }

  /** Writes a string value with COPY text escapes. */
  private string(value: string): boolean {
    const escaped = value.replace(/[\\\t\n\r]/g, (char) =>
      char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r",
    );
    this.ensure(Buffer.byteLength(escaped) + 16);
    this.length += this.out.write(escaped, this.length, "utf8");
    return true;
  }

  /** `[+-]?\d{1,15}`: fits bigint; PostgreSQL reads it as Number() would. */
  private integer(buf: Buffer, s: number, e: number): boolean {
    let i = s;
    const first = buf[i] as number;
    if (first === PLUS || first === MINUS) i++;
    const digits = e - i;
    if (digits < 1 || digits > 15) return false;
    for (let k = i; k < e; k++) if (!isDigit(buf[k] as number)) return false;
    this.bytes(buf, s, e);
    return true;
  }

  /**
   * Plain decimals without an exponent: PostgreSQL's float8 input rounds them to the same double as
   * Number(). Exponents (which may overflow) and negative zero go the string path.
   */
  private decimal(buf: Buffer, s: number, e: number): boolean {
    let i = s;
    const first = buf[i] as number;
    const negative = first === MINUS;
    if (negative || first === PLUS) i++;
    let digits = 0;
    let nonZero = false;
    let dot = false;
    for (; i < e; i++) {
      const b = buf[i] as number;
      if (isDigit(b)) {
        digits++;
        if (b !== ZERO) nonZero = true;
      } else if (b === DOT && !dot) dot = true;
      else return false;
    }
    if (digits === 0 || e - s > 64 || (negative && !nonZero)) return false;
    this.bytes(buf, s, e);
    return true;
  }

  /**
   * `YYYY-MM-DD` and `YYYY-MM-DD[T ]HH:MM:SS[Z]` with a real calendar date and time, read as UTC like
   * `parseTimestamp`; other forms (zones, fractions, US dates, rolled-over days) go the string path.
   */
  private timestamp(buf: Buffer, s: number, e: number): boolean {
    const n = e - s;
    if (n !== 10 && n !== 19 && !(n === 20 && buf[e - 1] === UPPER_Z)) return false;
    if (buf[s + 4] !== MINUS || buf[s + 7] !== MINUS) return false;
    const century = twoDigits(buf, s);
    const yy = twoDigits(buf, s + 2);
    const month = twoDigits(buf, s + 5);
    const day = twoDigits(buf, s + 8);
    if (century < 10 || yy < 0 || month < 1 || month > 12 || day < 1) return false;
    const year = century * 100 + yy;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
    if (day > days) return false;
    const out = this.out;
    if (n === 10) {
      this.bytes(buf, s, e);
      this.bytes(MIDNIGHT, 0, MIDNIGHT.length);
      return true;
    }
    const sep = buf[s + 10];
    if ((sep !== UPPER_T && sep !== SPACE) || buf[s + 13] !== COLON || buf[s + 16] !== COLON) return false;
    const hour = twoDigits(buf, s + 11);
    const minute = twoDigits(buf, s + 14);
    const second = twoDigits(buf, s + 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
    this.bytes(buf, s, s + 19);
    out[this.length - 9] = UPPER_T;
    out[this.length++] = UPPER_Z;
    return true;
  }

  /** The string path: exactly what the string loader does with this cell. */
  private slow(index: number, scanner: CsvScanner, buf: Buffer): boolean {
    const raw = fieldText(scanner, buf, index, this.latin1 ? "latin1" : "utf8");
    const parsed = parseCell(this.types[index] as TColumnType, raw);
    if (!parsed.ok) return false;
    const value = parsed.value;
    if (value === null) return this.nul();
    if (value instanceof Date) return this.string(value.toISOString());
    if (typeof value === "boolean") {
      this.out[this.length++] = value ? LOWER_T : 0x66; // t / f
      return true;
    }
    return this.string(typeof value === "number" ? String(value) : value);
  }
}
