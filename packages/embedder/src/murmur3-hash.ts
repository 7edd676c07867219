// MurmurHash3, x86 32-bit variant, by Austin Appleby (public domain), as specified in
// https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp (MurmurHash3_x86_32).
// The constants below are that function's; it is used for feature hashing because it is fast,
// seedable and well mixed in every output bit (we take the bucket from the low bits and the sign
// from the top bit).

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** MurmurHash3_x86_32 of `bytes` with `seed`; returns an unsigned 32-bit integer. */
export const murmur3Bytes = (bytes: Uint8Array, seed: number, length: number = bytes.length): number => {
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // Tail: the last 1-3 bytes, little-endian, mixed like a block but without the h rotation.
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks]!;
    if (tail > 1) k |= bytes[blocks + 1]! << 8;
    if (tail > 2) k |= bytes[blocks + 2]! << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  // fmix32 finaliser.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** MurmurHash3_x86_32 of the UTF-8 bytes of `text`. */
export const murmur3 = (text: string, seed: number): number => {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return murmur3Bytes(scratch, seed, written);
};
