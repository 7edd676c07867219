import { buildInteractionLog } from "@dam/recsys/interaction-log";
import { describe, expect, it } from "vitest";
import type { TSegmentMembership } from "../shopper-profiles/segment-membership.service.ts";
import { buildArtifactSegments } from "./model-segments.ts";

// Training users u1..u4; the segment set also holds "cold" (no training events) and "noise" (DBSCAN -1).
const log = buildInteractionLog([
  { user: "u1", item: "shoes", weight: 5 },
  { user: "u1", item: "socks", weight: 1 },
  { user: "u2", item: "socks", weight: 1 },
  { user: "u3", item: "tea", weight: 1 },
  { user: "u3", item: "socks", weight: 1 },
  { user: "u4", item: "tea", weight: 1 },
  { user: "u4", item: "cups", weight: 1 },
]);

const membership: TSegmentMembership = {
  setId: "set-1",
  algorithm: "DBSCAN",
  // Labels name segment indices, the artifact uses positions in this list: index 3 is position 1.
  segments: [
    { id: "seg-walk", index: 0, name: "Walkers" },
    { id: "seg-tea", index: 3, name: "Tea drinkers" },
  ],
  users: ["u1", "u2", "cold", "u3", "u4", "noise"],
  labels: Int32Array.from([0, 0, 0, 3, 3, -1]),
};

describe("buildArtifactSegments", () => {
  it("maps labels to positions, keeps noise out, and counts each segment's training members", () => {
    const { segments, summary } = buildArtifactSegments(log, membership, 3);
    expect(segments.list).toEqual(membership.segments);
    expect(segments.memberIds).toEqual(["u1", "u2", "cold", "u3", "u4"]);
    expect(Array.from(segments.memberSegment)).toEqual([0, 0, 0, 1, 1]);
    const name = (i: number) => (i < 0 ? null : log.itemIds[i]);
    // Walkers (u1, u2): socks 2, shoes 1. Tea drinkers (u3, u4): tea 2, then socks and cups 1 each
    // (the tie goes to the item seen first in the log: socks).
    expect(Array.from(segments.top.items.subarray(0, 3), name)).toEqual(["socks", "shoes", null]);
    expect(Array.from(segments.top.counts.subarray(0, 3))).toEqual([2, 1, 0]);
    expect(Array.from(segments.top.items.subarray(3, 6), name)).toEqual(["tea", "socks", "cups"]);
    expect(Array.from(segments.top.counts.subarray(3, 6))).toEqual([2, 1, 1]);
    expect(summary).toEqual({ setId: "set-1", segments: 2, members: 5, membersInTraining: 4 });
  });
});
