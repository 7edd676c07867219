// The file format of a trained recommender, shared by the training job (writes) and the API's
// serving store (reads). Layout, all little-endian:
//   bytes 0..3   magic "DAMM"
//   bytes 4..7   uint32 format version
//   bytes 8..11  uint32 byte length H of the JSON header
//   bytes 12..   H bytes of UTF-8 JSON: scalar fields, id lists, and a table of typed arrays
//                { name, type, offset, length } with offsets from the start of the file
//   then the typed arrays, each starting on an 8-byte boundary, copied byte for byte.
// Format 2 adds one optional section, the per-segment popularity of cold-start serving (header field
// `segments` plus three arrays). A file without that section is still written as format 1, byte for
// byte as before, so older readers keep reading it; format 1 and 2 files both decode here.
// Format 3 adds the content section of CONTENT_RIDGE (header field `content` plus the array
// `content.solve`, the inverse of the normal equations' left side used for fold-in); files without it
// keep their format number.
// The decoder checks magic, version, header bounds, every array's bounds and the total length,
// and the array lengths against itemIds/userIds, so a truncated or foreign file fails loudly.

import type { TSegmentTopItems } from "./segment-popularity.ts";

export type TModelArtifact = {
  /** "POP" | "ITEMKNN" | "EASE" | "ALS" | "BPR" | "CONTENT" | "HYBRID" */
  algorithm: string;
  /** External item ids; position = internal item index used by every array below. */
  itemIds: string[];
  /** External user ids of the training users; position = internal user index. */
  userIds: string[];
  /** Per-item popularity score (interaction count in training), for fallbacks and cold start. */
  popularity: Float32Array;
  /** Factor models (ALS, BPR; CONTENT's item side): row-major |U|*dim and |I|*dim. */
  factors?: { dim: number; user: Float32Array; item: Float32Array };
  /** Neighbour models (ITEMKNN; EASE sparsified to its top-k per item): row-major |I|*k, index -1 = padding. */
  neighbours?: { k: number; index: Int32Array; weight: Float32Array };
  /** Blend of the parts above for HYBRID (and the default of 1 for the single part otherwise). */
  blend?: { factors?: number; neighbours?: number; popularity?: number; content?: number };
  /** Hyper-parameters as trained, for display. */
  params: Record<string, unknown>;
  /** Popularity within the segments of a segment set, for users the model cannot score (format 2). */
  segments?: TArtifactSegments;
  /** CONTENT_RIDGE: `factors.item` holds the item features X and `factors.user` the columns of W (format 3). */
  content?: TArtifactContent;
};

/**
 * What serving needs to fold a history into the content model: W[:, u] = A^-1 X^T r_u / N
 * (content-ridge.ts), so A^-1 (d x d, row-major), N and the feature blocks (for reasons).
 */
export type TArtifactContent = {
  /** The feature set (or embedding set) the item features came from; new items are read from it. */
  featureSetId: string;
  /** "FEATURE_SET" or "EMBEDDING_SET". */
  source: string;
  /** Items the objective was averaged over at the final fit (N of the seed formula). */
  n: number;
  lambda: number;
  /** Named column ranges of the feature vector, as the fusion job wrote them. */
  blocks: { name: string; offset: number; width: number }[];
  /** A^-1, d x d row-major, A = X^T X / N + (lambda / 2) I. */
  solve: Float32Array;
  /**
   * A HYBRID's content part keeps its own X (items x dim) and W's columns (users x dim) here, since its
   * factors hold ALS's; CONTENT_RIDGE leaves these out (they are its factors).
   */
  dim?: number;
  item?: Float32Array;
  user?: Float32Array;
};

export type TArtifactSegments = {
  /** The SegmentSet the membership and the counts come from. */
  setId: string;
  /** One entry per segment position: the Segment row id, its index within the set and its name. */
  list: { id: string; index: number; name: string }[];
  /** Users of the segment set who are in a segment (DBSCAN noise left out). */
  memberIds: string[];
  /** Segment position of each member, aligned with memberIds. */
  memberSegment: Int32Array;
  /** Each segment's most popular training items, |segments| x k, best first, -1 = padding. */
  top: TSegmentTopItems;
};

const MAGIC = [0x44, 0x41, 0x4d, 0x4d]; // "DAMM"
const FORMAT_VERSION = 1;
/** The format of files carrying the optional segments section. */
const SEGMENTS_FORMAT_VERSION = 2;
/** The format of files carrying the content section (and possibly segments). */
const CONTENT_FORMAT_VERSION = 3;
const PREFIX_BYTES = 12;
const ALIGN = 8;

type TArrayType = "f32" | "i32";
type TArrayEntry = { name: string; type: TArrayType; offset: number; length: number };
type THeader = {
  algorithm: string;
  itemIds: string[];
  userIds: string[];
  params: Record<string, unknown>;
  blend?: TModelArtifact["blend"];
  factorDim?: number;
  neighbourK?: number;
  segments?: { setId: string; list: TArtifactSegments["list"]; memberIds: string[]; topK: number };
  content?: Omit<TArtifactContent, "solve" | "item" | "user">;
  arrays: TArrayEntry[];
};

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

const fail = (what: string): never => {
  throw new Error(`Model artifact: ${what}`);
};

/** Serialises an artifact; throws when its arrays disagree with its id lists. */
export const encodeModelArtifact = (artifact: TModelArtifact): Uint8Array => {
  checkShapes(artifact);
  const arrays: { name: string; type: TArrayType; data: Float32Array | Int32Array }[] = [
    { name: "popularity", type: "f32", data: artifact.popularity },
  ];
  if (artifact.factors) {
    arrays.push({ name: "factors.user", type: "f32", data: artifact.factors.user });
    arrays.push({ name: "factors.item", type: "f32", data: artifact.factors.item });
  }
  if (artifact.neighbours) {
    arrays.push({ name: "neighbours.index", type: "i32", data: artifact.neighbours.index });
    arrays.push({ name: "neighbours.weight", type: "f32", data: artifact.neighbours.weight });
  }
  const { segments } = artifact;
  if (segments) {
    arrays.push({ name: "segments.member", type: "i32", data: segments.memberSegment });
    arrays.push({ name: "segments.topItems", type: "i32", data: segments.top.items });
    arrays.push({ name: "segments.topCounts", type: "f32", data: segments.top.counts });
  }
  const { content } = artifact;
  if (content) arrays.push({ name: "content.solve", type: "f32", data: content.solve });
  if (content?.item && content.user) {
    arrays.push({ name: "content.item", type: "f32", data: content.item });
    arrays.push({ name: "content.user", type: "f32", data: content.user });
  }
  const headerOf = (offsets: number[]): THeader => ({
    algorithm: artifact.algorithm,
    itemIds: artifact.itemIds,
    userIds: artifact.userIds,
    params: artifact.params,
    ...(artifact.blend ? { blend: artifact.blend } : {}),
    ...(artifact.factors ? { factorDim: artifact.factors.dim } : {}),
    ...(artifact.neighbours ? { neighbourK: artifact.neighbours.k } : {}),
    ...(segments
      ? {
          segments: {
            setId: segments.setId,
            list: segments.list,
            memberIds: segments.memberIds,
            topK: segments.top.k,
          },
        }
      : {}),
    ...(content
      ? {
          content: {
            featureSetId: content.featureSetId,
            source: content.source,
            n: content.n,
            lambda: content.lambda,
            blocks: content.blocks,
            ...(content.dim !== undefined ? { dim: content.dim } : {}),
          },
        }
      : {}),
    arrays: arrays.map((a, i) => ({
      name: a.name,
      type: a.type,
      offset: offsets[i]!,
      length: a.data.length,
    })),
  });
  // Offsets depend on the header's length, which depends on the offsets' digits: lay out with
  // placeholder offsets, then recompute until the layout is stable (two passes at most in practice).
  let offsets = arrays.map(() => 0);
  let json = new TextEncoder().encode(JSON.stringify(headerOf(offsets)));
  for (let pass = 0; pass < 4; pass++) {
    let cursor = alignUp(PREFIX_BYTES + json.length);
    const next = arrays.map((a) => {
      const at = cursor;
      cursor = alignUp(at + a.data.byteLength);
      return at;
    });
    const nextJson = new TextEncoder().encode(JSON.stringify(headerOf(next)));
    const stable = nextJson.length === json.length && next.every((o, i) => o === offsets[i]);
    offsets = next;
    json = nextJson;
    if (stable) break;
  }
  const last = arrays.length - 1;
  const total = offsets[last]! + arrays[last]!.data.byteLength;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  const format = content ? CONTENT_FORMAT_VERSION : segments ? SEGMENTS_FORMAT_VERSION : FORMAT_VERSION;
  view.setUint32(4, format, true);
  view.setUint32(8, json.length, true);
  out.set(json, PREFIX_BYTES);
  if (alignUp(PREFIX_BYTES + json.length) > offsets[0]!) fail("internal layout error (header overlaps data)");
  arrays.forEach((a, i) => {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offsets[i]!);
  });
  return out;
};

/** Parses an artifact; throws a clear error on a bad magic, an unknown version or a truncated file. */
export const decodeModelArtifact = (bytes: Uint8Array): TModelArtifact => {
  if (bytes.length < PREFIX_BYTES)
    fail(`${bytes.length} bytes, shorter than the ${PREFIX_BYTES}-byte prefix`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) fail('bad magic number (expected "DAMM"), not a model artifact');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (
    version !== FORMAT_VERSION &&
    version !== SEGMENTS_FORMAT_VERSION &&
    version !== CONTENT_FORMAT_VERSION
  ) {
    fail(
      `unsupported format version ${version} (this reader knows ${FORMAT_VERSION} to ${CONTENT_FORMAT_VERSION})`,
    );
  }
  const headerBytes = view.getUint32(8, true);
  if (PREFIX_BYTES + headerBytes > bytes.length) {
    fail(`truncated: header of ${headerBytes} bytes runs past the end of a ${bytes.length}-byte file`);
  }
  let header: THeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch (error) {
    return fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(header.arrays) || !Array.isArray(header.itemIds) || !Array.isArray(header.userIds)) {
    fail("header lacks arrays, itemIds or userIds");
  }
  const read = (name: string): Float32Array | Int32Array | undefined => {
    const entry = header.arrays.find((a) => a.name === name);
    if (!entry) return undefined;
    const end = entry.offset + entry.length * 4;
    if (entry.offset < PREFIX_BYTES + headerBytes || end > bytes.length) {
      fail(`truncated: array ${name} needs bytes ${entry.offset}..${end}, file has ${bytes.length}`);
    }
    const start = bytes.byteOffset + entry.offset;
    // Aligned input (the usual case: a fresh Buffer from readFile) is viewed in place; otherwise copied.
    const source = start % 4 === 0 ? bytes.buffer : bytes.slice(entry.offset, end).buffer;
    const at = start % 4 === 0 ? start : 0;
    return entry.type === "i32"
      ? new Int32Array(source, at, entry.length)
      : new Float32Array(source, at, entry.length);
  };
  const lastEnd = Math.max(...header.arrays.map((a) => a.offset + a.length * 4));
  if (lastEnd > bytes.length) fail(`truncated: ${bytes.length} bytes, header implies ${lastEnd}`);
  if (lastEnd < bytes.length)
    fail(`${bytes.length - lastEnd} trailing bytes: ${bytes.length} bytes, header implies ${lastEnd}`);
  const popularity = read("popularity") as Float32Array | undefined;
  if (!popularity) return fail("no popularity array");
  const artifact: TModelArtifact = {
    algorithm: header.algorithm,
    itemIds: header.itemIds,
    userIds: header.userIds,
    popularity,
    params: header.params ?? {},
  };
  if (header.blend) artifact.blend = header.blend;
  if (header.factorDim !== undefined) {
    const user = read("factors.user") as Float32Array | undefined;
    const item = read("factors.item") as Float32Array | undefined;
    if (!user || !item) fail("factor dimension given but factor arrays missing");
    artifact.factors = { dim: header.factorDim, user: user!, item: item! };
  }
  if (header.neighbourK !== undefined) {
    const index = read("neighbours.index") as Int32Array | undefined;
    const weight = read("neighbours.weight") as Float32Array | undefined;
    if (!index || !weight) fail("neighbour k given but neighbour arrays missing");
    artifact.neighbours = { k: header.neighbourK, index: index!, weight: weight! };
  }
  if (header.segments !== undefined) {
    if (version === FORMAT_VERSION) fail(`format ${version} cannot carry a segments section`);
    const { setId, list, memberIds, topK } = header.segments;
    const member = read("segments.member") as Int32Array | undefined;
    const items = read("segments.topItems") as Int32Array | undefined;
    const counts = read("segments.topCounts") as Float32Array | undefined;
    if (!Array.isArray(list) || !Array.isArray(memberIds) || !member || !items || !counts) {
      fail("segments section given but its lists or arrays are missing");
    }
    artifact.segments = {
      setId,
      list,
      memberIds,
      memberSegment: member!,
      top: { k: topK, items: items!, counts: counts! },
    };
  }
  if (header.content !== undefined) {
    if (version !== CONTENT_FORMAT_VERSION) fail(`format ${version} cannot carry a content section`);
    const solve = read("content.solve") as Float32Array | undefined;
    if (!solve || !Array.isArray(header.content.blocks))
      fail("content section given but its solve array or blocks are missing");
    const item = read("content.item") as Float32Array | undefined;
    const user = read("content.user") as Float32Array | undefined;
    artifact.content = { ...header.content, solve: solve!, ...(item && user ? { item, user } : {}) };
  }
  checkShapes(artifact);
  return artifact;
};

const checkShapes = (a: TModelArtifact) => {
  const items = a.itemIds.length;
  const users = a.userIds.length;
  if (a.popularity.length !== items) fail(`popularity has ${a.popularity.length} entries for ${items} items`);
  if (a.factors) {
    const { dim, user, item } = a.factors;
    if (!Number.isInteger(dim) || dim <= 0) fail(`factor dimension ${dim} is not a positive integer`);
    if (user.length !== users * dim)
      fail(`factors.user has ${user.length} values, expected ${users} x ${dim}`);
    if (item.length !== items * dim)
      fail(`factors.item has ${item.length} values, expected ${items} x ${dim}`);
  }
  if (a.neighbours) {
    const { k, index, weight } = a.neighbours;
    if (!Number.isInteger(k) || k <= 0) fail(`neighbour k ${k} is not a positive integer`);
    if (index.length !== items * k)
      fail(`neighbours.index has ${index.length} values, expected ${items} x ${k}`);
    if (weight.length !== items * k)
      fail(`neighbours.weight has ${weight.length} values, expected ${items} x ${k}`);
    for (let t = 0; t < index.length; t++) {
      const j = index[t]!;
      if (j < -1 || j >= items) fail(`neighbours.index[${t}] = ${j} is outside -1..${items - 1}`);
    }
  }
  if (a.segments) checkSegments(a.segments, items);
  if (a.content) {
    const own = a.content.item !== undefined;
    const dim = own ? a.content.dim : a.factors?.dim;
    if (dim === undefined) fail("a content section needs its item features (in factors or its own)");
    if (own && (a.content.item!.length !== items * dim! || a.content.user?.length !== users * dim!)) {
      fail(`content.item / content.user do not hold ${items} / ${users} rows of ${dim} features`);
    }
    if (a.content.solve.length !== dim! * dim!)
      fail(`content.solve has ${a.content.solve.length} values, expected ${dim} x ${dim}`);
    for (const block of a.content.blocks) {
      if (block.offset < 0 || block.width <= 0 || block.offset + block.width > dim!)
        fail(`content block ${block.name} (${block.offset}+${block.width}) is outside the ${dim} features`);
    }
  }
};

const checkSegments = (s: TArtifactSegments, items: number) => {
  const count = s.list.length;
  if (s.memberSegment.length !== s.memberIds.length) {
    fail(`segments.member has ${s.memberSegment.length} entries for ${s.memberIds.length} members`);
  }
  for (let m = 0; m < s.memberSegment.length; m++) {
    const p = s.memberSegment[m]!;
    if (p < 0 || p >= count) fail(`segments.member[${m}] = ${p} is outside 0..${count - 1}`);
  }
  const { k, items: top, counts } = s.top;
  if (!Number.isInteger(k) || k < 0) fail(`segments top k ${k} is not a non-negative integer`);
  if (top.length !== count * k || counts.length !== count * k) {
    fail(`segments top lists have ${top.length} / ${counts.length} values, expected ${count} x ${k}`);
  }
  for (let t = 0; t < top.length; t++) {
    const j = top[t]!;
    if (j < -1 || j >= items) fail(`segments.topItems[${t}] = ${j} is outside -1..${items - 1}`);
  }
};
