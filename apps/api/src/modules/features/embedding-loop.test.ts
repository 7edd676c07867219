import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPartialArtifact } from "./embedding-artifact.ts";
import { runEmbeddingLoop, type TEmbedBatch } from "./embedding-loop.ts";

const embedder = {
  modelVersion: "test-model",
  dimension: 2,
  embed: async (inputs: number[]) => inputs.map((x) => Float32Array.of(x, -x)),
};

/** Batches of two numbers 0..count-1 after `after`, recording when each batch was read. */
const source = (count: number, after: number, reads: string[]) =>
  async function* (): AsyncGenerator<TEmbedBatch<number>> {
    for (let start = Math.max(0, after + 1); start < count; start += 2) {
      const inputs = [start, start + 1].filter((x) => x < count);
      reads.push(`read ${start}`);
      yield { ids: inputs.map((x) => `item-${x}`), inputs, lastLine: inputs[inputs.length - 1]! };
    }
  };

describe("runEmbeddingLoop", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dam-loop-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the next batch while one is embedded, writes every vector once, and ends durable", async () => {
    const events: string[] = [];
    const tracked = {
      ...embedder,
      embed: async (inputs: number[]) => {
        events.push(`embed ${inputs[0]}`);
        return embedder.embed(inputs);
      },
    };
    const progress: number[] = [];
    const { checkpoint, resumedAt } = await runEmbeddingLoop({
      dir,
      embedder: tracked,
      batches: (resume) => source(5, resume.lastLine, events)(),
      onProgress: async (rows) => {
        progress.push(rows);
      },
    });
    expect(resumedAt).toBe(0);
    expect(checkpoint).toMatchObject({ rows: 5, lastLine: 4 });
    // The second batch is read before the first is embedded (one batch ahead).
    expect(events.slice(0, 3)).toEqual(["read 0", "read 2", "embed 0"]);
    expect(progress).toEqual([2, 4, 5]);
    const ids = (await readFile(path.join(dir, "ids.jsonl.partial"), "utf8")).trim().split("\n");
    expect(ids).toEqual([0, 1, 2, 3, 4].map((x) => JSON.stringify(`item-${x}`)));
  });

  it("a stop thrown by the progress hook still leaves a resumable artifact", async () => {
    const stop = new Error("cancelled");
    await expect(
      runEmbeddingLoop({
        dir,
        embedder,
        batches: (resume) => source(6, resume.lastLine, [])(),
        onProgress: async (rows) => {
          if (rows === 4) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    // The two batches embedded before the stop were made durable by the appender's close.
    const resumed = await openPartialArtifact(dir, embedder);
    expect(resumed).toMatchObject({ rows: 4, lastLine: 3 });
    const again = await runEmbeddingLoop({
      dir,
      embedder,
      batches: (resume) => source(8, resume.lastLine, [])(),
      onProgress: async () => {},
    });
    expect(again).toMatchObject({ resumedAt: 4, checkpoint: { rows: 8, lastLine: 7 } });
  });
});
