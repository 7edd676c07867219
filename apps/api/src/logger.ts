// Structured one-line JSON logs on stderr: greppable locally, parseable by any log shipper.
type TLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<TLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: TLevel = "info";
let processName = "dam";

export const configureLogger = (options: { level?: TLevel; name?: string }): void => {
  if (options.level) threshold = options.level;
  if (options.name) processName = options.name;
};

const write = (level: TLevel, msg: string, fields: Record<string, unknown> = {}): void => {
  if (ORDER[level] < ORDER[threshold]) return;
  process.stderr.write(
    `${JSON.stringify({ t: new Date().toISOString(), level, proc: processName, msg, ...fields })}\n`,
  );
};

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
