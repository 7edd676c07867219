// A WebAssembly kernel for the hot loop of an HNSW query: the inner product of the query with one
// stored vector, with 128-bit SIMD (in V8 since Node 16.4). A query at ef 256 on 100,000 x 64
// vectors takes thousands of these products at random places in memory, so the vectors are stored
// as int8 (one scale for all: a quarter of float32's memory traffic, one cache line per 64
// components) and the query as int16; i32x4.dot_i16x8_s multiplies and pairs eight lanes at a
// time. The order these products give is the inner-product order up to the rounding of the codes;
// the index rescores its final candidates in float. The module is small enough to assemble by
// hand, so it is listed below instruction by instruction and needs no toolchain.
//
// Memory layout: the int16 query at byte 0 (2 x stride bytes), then the int8 vectors, each padded
// with zeros to `stride` components, a multiple of 16, so every product runs whole 16-byte steps.

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

// Type section: one signature, (i32 query, i32 vector, i32 n) -> i32.
const TYPES = [0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f];
// Import section: memory "env"."memory", at least 1 page (the host makes it as large as needed).
const IMPORTS = [
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01,
];
// Function section: one function of type 0. Export section: it, as "dot".
const FUNCTIONS = [0x03, 0x02, 0x01, 0x00];
const EXPORTS = [0x07, 0x07, 0x01, 0x03, 0x64, 0x6f, 0x74, 0x00, 0x00];

// dot(a, b, n): sum over i < n of i16[a + 2i] * i8[b + i], n a multiple of 16; a and b are byte
// offsets. Locals: 0 a, 1 b, 2 n (parameters), 3 acc and 4 v (v128), 5 end (i32).
const BODY = [
  0x02,
  0x02,
  0x7b,
  0x01,
  0x7f, // locals: 2 x v128, 1 x i32
  0x20,
  0x01,
  0x20,
  0x02,
  0x6a,
  0x21,
  0x05, // end = b + n
  0x02,
  0x40, // block
  0x03,
  0x40, //   loop
  0x20,
  0x01,
  0x20,
  0x05,
  0x4f,
  0x0d,
  0x01, //     if b >= end (unsigned): break out of the block
  0x20,
  0x01,
  0xfd,
  0x00,
  0x00,
  0x00,
  0x21,
  0x04, //     v = v128.load b (16 x i8)
  0x20,
  0x03, //     acc
  0x20,
  0x04,
  0xfd,
  0x87,
  0x01, //     i16x8.extend_low_i8x16_s v
  0x20,
  0x00,
  0xfd,
  0x00,
  0x01,
  0x00, //     v128.load a (8 x i16)
  0xfd,
  0xba,
  0x01, //     i32x4.dot_i16x8_s
  0xfd,
  0xae,
  0x01, //     i32x4.add to acc
  0x20,
  0x04,
  0xfd,
  0x88,
  0x01, //     i16x8.extend_high_i8x16_s v
  0x20,
  0x00,
  0xfd,
  0x00,
  0x01,
  0x10, //     v128.load a + 16
  0xfd,
  0xba,
  0x01, //     i32x4.dot_i16x8_s
  0xfd,
  0xae,
  0x01, //     i32x4.add
  0x21,
  0x03, //     acc = that
  0x20,
  0x01,
  0x41,
  0x10,
  0x6a,
  0x21,
  0x01, //     b += 16
  0x20,
  0x00,
  0x41,
  0x20,
  0x6a,
  0x21,
  0x00, //     a += 32
  0x0c,
  0x00, //     continue the loop
  0x0b,
  0x0b, //   end loop, end block
  0x20,
  0x03,
  0xfd,
  0x1b,
  0x00, // i32x4.extract_lane 0
  0x20,
  0x03,
  0xfd,
  0x1b,
  0x01,
  0x6a, // + lane 1 (i32.add)
  0x20,
  0x03,
  0xfd,
  0x1b,
  0x02,
  0x6a, // + lane 2
  0x20,
  0x03,
  0xfd,
  0x1b,
  0x03,
  0x6a, // + lane 3
  0x0b, // end function
];
const CODE = [0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY];

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

export type TSimdVectors = {
  /** Components per stored vector in memory (the dimension rounded up to a multiple of 16). */
  stride: number;
  /** Codes the query into the kernel's memory; every dot() until the next call uses it. */
  setQuery(query: Float32Array): void;
  /** The inner product of the current query with vector `node`, from the codes (approximate). */
  dot(node: number): number;
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
  const bytes = queryBytes + count * stride;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const kernel = instance.exports.dot as (a: number, b: number, n: number) => number;
  const query = new Int16Array(memory.buffer, 0, stride);
  const codes = new Int8Array(memory.buffer, queryBytes, count * stride);
  let max = 0;
  for (let i = 0; i < count * dim; i++) max = Math.max(max, Math.abs(vectors[i]!));
  const vectorScale = max === 0 ? 1 : max / 127;
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) codes[i * stride + d] = Math.round(vectors[i * dim + d]! / vectorScale);
  }
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
    dot: (node) => kernel(0, queryBytes + node * stride, stride) * scale,
  };
};
