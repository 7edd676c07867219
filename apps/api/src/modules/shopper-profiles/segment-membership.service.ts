// Which segment each user of a READY segment set is in, for other areas (the training job carries it
// into a model artifact so serving can answer cold users from their segment's popular items).
import type { TDeps } from "../../deps.ts";
import { profileDir, readProfileUsers } from "./profile-artifact.ts";
import { readSegmentArtifact, segmentDir } from "./segment-artifact.ts";
import {
  countSegmentsOf,
  findNewestSegmentSetOfEvents,
  findSegmentSetById,
  findSegmentSetStatus,
  findSegmentSetWithSegments,
} from "./shopper-profiles.repository.ts";

export type TSegmentMembership = {
  setId: string;
  algorithm: string;
  /** The set's segments by index, with their Segment row ids and names. */
  segments: { id: string; index: number; name: string }[];
  /** The profile set's users in row order, and each one's segment index (-1 = DBSCAN noise). */
  users: string[];
  labels: Int32Array;
};

export type TSegmentSetCheck =
  | { ok: true; setId: string }
  | { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED"; message: string };

/** A segment set that exists and is READY, with READY profiles. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const checkSegmentSet = async (deps: TDeps, setId: string): Promise<TSegmentSetCheck> => {
  if (!UUID.test(setId))
    return { ok: false, code: "NOT_FOUND", message: `Segment set ${setId} does not exist` };
  const set = await findSegmentSetStatus(deps, setId);
  if (!set) return { ok: false, code: "NOT_FOUND", message: `Segment set ${setId} does not exist` };
  if (set.status !== "READY" || set.profileSet.status !== "READY") {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `Segment set ${setId} is ${set.status} (profiles ${set.profileSet.status}), not READY`,
    };
  }
  return { ok: true, setId };
};

/** The newest READY segment set whose profiles were built from this EVENTS version, if any. */
export const findNewestSegmentSetOf = async (
  deps: TDeps,
  eventsVersionId: string,
): Promise<string | null> => {
  const set = await findNewestSegmentSetOfEvents(deps, eventsVersionId);
  return set?.id ?? null;
};

/** Reads a READY set's membership from its artifacts; a failed check or a lost artifact is an error. */
export const readSegmentMembership = async (
  deps: TDeps,
  setId: string,
): Promise<{ ok: true; membership: TSegmentMembership } | Extract<TSegmentSetCheck, { ok: false }>> => {
  const check = await checkSegmentSet(deps, setId);
  if (!check.ok) return check;
  const set = await findSegmentSetWithSegments(deps, setId);
  if (!set) return { ok: false, code: "NOT_FOUND", message: `Segment set ${setId} does not exist` };
  const [segments, users] = await Promise.all([
    readSegmentArtifact(segmentDir(deps.env.ARTIFACTS_DIR, set.id)),
    readProfileUsers(set.profileSet.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.profileSetId)),
  ]);
  if (!segments || !users) {
    return { ok: false, code: "PRECONDITION_FAILED", message: `Segment set ${setId} has lost its artifact` };
  }
  if (segments.labels.length !== users.length) {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `Segment set ${setId} labels ${segments.labels.length} users, its profile set holds ${users.length}`,
    };
  }
  return {
    ok: true,
    membership: {
      setId: set.id,
      algorithm: set.algorithm,
      segments: set.segments.map((s) => ({ id: s.id, index: s.index, name: s.name })),
      users,
      labels: segments.labels,
    },
  };
};

/** A set's algorithm and number of segments, for naming it (a model's inputs); null when it is gone. */
export const describeSegmentSet = async (
  deps: TDeps,
  setId: string,
): Promise<{ algorithm: string; segments: number } | null> => {
  const set = await findSegmentSetById(deps, setId);
  return set ? { algorithm: set.algorithm, segments: await countSegmentsOf(deps, setId) } : null;
};
