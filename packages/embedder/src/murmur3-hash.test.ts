import { describe, expect, it } from "vitest";
import { murmur3, murmur3Bytes } from "./murmur3-hash.ts";

// Reference outputs of the C++ MurmurHash3_x86_32 (smhasher), the widely used test vectors.
describe("murmur3", () => {
  it("matches MurmurHash3_x86_32 reference values", () => {
    expect(murmur3("", 0)).toBe(0);
    expect(murmur3("", 1)).toBe(0x514e28b7);
    expect(murmur3("", 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3Bytes(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3("aaaa", 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3("aaa", 0x9747b28c)).toBe(0x283e0130);
    expect(murmur3("aa", 0x9747b28c)).toBe(0x5d211726);
    expect(murmur3("a", 0x9747b28c)).toBe(0x7fa09ea6);
    expect(murmur3("Hello, world!", 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3("The quick brown fox jumps over the lazy dog", 0x9747b28c)).toBe(0x2fa826cd);
  });

  it("hashes UTF-8 bytes, so non-ASCII text is stable", () => {
    // "π" is the two bytes CF 80.
    expect(murmur3("π", 7)).toBe(murmur3Bytes(new Uint8Array([0xcf, 0x80]), 7));
    expect(murmur3("π", 7)).not.toBe(murmur3("p", 7));
  });
});
