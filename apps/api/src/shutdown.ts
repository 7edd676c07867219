import { logger } from "./logger.ts";

/**
 * On the first SIGTERM or SIGINT: logs `message`, runs `close` and exits 0 (1 if it throws). A
 * dependency that hangs on close (a database that is already gone) must not keep the process
 * alive, so after `timeoutMs` it exits 1 regardless.
 */
export const exitOnSignals = (
  message: string,
  timeoutMs: number,
  close: (signal: NodeJS.Signals) => Promise<void>,
): void => {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(message, { signal });
    setTimeout(() => {
      logger.warn("shutdown took too long; exiting");
      process.exit(1);
    }, timeoutMs).unref();
    try {
      await close(signal);
    } catch (error) {
      logger.error("shutdown failed", { error: (error as Error).message });
      process.exit(1);
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
};
