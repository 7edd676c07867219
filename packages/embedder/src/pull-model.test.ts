import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelPullError } from "./embedder-errors.ts";
import { pullModel } from "./pull-model.ts";

// No network here (and tests must not depend on the hub): point the download at a local port where
// nothing listens, so the real download path runs and must fail fast and clearly. The port is one the
// OS just handed out and we closed again (fixed low ports like 9 are refused by fetch itself).
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });

describe("pullModel without network", () => {
  let modelsDir: string;
  let unreachableHost: string;
  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(tmpdir(), "embedder-pull-"));
    unreachableHost = `http://127.0.0.1:${await closedPort()}/`;
  });
  afterAll(() => rm(modelsDir, { recursive: true, force: true }));

  it("fails with a ModelPullError naming the model, the host and the network cause", async () => {
    const error = await pullModel("Xenova/all-MiniLM-L6-v2", modelsDir, {
      remoteHost: unreachableHost,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelPullError);
    const message = (error as ModelPullError).message;
    expect(message).toContain(`could not download model "Xenova/all-MiniLM-L6-v2" from ${unreachableHost}`);
    expect(message).toContain("ECONNREFUSED");
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it("restores the global transformers.js settings afterwards", () => {
    expect(env.remoteHost).toBe("https://huggingface.co/");
    expect(env.allowLocalModels).toBe(true);
  });
});
