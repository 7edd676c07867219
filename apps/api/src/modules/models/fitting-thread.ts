import { Worker } from "node:worker_threads";
import { type fitAndEvaluate, type TFitHooks, type TFitResult, TrainingInputError } from "./model-fitting.ts";

export type TThreadInput = Omit<Parameters<typeof fitAndEvaluate>[0], "hooks">;

export type TThreadMessage =
  | { type: "progress"; percent: number; message: string }
  | { type: "done"; result: TFitResult }
  | { type: "error"; message: string; inputError: boolean };

// A .mjs entry that registers the tsx loader in the thread, then imports training-thread.ts.
const THREAD_ENTRY = new URL("./training-thread.mjs", import.meta.url);

/**
 * fitAndEvaluate on a worker thread. Progress comes back as messages and goes through `hooks` in order;
 * when a hook throws (a cancelled job's checkpoint), the thread is terminated at once and the hook's
 * error is the rejection, so the job runtime sees the cancellation it raised.
 */
export const fitInThread = (input: TThreadInput, hooks: TFitHooks): Promise<TFitResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(THREAD_ENTRY, { workerData: input });
    let settled = false;
    let chain: Promise<void> = Promise.resolve();
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const stop = (error: unknown) => {
      settle(() => reject(error));
      void worker.terminate();
    };
    worker.on("message", (message: TThreadMessage) => {
      if (message.type === "progress") {
        chain = chain.then(() => hooks.onProgress(message.percent, message.message)).catch(stop);
      } else if (message.type === "done") {
        chain = chain.then(() => settle(() => resolve(message.result)));
      } else {
        const error = message.inputError
          ? new TrainingInputError(message.message)
          : new Error(message.message);
        chain = chain.then(() => stop(error));
      }
    });
    worker.on("error", stop);
    worker.on("exit", (code) => {
      void chain.then(() => settle(() => reject(new Error(`the training thread exited with code ${code}`))));
    });
  });
