// Plain-JavaScript entry of the training worker thread. Node does not pass the parent's --import tsx
// loader on to worker threads, so the thread registers tsx itself before loading the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./training-thread.ts");
