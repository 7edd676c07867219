import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answering, freePort, health } from "./helpers/processes.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

let stack: TTestStack;
let api: ChildProcess | null = null;

/** The pids of a process's children, from /proc (Linux). */
const childrenOf = async (pid: number): Promise<number[]> => {
  const text = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8")).trim();
  return text ? text.split(" ").map(Number) : [];
};

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  if (api && api.exitCode === null && api.signalCode === null) {
    const exited = once(api, "exit");
    api.kill("SIGTERM");
    await exited;
  }
  await stack?.close();
});

describe("DAM_API_PROCESSES", () => {
  it("serves from that many processes on one port, replaces one that dies, and stops them all", async () => {
    const port = await freePort();
    api = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
      cwd: ROOT,
      env: { ...stack.env, API_PORT: String(port), DAM_API_PROCESSES: "2" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const supervisor = api.pid!;
    const first = await waitFor(
      async () => {
        const children = await childrenOf(supervisor);
        if (children.length !== 2) return undefined;
        return (await health(port)) === 200 ? children : undefined;
      },
      { timeoutMs: 45_000, what: "two API processes answering /healthz" },
    );

    // One dies hard: the supervisor starts another, and the port keeps answering meanwhile.
    process.kill(first[0]!, "SIGKILL");
    await answering(port, "the port answering while a process is replaced");
    const second = await waitFor(
      async () => {
        const children = await childrenOf(supervisor);
        return children.length === 2 && !children.includes(first[0]!) ? children : undefined;
      },
      { timeoutMs: 30_000, what: "a replacement API process" },
    );
    expect(second).toContain(first[1]);
    await answering(port, "the API answering after the replacement");

    // SIGTERM to the supervisor stops every process and exits cleanly.
    const exited = once(api, "exit");
    api.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    for (const pid of second) expect(() => process.kill(pid, 0)).toThrow();
  }, 180_000);
});
