import { cosineTopK } from "@dam/embedder/cosine-top-k";
import { describe, expect, it } from "vitest";
import { SemanticIndex } from "./search-semantic-index.ts";

// Item embeddings with structure, as text embeddings have: 40 topics, each item near its topic's centre.
const clustered = (rows: number, dimension: number, seed: number) => {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const centres = Array.from({ length: 40 }, () => Float32Array.from({ length: dimension }, random));
  const data = new Float32Array(rows * dimension);
  for (let row = 0; row < rows; row++) {
    const centre = centres[row % centres.length]!;
    for (let d = 0; d < dimension; d++) data[row * dimension + d] = centre[d]! + 0.35 * random();
  }
  return { data, rows, dimension, query: () => Float32Array.from({ length: dimension }, random) };
};

/** The index answers `query` by the exact scan, with the scan's rows. */
const expectScan = (
  index: SemanticIndex,
  vectors: ReturnType<typeof clustered>,
  query: Float32Array,
  k: number,
) => {
  const top = index.top(query, k);
  expect(top.via).toBe("scan");
  expect(Array.from(top.rows)).toEqual(Array.from(cosineTopK(query, vectors, k).indices));
};

describe("SemanticIndex", () => {
  it("scans small sets exactly and never builds a graph for them", async () => {
    const vectors = clustered(500, 32, 7);
    const index = new SemanticIndex(vectors, { annMinValues: 1_000 * vectors.dimension, ef: 160 });
    expectScan(index, vectors, vectors.query(), 10);
    expect(await index.build()).toBe(false);
    expect(index.ready).toBe(false);
  });

  it("answers by scan while the graph builds, then through the graph with recall@20 of at least 0.95", async () => {
    const vectors = clustered(4_000, 48, 11);
    const index = new SemanticIndex(vectors, { annMinValues: 1_000 * vectors.dimension, ef: 160 });
    expectScan(index, vectors, vectors.query(), 20);
    expect(await index.build()).toBe(true);
    let found = 0;
    const queries = 50;
    for (let q = 0; q < queries; q++) {
      const query = vectors.query();
      const top = index.top(query, 20);
      expect(top.via).toBe("hnsw");
      const exact = new Set(cosineTopK(query, vectors, 20).indices);
      found += Array.from(top.rows).filter((row) => exact.has(row)).length;
      // Scores are cosines, best first.
      for (let i = 1; i < top.scores.length; i++)
        expect(top.scores[i]!).toBeLessThanOrEqual(top.scores[i - 1]!);
      expect(Math.abs(top.scores[0]!)).toBeLessThanOrEqual(1 + 1e-5);
    }
    expect(found / (queries * 20)).toBeGreaterThanOrEqual(0.95);
  });

  it("stops an abandoned build", async () => {
    const vectors = clustered(3_000, 16, 3);
    const index = new SemanticIndex(vectors, { annMinValues: 1_000 * vectors.dimension, ef: 64 });
    const building = index.build(0);
    index.abandon();
    expect(await building).toBe(false);
    expect(index.top(vectors.query(), 5).via).toBe("scan");
  });

  it("reports a graph that cannot be built instead of rejecting, and stays unbuilt", async () => {
    const vectors = clustered(2_000, 16, 5);
    // One value short: the last row cannot be added.
    const short = { ...vectors, data: vectors.data.subarray(0, vectors.data.length - 1) };
    const errors: unknown[] = [];
    const index = new SemanticIndex(short, {
      annMinValues: 1_000 * vectors.dimension,
      ef: 64,
      onBuildError: (error) => errors.push(error),
    });
    expect(await index.build()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RangeError);
    expect(index.ready).toBe(false);
    // Asked again, the failed build is not repeated.
    expect(await index.build()).toBe(false);
    expect(errors).toHaveLength(1);
  });
});
