// A WebAssembly kernel for the hot loop of an HNSW query: the inner product of the query with one
// stored vector, four float32 lanes at a time (128-bit SIMD, in V8 since Node 16.4). A query at ef
// 256 on 100,000 x 64 vectors takes thousands of these products at random places; V8's scalar
// loop does one lane per instruction. The module is small enough to assemble by hand, so it is
// listed below instruction by instruction and needs no toolchain.
//
// Memory layout: the query at byte 0, then the vectors, each padded with zeros to a multiple of
// four components (`stride`), so every product runs whole 16-byte steps.

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

// Type section: one signature, (i32 a, i32 b, i32 n) -> f32.
const TYPES = [0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7d];
// Import section: memory "env"."memory", at least 1 page (the host makes it as large as needed).
const IMPORTS = [
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01,
];
// Function section: one function of type 0. Export section: it, as "dot".
const FUNCTIONS = [0x03, 0x02, 0x01, 0x00];
const EXPORTS = [0x07, 0x07, 0x01, 0x03, 0x64, 0x6f, 0x74, 0x00, 0x00];

// dot(a, b, n): sum over i < n of f32[a + 4i] * f32[b + 4i], n a multiple of 4; a and b are byte
// offsets. Locals: 0 a, 1 b, 2 n (parameters), 3 acc (v128), 4 end (i32).
const BODY = [
  0x02,
  0x01,
  0x7b,
  0x01,
  0x7f, // locals: 1 x v128, 1 x i32
  0x20,
  0x00,
  0x20,
  0x02,
  0x41,
  0x02,
  0x74,
  0x6a,
  0x21,
  0x04, // end = a + (n << 2)
  0x02,
  0x40, // block
  0x03,
  0x40, //   loop
  0x20,
  0x00,
  0x20,
  0x04,
  0x4f,
  0x0d,
  0x01, //     if a >= end (unsigned): break out of the block
  0x20,
  0x03, //     acc
  0x20,
  0x00,
  0xfd,
  0x00,
  0x02,
  0x00, //     v128.load a (align 4 bytes, offset 0)
  0x20,
  0x01,
  0xfd,
  0x00,
  0x02,
  0x00, //     v128.load b
  0xfd,
  0xe6,
  0x01, //     f32x4.mul
  0xfd,
  0xe4,
  0x01, //     f32x4.add: acc + a[0..3] * b[0..3]
  0x21,
  0x03, //     acc = that
  0x20,
  0x00,
  0x41,
  0x10,
  0x6a,
  0x21,
  0x00, //     a += 16
  0x20,
  0x01,
  0x41,
  0x10,
  0x6a,
  0x21,
  0x01, //     b += 16
  0x0c,
  0x00, //     continue the loop
  0x0b,
  0x0b, //   end loop, end block
  0x20,
  0x03,
  0xfd,
  0x1f,
  0x00, // f32x4.extract_lane 0
  0x20,
  0x03,
  0xfd,
  0x1f,
  0x01,
  0x92, // + lane 1 (f32.add)
  0x20,
  0x03,
  0xfd,
  0x1f,
  0x02,
  0x92, // + lane 2
  0x20,
  0x03,
  0xfd,
  0x1f,
  0x03,
  0x92, // + lane 3
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

export type TSimdVectors = {
  /** Components per stored vector in memory (the dimension rounded up to a multiple of 4). */
  stride: number;
  /** Copies the query into the kernel's memory; every dot() until the next call uses it. */
  setQuery(query: Float32Array): void;
  /** The inner product of the current query with vector `node`. */
  dot(node: number): number;
};

/**
 * Copies `count` vectors of `dim` components into WebAssembly memory for SIMD inner products, or
 * returns null where WebAssembly SIMD is unavailable.
 */
export const createSimdVectors = (vectors: Float32Array, count: number, dim: number): TSimdVectors | null => {
  const module = compiledModule();
  if (!module || !wasm) return null;
  const stride = Math.ceil(dim / 4) * 4;
  const queryBytes = stride * 4;
  const bytes = queryBytes + count * stride * 4;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  const kernel = instance.exports.dot as (a: number, b: number, n: number) => number;
  const query = new Float32Array(memory.buffer, 0, stride);
  const stored = new Float32Array(memory.buffer, queryBytes, count * stride);
  for (let i = 0; i < count; i++) stored.set(vectors.subarray(i * dim, (i + 1) * dim), i * stride);
  const rowBytes = stride * 4;
  return {
    stride,
    setQuery(q) {
      query.set(q.subarray(0, dim));
    },
    dot: (node) => kernel(0, queryBytes + node * rowBytes, stride),
  };
};
