// A WebAssembly kernel for the hot loop of an HNSW query: the inner products of the query with a
// batch of stored vectors (`dots`, one call per expanded node), with 128-bit SIMD (in V8 since
// Node 16.4). A query at ef 256 on 100,000 x 64
// vectors takes thousands of these products at random places in memory, so the vectors are stored
// as int8 (one scale for all: a quarter of float32's memory traffic, one cache line per 64
// components) and the query as int16; i32x4.dot_i16x8_s multiplies and pairs eight lanes at a
// time. The order these products give is the inner-product order up to the rounding of the codes;
// the index rescores its final candidates in float. The module is small enough to assemble by
// hand, so it is listed below instruction by instruction and needs no toolchain.
//
// Memory layout: the int16 query at byte 0 (2 x stride bytes), the batch's node ids and its products
// (SIMD_BATCH int32 each), then the int8 vectors, each padded with zeros to `stride` components, a
// multiple of 16, so every product runs whole 16-byte steps.

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

// Section sizes and vector lengths are unsigned LEB128; every count here is below 2^14.
const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
const section = (id: number, contents: number[]) => [id, ...uleb(contents.length), ...contents];
const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
const I32 = 0x7f;
const V128 = 0x7b;

// Type 0: (i32 x 6) -> ().
const TYPES = section(0x01, [0x01, 0x60, 0x06, I32, I32, I32, I32, I32, I32, 0x00]);
// Import section: memory "env"."memory", at least 1 page (the host makes it as large as needed).
const IMPORTS = section(0x02, [0x01, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01]);
// Function section: one function, of type 0, exported as "dots".
const FUNCTIONS = section(0x03, [0x01, 0x00]);
const EXPORTS = section(0x07, [0x01, ...name("dots"), 0x00, 0x00]);

// The inner loop: acc (local `acc`) += the products of the 16 int8 codes at
// byte `b` with the 16 int16 query codes at byte `a`, then b += 16, a += 32, until b reaches `end`.
// biome-ignore format: opcodes grouped by instruction
const productLoop = (a: number, b: number, end: number, acc: number, v: number) => [
  0x02, 0x40, // block
  0x03, 0x40, //   loop
  0x20, b, 0x20, end, 0x4f, 0x0d, 0x01, //     if b >= end (unsigned): break out of the block
  0x20, b, 0xfd, 0x00, 0x00, 0x00, 0x21, v, //     v = v128.load b (16 x i8)
  0x20, acc, //     acc
  0x20, v, 0xfd, 0x87, 0x01, //     i16x8.extend_low_i8x16_s v
  0x20, a, 0xfd, 0x00, 0x01, 0x00, //     v128.load a (8 x i16)
  0xfd, 0xba, 0x01, //     i32x4.dot_i16x8_s
  0xfd, 0xae, 0x01, //     i32x4.add to acc
  0x20, v, 0xfd, 0x88, 0x01, //     i16x8.extend_high_i8x16_s v
  0x20, a, 0xfd, 0x00, 0x01, 0x10, //     v128.load a + 16
  0xfd, 0xba, 0x01, //     i32x4.dot_i16x8_s
  0xfd, 0xae, 0x01, //     i32x4.add
  0x21, acc, //     acc = that
  0x20, b, 0x41, 0x10, 0x6a, 0x21, b, //     b += 16
  0x20, a, 0x41, 0x20, 0x6a, 0x21, a, //     a += 32
  0x0c, 0x00, //     continue the loop
  0x0b, 0x0b, //   end loop, end block
];
// The four i32 lanes of `acc`, summed, left on the stack.
// biome-ignore format: opcodes grouped by instruction
const laneSum = (acc: number) => [
  0x20, acc, 0xfd, 0x1b, 0x00, // i32x4.extract_lane 0
  0x20, acc, 0xfd, 0x1b, 0x01, 0x6a, // + lane 1 (i32.add)
  0x20, acc, 0xfd, 0x1b, 0x02, 0x6a, // + lane 2
  0x20, acc, 0xfd, 0x1b, 0x03, 0x6a, // + lane 3
];

// dots(q, ids, count, out, base, stride): for k < count, i32[out + 4k] = the sum over i < stride
// of i16[q + 2i] * i8[base + i32[ids + 4k] * stride + i] (byte offsets, stride a multiple of 16).
// One call scores every new neighbour of a node, so the loads of different vectors overlap instead
// of waiting on one call each. Locals: 0 q, 1 ids, 2 count, 3 out, 4 base,
// 5 stride (parameters), 6 acc and 7 v (v128), 8 b, 9 end, 10 a, 11 k (i32).
// biome-ignore format: opcodes grouped by instruction
const DOTS = [
  0x02, 0x02, V128, 0x04, I32, // locals: 2 x v128 (6, 7), 4 x i32 (8-11)
  0x02, 0x40, // block
  0x03, 0x40, //   loop over k
  0x20, 0x0b, 0x20, 0x02, 0x4f, 0x0d, 0x01, //     if k >= count: break out of the block
  0x20, 0x04, //     base
  0x20, 0x01, 0x20, 0x0b, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x00, //     i32.load (ids + k << 2)
  0x20, 0x05, 0x6c, 0x6a, 0x22, 0x08, //     b = base + id * stride
  0x20, 0x05, 0x6a, 0x21, 0x09, //     end = b + stride
  0x20, 0x00, 0x21, 0x0a, //     a = q
  0x41, 0x00, 0xfd, 0x11, 0x21, 0x06, //     acc = i32x4.splat 0
  ...productLoop(10, 8, 9, 6, 7),
  0x20, 0x03, 0x20, 0x0b, 0x41, 0x02, 0x74, 0x6a, //     out + k << 2
  ...laneSum(6),
  0x36, 0x02, 0x00, //     i32.store
  0x20, 0x0b, 0x41, 0x01, 0x6a, 0x21, 0x0b, //     k += 1
  0x0c, 0x00, //     continue the loop
  0x0b, 0x0b, //   end loop, end block
  0x0b, // end function
];
const CODE = section(0x0a, [0x01, ...uleb(DOTS.length), ...DOTS]);

const MODULE_BYTES = new Uint8Array([...HEADER, ...TYPES, ...IMPORTS, ...FUNCTIONS, ...EXPORTS, ...CODE]);

// The part of the WebAssembly JS API used here (its types live in TypeScript's DOM library, which this
// package, meant for Node, does not load).
type TModule = object;
type TMemory = { buffer: ArrayBuffer };
type TWebAssembly = {
  Module: new (bytes: Uint8Array) => TModule;
  Memory: new (descriptor: { initial: number }) => TMemory;
  Instance: new (module: TModule, imports: object) => { exports: Record<string, unknown> };
};
const wasm = (globalThis as { WebAssembly?: TWebAssembly }).WebAssembly;

let compiled: TModule | null | undefined;
const compiledModule = (): TModule | null => {
  if (compiled === undefined) {
    try {
      if (!wasm) throw new Error("no WebAssembly");
      compiled = new wasm.Module(MODULE_BYTES);
    } catch {
      compiled = null; // no WebAssembly SIMD here: callers keep their scalar loop
    }
  }
  return compiled;
};

const PAGE = 65_536;

// Largest query code: 127 x 16383 x 2 summed over a lane's n / 4 pairs stays far inside int32 for
// any n below 16,000 components.
const QUERY_MAX = 16_383;

/** Largest batch dots() takes: more than any node's links (2M on level 0). */
export const SIMD_BATCH = 1024;

export type TSimdVectors = {
  /** Components per stored vector in memory (the dimension rounded up to a multiple of 16). */
  stride: number;
  /** Codes the query into the kernel's memory; every dot() until the next call uses it. */
  setQuery(query: Float32Array): void;
  /** The inner product of the current query with vector `node`, from the codes (approximate): a
   * batch of one, so it overwrites the first of batchIds and batchProducts. */
  dot(node: number): number;
  /** Where a batch's node ids go (SIMD_BATCH of them at most) before dots(). */
  batchIds: Int32Array;
  /** dots(count) leaves here the raw products of the first `count` batchIds; times `scale()` each. */
  batchProducts: Int32Array;
  /** Scores the first `count` nodes of batchIds against the current query, in one call. */
  dots(count: number): void;
  /** What a raw product is multiplied by to approximate the float inner product. */
  scale(): number;
};

/**
 * Codes `count` vectors of `dim` components as int8 in WebAssembly memory for SIMD inner products,
 * or returns null where WebAssembly SIMD is unavailable.
 */
export const createSimdVectors = (vectors: Float32Array, count: number, dim: number): TSimdVectors | null => {
  const module = compiledModule();
  if (!module || !wasm) return null;
  const stride = Math.ceil(dim / 16) * 16;
  const queryBytes = stride * 2;
  const idsAt = queryBytes;
  const productsAt = idsAt + SIMD_BATCH * 4;
  const vectorsAt = productsAt + SIMD_BATCH * 4;
  const bytes = vectorsAt + count * stride;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const kernelMany = instance.exports.dots as (
    q: number,
    ids: number,
    count: number,
    out: number,
    base: number,
    stride: number,
  ) => void;
  const query = new Int16Array(memory.buffer, 0, stride);
  const codes = new Int8Array(memory.buffer, vectorsAt, count * stride);
  let max = 0;
  for (let i = 0; i < count * dim; i++) max = Math.max(max, Math.abs(vectors[i]!));
  const vectorScale = max === 0 ? 1 : max / 127;
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) codes[i * stride + d] = Math.round(vectors[i * dim + d]! / vectorScale);
  }
  const batchIds = new Int32Array(memory.buffer, idsAt, SIMD_BATCH);
  const batchProducts = new Int32Array(memory.buffer, productsAt, SIMD_BATCH);
  let scale = 0;
  return {
    stride,
    setQuery(q) {
      let qMax = 0;
      for (let d = 0; d < dim; d++) qMax = Math.max(qMax, Math.abs(q[d]!));
      const queryScale = qMax === 0 ? 1 : qMax / QUERY_MAX;
      for (let d = 0; d < dim; d++) query[d] = Math.round(q[d]! / queryScale);
      scale = vectorScale * queryScale;
    },
    dot(node) {
      batchIds[0] = node;
      kernelMany(0, idsAt, 1, productsAt, vectorsAt, stride);
      return batchProducts[0]! * scale;
    },
    batchIds,
    batchProducts,
    dots(n) {
      if (n > SIMD_BATCH) throw new RangeError(`SIMD batch of ${n} is above ${SIMD_BATCH}`);
      kernelMany(0, idsAt, n, productsAt, vectorsAt, stride);
    },
    scale: () => scale,
  };
};
