// Exposures are written in batches off the request path: recommend appends to an in-memory buffer and
// answers; the buffer is flushed with one INSERT (exposure.repository.ts) when it holds FLUSH_ROWS rows or FLUSH_MS
// after the first row arrived, and on shutdown. Until flushed, attribution finds exposures in the
// buffer itself, so an event sent right after a recommendation is still credited.
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { insertExposures, type TExposureRow } from "./exposure.repository.ts";

const FLUSH_ROWS = 500;
const FLUSH_MS = 200;

export type TExposure = TExposureRow;

export class ExposureLog {
  private buffer: TExposure[] = [];
  private inFlight: TExposure[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  lost = 0;

  constructor(private readonly deps: TDeps) {}

  record(exposure: TExposure): void {
    this.buffer.push(exposure);
    if (this.buffer.length >= FLUSH_ROWS) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Exposures not yet in the database (buffered or being written). */
  pending(): readonly TExposure[] {
    return this.inFlight.length === 0 ? this.buffer : [...this.inFlight, ...this.buffer];
  }

  /** Writes everything buffered so far; resolves when it is in the database (or was given up). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (rows.length === 0) return;
      this.inFlight = rows;
      try {
        await insertExposures(this.deps.pool, rows);
      } catch (error) {
        // One retry: a pool hiccup should not lose a batch; a second failure is logged and counted.
        try {
          await insertExposures(this.deps.pool, rows);
        } catch {
          this.lost += rows.length;
          logger.error("experiment exposures lost", { rows: rows.length, error: (error as Error).message });
        }
      } finally {
        this.inFlight = [];
      }
    });
    return this.flushing;
  }
}
