import { describe, expect, it } from "vitest";
import { decodeModelArtifact, encodeModelArtifact, type TModelArtifact } from "./model-artifact.ts";

const hybrid = (): TModelArtifact => ({
  algorithm: "HYBRID",
  itemIds: ["sku-1", "sku-2", "sku-3"],
  userIds: ["u-1", "u-2"],
  popularity: Float32Array.from([5, 3, 1]),
  factors: {
    dim: 2,
    user: Float32Array.from([0.5, -1, 2, 0.25]),
    item: Float32Array.from([1, 2, 3, 4, 5, 6]),
  },
  neighbours: {
    k: 2,
    index: Int32Array.from([1, 2, 0, -1, 0, 1]),
    weight: Float32Array.from([0.9, 0.1, 0.8, 0, 0.3, 0.2]),
  },
  blend: { factors: 0.5, neighbours: 0.3, popularity: 0.2 },
  params: { factors: 2, lambda: 0.1, note: "ünïcode" },
});

describe("model artifact codec", () => {
  it("round-trips every field, typed arrays byte for byte", () => {
    const original = hybrid();
    const bytes = encodeModelArtifact(original);
    const decoded = decodeModelArtifact(bytes);
    expect(decoded.algorithm).toBe("HYBRID");
    expect(decoded.itemIds).toEqual(original.itemIds);
    expect(decoded.userIds).toEqual(original.userIds);
    expect(decoded.params).toEqual(original.params);
    expect(decoded.blend).toEqual(original.blend);
    expect(decoded.popularity).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.popularity)).toEqual([5, 3, 1]);
    expect(decoded.factors?.dim).toBe(2);
    expect(Array.from(decoded.factors!.user)).toEqual([0.5, -1, 2, 0.25]);
    expect(Array.from(decoded.factors!.item)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decoded.neighbours?.k).toBe(2);
    expect(decoded.neighbours!.index).toBeInstanceOf(Int32Array);
    expect(Array.from(decoded.neighbours!.index)).toEqual([1, 2, 0, -1, 0, 1]);
    expect(Array.from(decoded.neighbours!.weight)).toEqual(Array.from(original.neighbours!.weight));
  });

  it("round-trips a popularity-only model without optional parts", () => {
    const pop: TModelArtifact = {
      algorithm: "POP",
      itemIds: ["a"],
      userIds: [],
      popularity: Float32Array.of(7),
      params: {},
    };
    const decoded = decodeModelArtifact(encodeModelArtifact(pop));
    expect(decoded.factors).toBeUndefined();
    expect(decoded.neighbours).toBeUndefined();
    expect(decoded.blend).toBeUndefined();
    expect(Array.from(decoded.popularity)).toEqual([7]);
  });

  it("decodes from an unaligned slice of a larger buffer (copying)", () => {
    const bytes = encodeModelArtifact(hybrid());
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 3);
    const decoded = decodeModelArtifact(host.subarray(3));
    expect(Array.from(decoded.factors!.item)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("aligns every array on 8 bytes", () => {
    const bytes = encodeModelArtifact(hybrid());
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(header.arrays).toHaveLength(5);
    for (const entry of header.arrays) expect(entry.offset % 8).toBe(0);
  });

  it("refuses a bad magic number", () => {
    const bytes = encodeModelArtifact(hybrid());
    bytes[0] = 0x50;
    expect(() => decodeModelArtifact(bytes)).toThrow(/bad magic number/);
  });

  it("refuses an unknown format version", () => {
    const bytes = encodeModelArtifact(hybrid());
    new DataView(bytes.buffer).setUint32(4, 99, true);
    expect(() => decodeModelArtifact(bytes)).toThrow(/unsupported format version 99/);
  });

  it("refuses a truncated file at every cut point class", () => {
    const bytes = encodeModelArtifact(hybrid());
    expect(() => decodeModelArtifact(bytes.subarray(0, 6))).toThrow(/shorter than the 12-byte prefix/);
    expect(() => decodeModelArtifact(bytes.subarray(0, 40))).toThrow(/truncated: header/);
    expect(() => decodeModelArtifact(bytes.subarray(0, bytes.length - 4))).toThrow(
      /truncated: \d+ bytes, header implies \d+/,
    );
    expect(() => decodeModelArtifact(bytes.subarray(0, bytes.length - 60))).toThrow(/truncated/);
  });

  it("refuses trailing bytes after the last array", () => {
    const bytes = encodeModelArtifact(hybrid());
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(() => decodeModelArtifact(longer)).toThrow(/8 trailing bytes/);
  });

  it("refuses to encode arrays that disagree with the id lists", () => {
    const bad = hybrid();
    bad.factors!.item = new Float32Array(5);
    expect(() => encodeModelArtifact(bad)).toThrow(/factors.item has 5 values, expected 3 x 2/);
    const badPop = hybrid();
    badPop.popularity = new Float32Array(2);
    expect(() => encodeModelArtifact(badPop)).toThrow(/popularity has 2 entries for 3 items/);
  });

  it("refuses neighbour indices outside the catalogue", () => {
    const bad = hybrid();
    bad.neighbours!.index[1] = 3;
    expect(() => encodeModelArtifact(bad)).toThrow(/neighbours.index\[1\] = 3/);
  });
});

describe("model artifact codec: the segments section (format 2)", () => {
  const withSegments = (): TModelArtifact => ({
    ...hybrid(),
    segments: {
      setId: "00000000-0000-4000-8000-000000000051",
      list: [
        { id: "seg-a", index: 0, name: "Bargain hunters" },
        { id: "seg-b", index: 2, name: "Ünïcode fans" },
      ],
      memberIds: ["u-1", "cold-9", "cold-8"],
      memberSegment: Int32Array.from([0, 1, 1]),
      top: { k: 2, items: Int32Array.from([2, 0, 1, -1]), counts: Float32Array.from([4, 3, 7, 0]) },
    },
  });

  it("round-trips the segment list, membership and top items, and writes format 2", () => {
    const original = withSegments();
    const bytes = encodeModelArtifact(original);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(2);
    const decoded = decodeModelArtifact(bytes);
    expect(decoded.segments?.setId).toBe(original.segments!.setId);
    expect(decoded.segments?.list).toEqual(original.segments!.list);
    expect(decoded.segments?.memberIds).toEqual(["u-1", "cold-9", "cold-8"]);
    expect(decoded.segments!.memberSegment).toBeInstanceOf(Int32Array);
    expect(Array.from(decoded.segments!.memberSegment)).toEqual([0, 1, 1]);
    expect(decoded.segments!.top.k).toBe(2);
    expect(Array.from(decoded.segments!.top.items)).toEqual([2, 0, 1, -1]);
    expect(Array.from(decoded.segments!.top.counts)).toEqual([4, 3, 7, 0]);
    // The other parts are untouched by the extra section.
    expect(Array.from(decoded.factors!.item)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(decoded.neighbours!.index)).toEqual([1, 2, 0, -1, 0, 1]);
  });

  it("still writes an artifact without segments as format 1, readable as before", () => {
    const bytes = encodeModelArtifact(hybrid());
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(1);
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(Object.keys(header)).toEqual([
      "algorithm",
      "itemIds",
      "userIds",
      "params",
      "blend",
      "factorDim",
      "neighbourK",
      "arrays",
    ]);
    expect(decodeModelArtifact(bytes).segments).toBeUndefined();
  });

  it("refuses a format-1 file that claims a segments section", () => {
    const bytes = encodeModelArtifact(withSegments());
    new DataView(bytes.buffer).setUint32(4, 1, true);
    expect(() => decodeModelArtifact(bytes)).toThrow(/format 1 cannot carry a segments section/);
  });

  it("refuses membership or top items that disagree with the segment list or the catalogue", () => {
    const badMember = withSegments();
    badMember.segments!.memberSegment[2] = 2;
    expect(() => encodeModelArtifact(badMember)).toThrow(/segments.member\[2\] = 2 is outside 0..1/);
    const badItem = withSegments();
    badItem.segments!.top.items[1] = 3;
    expect(() => encodeModelArtifact(badItem)).toThrow(/segments.topItems\[1\] = 3 is outside -1..2/);
    const short = withSegments();
    short.segments!.memberIds = ["u-1"];
    expect(() => encodeModelArtifact(short)).toThrow(/segments.member has 3 entries for 1 members/);
  });
});
