// The segments section of a model artifact: the segment set's membership and, per segment, the items
// most of its members interacted with in this model's training data. Serving answers a user the model
// cannot score (not trained on, no tracked events) from their segment's list. No I/O here.
import { matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import type { TArtifactSegments } from "@dam/recsys/model-artifact";
import { countSegmentPopularity } from "@dam/recsys/segment-popularity";
import type { TSegmentMembership } from "../shopper-profiles/segment-membership.service.ts";

/**
 * Items kept per segment. `recommend` asks for at most 100; the rest is headroom for excludeSeen and
 * category/price filters before the answer has to be filled from overall popularity. 100 segments x
 * 500 items x 8 bytes is 400 KB per artifact.
 */
export const SEGMENT_TOP_ITEMS = 500;

export type TSegmentSummary = {
  setId: string;
  segments: number;
  /** Users of the set in a segment (noise excluded). */
  members: number;
  /** Of those, how many are training users (the ones whose interactions are counted). */
  membersInTraining: number;
};

/** Segment position (in the set's order) of each log user, -1 for users in no segment. */
export const segmentOfLogUsers = (log: TInteractionLog, membership: TSegmentMembership): Int32Array => {
  const positions = new Map(membership.segments.map((segment, p) => [segment.index, p]));
  const userSegment = new Int32Array(log.userIds.length).fill(-1);
  membership.users.forEach((user, row) => {
    const p = positions.get(membership.labels[row]!);
    const u = log.userIndex.get(user);
    if (p !== undefined && u !== undefined) userSegment[u] = p;
  });
  return userSegment;
};

export const buildArtifactSegments = (
  log: TInteractionLog,
  membership: TSegmentMembership,
  k = SEGMENT_TOP_ITEMS,
): { segments: TArtifactSegments; summary: TSegmentSummary } => {
  // Positions follow the set's segments by index; a label without a Segment row (none is written
  // so, but the artifact and the rows are separate files) counts as no segment, like DBSCAN noise.
  const positions = new Map(membership.segments.map((segment, p) => [segment.index, p]));
  const userSegment = segmentOfLogUsers(log, membership);
  const memberIds: string[] = [];
  const memberSegment: number[] = [];
  let membersInTraining = 0;
  membership.users.forEach((user, row) => {
    const p = positions.get(membership.labels[row]!);
    if (p === undefined) return;
    memberIds.push(user);
    memberSegment.push(p);
    if (log.userIndex.has(user)) membersInTraining++;
  });
  const top = countSegmentPopularity(matrixFromLog(log), userSegment, membership.segments.length, k);
  return {
    segments: {
      setId: membership.setId,
      list: membership.segments.map(({ id, index, name }) => ({ id, index, name })),
      memberIds,
      memberSegment: Int32Array.from(memberSegment),
      top,
    },
    summary: {
      setId: membership.setId,
      segments: membership.segments.length,
      members: memberIds.length,
      membersInTraining,
    },
  };
};
