// A streaming RFC 4180 scanner over bytes. It finds record and field boundaries in Buffers without
// decoding text or allocating per record: the sink reads the fields as [start, end) offsets into the
// buffer and decodes (or copies) only what it needs. Quoted fields may hold delimiters, doubled quotes
// and line breaks, across any chunk boundary. A record with bad quoting is reported once, with its
// line, and dropped; the scanner carries on with the next record, so good rows are never lost.

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Field flag: the field was quoted (its offsets exclude the quotes). */
export const FIELD_QUOTED = 1;
/** Field flag: the quoted field holds doubled quotes (`""`) that stand for one quote each. */
export const FIELD_ESCAPED = 2;

/**
 * A record longer than this is taken for a runaway quote: reported as bad at its first line, and
 * scanning resumes on the next line. Bounds memory whatever the input.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export type TCsvScanSink = {
  /** One complete record: `scanner.starts/ends/flags[0..count)` locate its fields in `buf`. */
  record: (buf: Buffer, count: number, line: number) => void;
  /** One record that cannot be read (bad quoting); `line` is its last line. */
  bad: (line: number, reason: string, raw: string) => void;
};

export type TCsvScanOptions = { delimiter?: string; encoding?: "utf8" | "latin1" };

/** The byte of a one-character delimiter; multi-byte characters cannot delimit a byte-level scan. */
export const delimiterByte = (delimiter: string, encoding: "utf8" | "latin1"): number => {
  const code = delimiter.charCodeAt(0);
  const limit = encoding === "latin1" ? 0xff : 0x7f;
  if (delimiter.length !== 1 || code > limit || code === QUOTE || code === LF || code === CR) {
    throw new Error(
      `the delimiter ${JSON.stringify(delimiter)} cannot be used: it must be one ${encoding === "latin1" ? "Latin-1" : "ASCII"} character other than a quote or a line break`,
    );
  }
  return code;
};

export class CsvScanner {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  private readonly delimiter: number;
  private readonly encoding: "utf8" | "latin1";
  private readonly sink: TCsvScanSink;
  /** Lines completed before the pending bytes. */
  private line = 0;
  private tail: Buffer | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private started = false;
  private stopped = false;

  constructor(sink: TCsvScanSink, options: TCsvScanOptions = {}) {
    this.encoding = options.encoding ?? "utf8";
    this.delimiter = delimiterByte(options.delimiter ?? ",", this.encoding);
    this.sink = sink;
  }

  /** Scans a chunk; records that end in it are passed to the sink before this returns. */
  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.stopped) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // A record cut by the chunk boundary is scanned again from its start once more data has come.
    // Waiting until the new data is at least as long as the cut record keeps rescans linear overall.
    if (this.tail && this.pendingBytes < this.tail.length) return;
    this.run(false);
  }

  /** Ends the input: the last record may lack a line break; an open quote is reported. */
  end(): void {
    if (!this.stopped) this.run(true);
  }

  /** Ends scanning after the current record (a reader that needs only the first records). */
  stop(): void {
    this.stopped = true;
  }

  private run(final: boolean): void {
    const parts = this.tail ? [this.tail, ...this.pending] : this.pending;
    let buf = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    this.pending = [];
    this.pendingBytes = 0;
    this.tail = null;
    if (!this.started) {
      if (buf.length < 3 && !final) {
        this.tail = buf;
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let from = 0;
    for (;;) {
      const consumed = this.scan(buf, from, final);
      if (consumed >= buf.length) return;
      const tooLong = buf.length - consumed > MAX_RECORD_BYTES;
      if (!final && !tooLong) {
        this.tail = buf.subarray(consumed);
        return;
      }
      // A quote that never closes (or a runaway record): rather than swallow the rest of the file,
      // report the record at its first line and read on from the next line.
      const newline = buf.indexOf(LF, consumed);
      const next = newline === -1 ? buf.length : newline + 1;
      this.line += 1;
      this.sink.bad(
        this.line,
        tooLong
          ? `Record too long: more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB from line ${this.line} on (an unclosed quote?); reading resumes on the next line`
          : `Quote not closed: a quoted field opened on line ${this.line} never ends; reading resumes on the next line`,
        buf.toString(this.encoding, consumed, Math.min(next, consumed + 2000)),
      );
      from = next;
    }
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }

  /** Scans whole records from `pos`; returns where the first incomplete record starts. */
  private scan(buf: Buffer, pos: number, final: boolean): number {
    const len = buf.length;
    const d = this.delimiter;
    while (pos < len) {
      const recordStart = pos;
      let line = this.line + 1;
      let count = 0;
      let error: string | null = null;
      let p = pos;
      for (;;) {
        if (count === this.starts.length) this.grow();
        let fieldFlags = 0;
        let fieldStart = p;
        let fieldEnd: number;
        if (p < len && buf[p] === QUOTE) {
          fieldFlags = FIELD_QUOTED;
          fieldStart = p + 1;
          let q = fieldStart;
          for (;;) {
            const next = buf.indexOf(QUOTE, q);
            const stop = next === -1 ? len : next;
            for (let i = q; i < stop; i++) {
              const b = buf[i];
              if (b === LF || (b === CR && buf[i + 1] !== LF)) line++;
            }
            // Open at the end of the input: the caller reports it and reads on from its next line.
            if (next === -1) return recordStart;
            if (next + 1 >= len && !final) return recordStart;
            const after = next + 1 < len ? (buf[next + 1] as number) : -1;
            if (after === QUOTE) {
              fieldFlags |= FIELD_ESCAPED;
              q = next + 2;
              continue;
            }
            if (after === -1 || after === d || after === LF || after === CR) {
              fieldEnd = next;
              p = next + 1;
              break;
            }
            // A quote inside a quoted field that neither doubles nor closes it: the record is bad. The
            // quote is read as text and the field stays open, so the record ends where a writer meant it to.
            error ??= `Invalid closing quote on line ${line}: got ${JSON.stringify(String.fromCharCode(after))} after a quote instead of a delimiter or a line end`;
            q = next + 1;
          }
        } else {
          while (p < len) {
            const b = buf[p];
            if (b === d || b === LF || b === CR) break;
            if (b === QUOTE) {
              error ??= `Invalid opening quote on line ${line}: a quote inside unquoted field ${count + 1} (quote the whole field and double its quotes)`;
            }
            p++;
          }
          fieldEnd = p;
        }
        this.starts[count] = fieldStart;
        this.ends[count] = fieldEnd;
        this.flags[count] = fieldFlags;
        count++;
        if (p >= len) {
          if (!final) return recordStart;
          break;
        }
        const b = buf[p];
        if (b === d) {
          p++;
          continue;
        }
        if (b === CR) {
          if (p + 1 >= len && !final) return recordStart;
          p += buf[p + 1] === LF ? 2 : 1;
        } else p++;
        break;
      }
      this.line = line;
      pos = p;
      if (error !== null) {
        this.sink.bad(line, error, buf.toString(this.encoding, recordStart, Math.min(p, recordStart + 2000)));
      } else if (count > 1 || this.ends[0] !== this.starts[0] || this.flags[0] !== 0) {
        // An empty line is no record.
        this.sink.record(buf, count, line);
        if (this.stopped) return len;
      }
    }
    return pos;
  }
}

/** The text of field `index` of the scanner's current record. */
export const fieldText = (
  scanner: CsvScanner,
  buf: Buffer,
  index: number,
  encoding: "utf8" | "latin1",
): string => {
  const text = buf.toString(encoding, scanner.starts[index], scanner.ends[index]);
  return (scanner.flags[index] as number) & FIELD_ESCAPED ? text.replaceAll('""', '"') : text;
};

/** All fields of the current record as strings (the cold path: headers, samples, rejects). */
export const recordTexts = (
  scanner: CsvScanner,
  buf: Buffer,
  count: number,
  encoding: "utf8" | "latin1",
): string[] => {
  const fields: string[] = new Array(count);
  for (let i = 0; i < count; i++) fields[i] = fieldText(scanner, buf, i, encoding);
  return fields;
};
