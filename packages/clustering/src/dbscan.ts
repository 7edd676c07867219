import { asFloat64, type Matrix, squaredDistance } from "./matrix.ts";

export type DbscanOptions = {
  /** Neighbourhood radius (Euclidean). */
  readonly eps: number;
  /** Points within eps, the point itself included, needed for a core point (Ester et al.'s MinPts). */
  readonly minPts: number;
};

export type DbscanResult = {
  /** Cluster 0..clusterCount-1 per row, NOISE (-1) for noise. */
  readonly labels: Int32Array;
  /** 1 where the row is a core point. */
  readonly core: Uint8Array;
  readonly clusterCount: number;
  readonly noiseCount: number;
};

export const NOISE = -1;
const UNVISITED = -2;

/** Rows within eps of row i (brute force: O(n d) per query, O(n^2 d) per run). */
function regionQuery(data: Matrix, i: number, eps2: number, out: number[]): number[] {
  out.length = 0;
  for (let j = 0; j < data.rows; j++) {
    if (squaredDistance(data.data, i, data.data, j, data.cols) <= eps2) out.push(j);
  }
  return out;
}

/**
 * DBSCAN (Ester, Kriegel, Sander & Xu, KDD 1996). Clusters grow from core points through
 * density-reachable neighbours; a border point joins the first cluster that reaches it, so the
 * labels depend on row order exactly as in the paper's algorithm. Each row is queried at most once,
 * so the run is O(n^2 d) with brute-force neighbour search: meant for up to ~10^4 rows (profiles or
 * a sample of them), not for the full event table.
 */
export function runDbscan(input: Matrix, options: DbscanOptions): DbscanResult {
  const data = asFloat64(input);
  const { eps, minPts } = options;
  if (!(eps > 0)) throw new RangeError(`eps must be > 0, got ${eps}`);
  if (!Number.isInteger(minPts) || minPts < 1) throw new RangeError(`minPts must be an integer >= 1`);
  const n = data.rows;
  const eps2 = eps * eps;
  const labels = new Int32Array(n).fill(UNVISITED);
  const core = new Uint8Array(n);
  const visited = new Uint8Array(n);
  const neighbours: number[] = [];
  let cluster = 0;

  for (let p = 0; p < n; p++) {
    if (visited[p]) continue;
    visited[p] = 1;
    regionQuery(data, p, eps2, neighbours);
    if (neighbours.length < minPts) {
      labels[p] = NOISE;
      continue;
    }
    core[p] = 1;
    labels[p] = cluster;
    const queue = neighbours.filter((q) => q !== p);
    for (const q of queue) if (labels[q] === UNVISITED || labels[q] === NOISE) labels[q] = cluster;
    for (let head = 0; head < queue.length; head++) {
      const q = queue[head]!;
      // Rows queried before (earlier noise) are known not to be core: no second query.
      if (visited[q]) continue;
      visited[q] = 1;
      regionQuery(data, q, eps2, neighbours);
      if (neighbours.length < minPts) continue;
      core[q] = 1;
      for (const r of neighbours) {
        if (labels[r] === UNVISITED) {
          labels[r] = cluster;
          queue.push(r);
        } else if (labels[r] === NOISE) {
          labels[r] = cluster; // noise reached from a core point becomes a border point
        }
      }
    }
    cluster++;
  }
  let noiseCount = 0;
  for (let i = 0; i < n; i++) if (labels[i] === NOISE) noiseCount++;
  return { labels, core, clusterCount: cluster, noiseCount };
}
