// Compact binary form of an HNSW index so it can be stored inside a model artifact: a fixed
// header of uint32 words followed by the typed arrays of the graph, copied byte for byte
// (platform byte order, which is little-endian on every target we run on).

export type THnswMetric = "cosine" | "inner-product";

/** The whole index as plain typed arrays; capacity (levels.length) may exceed count. */
export type THnswState = {
  metric: THnswMetric;
  dim: number;
  m: number;
  efConstruction: number;
  efSearch: number;
  seed: number;
  count: number;
  /** Entry point id, -1 while empty. */
  entry: number;
  maxLevel: number;
  levels: Uint8Array;
  vectors: Float32Array;
  /** Level 0 lists: per node [count, up to 2M ids]. */
  links0: Int32Array;
  /** Levels 1..level of a node: per level [count, up to M ids]; undefined for level-0 nodes. */
  upper: (Int32Array | undefined)[];
};

const MAGIC = 0x57534e48; // "HNSW" read as little-endian uint32
const VERSION = 1;
const HEADER_WORDS = 12;

const pad4 = (n: number) => (n + 3) & ~3;

const copyBytes = (target: Uint8Array, offset: number, source: ArrayBufferView) => {
  target.set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), offset);
  return offset + source.byteLength;
};

export const encodeHnswState = (s: THnswState): ArrayBuffer => {
  const n = s.count;
  const links0Len = n * (2 * s.m + 1);
  let upperLen = 0;
  for (let i = 0; i < n; i++) upperLen += s.levels[i]! * (s.m + 1);
  const bytes = HEADER_WORDS * 4 + pad4(n) + 4 * (n * s.dim + links0Len + upperLen);
  const buffer = new ArrayBuffer(bytes);
  const header = new Uint32Array(buffer, 0, HEADER_WORDS);
  header.set([MAGIC, VERSION, s.metric === "cosine" ? 0 : 1, s.dim, s.m, s.efConstruction]);
  header.set([s.efSearch, s.seed >>> 0, n, s.entry >>> 0, s.maxLevel, upperLen], 6);
  const out = new Uint8Array(buffer);
  let offset = HEADER_WORDS * 4;
  copyBytes(out, offset, s.levels.subarray(0, n));
  offset += pad4(n);
  offset = copyBytes(out, offset, s.vectors.subarray(0, n * s.dim));
  offset = copyBytes(out, offset, s.links0.subarray(0, links0Len));
  for (let i = 0; i < n; i++) {
    const lists = s.upper[i];
    if (lists) offset = copyBytes(out, offset, lists);
  }
  return buffer;
};

export const decodeHnswState = (buffer: ArrayBuffer): THnswState => {
  if (buffer.byteLength < HEADER_WORDS * 4) throw new Error("HNSW buffer: shorter than its header");
  const h = new Uint32Array(buffer, 0, HEADER_WORDS);
  if (h[0] !== MAGIC) throw new Error("HNSW buffer: bad magic number, not an HNSW index");
  if (h[1] !== VERSION) throw new Error(`HNSW buffer: unsupported version ${h[1]}`);
  const [dim, m, efConstruction, efSearch, seed, n, entry, maxLevel, upperLen] = Array.from(
    h.subarray(3),
  ) as number[] as [number, number, number, number, number, number, number, number, number];
  const links0Len = n * (2 * m + 1);
  const expected = HEADER_WORDS * 4 + pad4(n) + 4 * (n * dim + links0Len + upperLen);
  if (buffer.byteLength !== expected) {
    throw new Error(`HNSW buffer: ${buffer.byteLength} bytes, header implies ${expected}`);
  }
  let offset = HEADER_WORDS * 4;
  const levels = new Uint8Array(buffer.slice(offset, offset + n));
  offset += pad4(n);
  const vectors = new Float32Array(buffer.slice(offset, offset + 4 * n * dim));
  offset += 4 * n * dim;
  const links0 = new Int32Array(buffer.slice(offset, offset + 4 * links0Len));
  offset += 4 * links0Len;
  const upper: (Int32Array | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const words = levels[i]! * (m + 1);
    if (words === 0) continue;
    upper[i] = new Int32Array(buffer.slice(offset, offset + 4 * words));
    offset += 4 * words;
  }
  const metric: THnswMetric = h[2] === 0 ? "cosine" : "inner-product";
  const entryId = entry | 0; // stored as uint32, -1 when empty
  return {
    metric,
    dim,
    m,
    efConstruction,
    efSearch,
    seed,
    count: n,
    entry: entryId,
    maxLevel,
    levels,
    vectors,
    links0,
    upper,
  };
};
