// Structured one-line JSON logs on stderr: greppable locally, parseable by any log shipper.
import { maskEmbedded } from "@dam/privacy/masking";

type TLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<TLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: TLevel = "info";
let processName = "dam";

export const configureLogger = (options: { level?: TLevel; name?: string }): void => {
  if (options.level) threshold = options.level;
  if (options.name) processName = options.name;
};

// No request variables or response bodies are ever logged; on top of that every string that reaches a
// log line has its personal data with a checkable shape (emails, phones, cards, IBANs, IP addresses)
// redacted, so an error message quoting a value (a failed job's, an unexpected error's) cannot print it.
const scrub = (_key: string, value: unknown): unknown =>
  typeof value === "string" ? maskEmbedded(value, "REDACT", null) : value;

/** One log line as written (exported for its test). */
export const formatLogLine = (level: TLevel, msg: string, fields: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ t: new Date().toISOString(), level, proc: processName, msg, ...fields }, scrub)}\n`;

const write = (level: TLevel, msg: string, fields: Record<string, unknown> = {}): void => {
  if (ORDER[level] < ORDER[threshold]) return;
  process.stderr.write(formatLogLine(level, msg, fields));
};

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
