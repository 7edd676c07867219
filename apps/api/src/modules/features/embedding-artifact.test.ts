import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openBatchAppender, openPartialArtifact } from "./embedding-artifact.ts";

const DIMENSION = 4;
const model = { modelVersion: "test-model", dimension: DIMENSION };

const batchOf = (first: number, count: number) => ({
  ids: Array.from({ length: count }, (_, i) => `item-${first + i}`),
  vectors: Array.from({ length: count }, (_, i) =>
    Float32Array.from({ length: DIMENSION }, (_, j) => first + i + j / 10),
  ),
  lastLine: first + count - 1,
});

describe("openBatchAppender", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dam-artifact-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes queued batches in order, moves the checkpoint past them, and a reopen resumes there", async () => {
    const appender = await openBatchAppender(dir, await openPartialArtifact(dir, model));
    // Pushed back to back: later batches queue behind the append in flight and are written together.
    for (let b = 0; b < 5; b++) await appender.push(batchOf(b * 3, 3));
    const checkpoint = await appender.flush();
    await appender.close();
    await appender.close();
    expect(checkpoint).toMatchObject({ rows: 15, lastLine: 14, vectorBytes: 15 * DIMENSION * 4 });
    expect(appender.written()).toEqual(checkpoint);

    const ids = (await readFile(path.join(dir, "ids.jsonl.partial"), "utf8")).trim().split("\n");
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => JSON.stringify(`item-${i}`)));
    const vectors = new Float32Array((await readFile(path.join(dir, "vectors.f32.partial"))).buffer.slice(0));
    expect(Array.from(vectors.subarray(7 * DIMENSION, 8 * DIMENSION))).toEqual(
      Array.from(Float32Array.of(7, 7.1, 7.2, 7.3)),
    );
    const saved = JSON.parse(await readFile(path.join(dir, "checkpoint.json"), "utf8"));
    expect(saved).toEqual(checkpoint);

    const resumed = await openPartialArtifact(dir, model);
    expect(resumed).toEqual(checkpoint);
    const again = await openBatchAppender(dir, resumed);
    await again.push(batchOf(15, 2));
    expect(await again.flush()).toMatchObject({ rows: 17, lastLine: 16 });
    await again.close();
    await expect(again.push(batchOf(17, 1))).rejects.toThrow("closed");
  });

  it("close writes what was queued before a stop", async () => {
    const appender = await openBatchAppender(dir, await openPartialArtifact(dir, model));
    await appender.push(batchOf(0, 2));
    await appender.push(batchOf(2, 2));
    await appender.close();
    const saved = JSON.parse(await readFile(path.join(dir, "checkpoint.json"), "utf8"));
    expect(saved).toMatchObject({ rows: 4, lastLine: 3 });
  });

  it("moves the durable checkpoint only when due or flushed; settle writes without it", async () => {
    const appender = await openBatchAppender(dir, await openPartialArtifact(dir, model), {
      checkpointMs: 3_600_000,
    });
    await appender.push(batchOf(0, 3));
    await appender.push(batchOf(3, 3));
    await appender.settle();
    // Written to the files, but a kill now resumes from the start: the checkpoint did not move.
    expect((await readFile(path.join(dir, "ids.jsonl.partial"), "utf8")).trim().split("\n")).toHaveLength(6);
    expect(appender.written()).toMatchObject({ rows: 0 });
    expect(JSON.parse(await readFile(path.join(dir, "checkpoint.json"), "utf8"))).toMatchObject({ rows: 0 });
    const flushed = await appender.flush();
    expect(flushed).toMatchObject({ rows: 6, lastLine: 5, vectorBytes: 6 * DIMENSION * 4 });
    expect(JSON.parse(await readFile(path.join(dir, "checkpoint.json"), "utf8"))).toEqual(flushed);
    await appender.close();
  });

  it("checkpoints on its own as the run goes on when the interval is short", async () => {
    const appender = await openBatchAppender(dir, await openPartialArtifact(dir, model), { checkpointMs: 0 });
    await appender.push(batchOf(0, 2));
    await appender.settle();
    expect(appender.written()).toMatchObject({ rows: 2, lastLine: 1 });
    expect(JSON.parse(await readFile(path.join(dir, "checkpoint.json"), "utf8"))).toMatchObject({ rows: 2 });
    await appender.close();
  });
});
