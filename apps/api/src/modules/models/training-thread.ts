// Entry of the worker thread that fits a model (see fitting-thread.ts): the fit is CPU-bound for
// seconds to minutes, and on the job's own thread it would starve the event loop, so BullMQ's lock
// renewal, progress writes and cancel checks would stop until it ended.
import { parentPort, workerData } from "node:worker_threads";
import type { TThreadInput, TThreadMessage } from "./fitting-thread.ts";
import { fitAndEvaluate, TrainingInputError } from "./model-fitting.ts";

const port = parentPort;
if (!port) throw new Error("training-thread.ts must run as a worker thread");
const send = (message: TThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const result = await fitAndEvaluate({
    ...(workerData as TThreadInput),
    hooks: {
      onProgress: async (percent, message) => send({ type: "progress", percent, message }),
    },
  });
  const { artifact } = result;
  const buffers = [
    artifact.popularity,
    artifact.factors?.user,
    artifact.factors?.item,
    artifact.neighbours?.index,
    artifact.neighbours?.weight,
    artifact.content?.solve,
    artifact.content?.item,
    artifact.content?.user,
  ]
    .filter((array) => array !== undefined)
    .map((array) => array.buffer as ArrayBuffer);
  send({ type: "done", result }, [...new Set(buffers)]);
} catch (error) {
  send({
    type: "error",
    message: error instanceof Error ? error.message : String(error),
    inputError: error instanceof TrainingInputError,
  });
}
