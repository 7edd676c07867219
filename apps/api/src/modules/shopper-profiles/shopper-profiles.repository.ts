// Profile sets, segment sets and segments (the metadata rows of this area); the data-plane SQL of a
// profile run is in profile.repository.ts. No decisions here.
import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { findConnectionPage } from "../core/pagination.ts";

/** The Prisma client or a transaction's client (a set and its audit entry commit together). */
export type TSetWriter = Pick<PrismaClient, "profileSet" | "segmentSet">;

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

export const createProfileSet = (
  db: TSetWriter,
  data: { eventsVersionId: string; params: Prisma.InputJsonValue },
) => db.profileSet.create({ data });

export const createSegmentSet = (
  db: TSetWriter,
  data: { profileSetId: string; algorithm: string; params: Prisma.InputJsonValue },
) => db.segmentSet.create({ data });

export const findProfileSetById = (deps: TDeps, id: string) =>
  deps.db.profileSet.findUnique({ where: { id } });

export const findSegmentSetById = (deps: TDeps, id: string) =>
  deps.db.segmentSet.findUnique({ where: { id } });

export const findSegmentById = (deps: TDeps, id: string) => deps.db.segment.findUnique({ where: { id } });

export const findSegmentIncludingSet = (deps: TDeps, id: string) =>
  deps.db.segment.findUnique({ where: { id }, include: { segmentSet: true } });

export const findSegmentSetWithProfiles = (deps: TDeps, id: string) =>
  deps.db.segmentSet.findUnique({ where: { id }, include: { profileSet: true } });

/** A set with its profile set's status, for the READY check other areas rely on. */
export const findSegmentSetStatus = (deps: TDeps, id: string) =>
  deps.db.segmentSet.findUnique({ where: { id }, include: { profileSet: { select: { status: true } } } });

/** A set with its profile set and its segments by index (the membership of a READY set). */
export const findSegmentSetWithSegments = (deps: TDeps, id: string) =>
  deps.db.segmentSet.findUnique({
    where: { id },
    include: { profileSet: true, segments: { orderBy: { index: "asc" } } },
  });

export const countSegmentsOf = (deps: TDeps, segmentSetId: string) =>
  deps.db.segment.count({ where: { segmentSetId } });

export const findProfileSetPage = (
  deps: TDeps,
  args: { eventsVersionId?: string | null; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.profileSet,
    { where: args.eventsVersionId ? { eventsVersionId: args.eventsVersionId } : {}, orderBy: NEWEST_FIRST },
    args,
  );

export const findSegmentSetPage = (
  deps: TDeps,
  args: { profileSetId?: string | null; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.segmentSet,
    { where: args.profileSetId ? { profileSetId: args.profileSetId } : {}, orderBy: NEWEST_FIRST },
    args,
  );

export const findSegmentsOf = (deps: TDeps, segmentSetId: string) =>
  deps.db.segment.findMany({ where: { segmentSetId }, orderBy: { index: "asc" } });

export const findSegmentSetsOf = (deps: TDeps, profileSetId: string) =>
  deps.db.segmentSet.findMany({ where: { profileSetId }, orderBy: { createdAt: "desc" } });

export const findBuildingSegmentSetsOf = (deps: TDeps, profileSetId: string) =>
  deps.db.segmentSet.findMany({ where: { profileSetId, status: "BUILDING" } });

/** Profile sets still BUILDING whose params name this embedding or feature set as their vectors. */
export const findProfileSetsWaitingFor = (deps: TDeps, vectorSetId: string) =>
  deps.db.profileSet.findMany({
    where: { status: "BUILDING", params: { path: ["vectorSource", "id"], equals: vectorSetId } },
  });

/** The newest READY profile set built against this catalogue version, else the newest READY one. */
export const findNewestReadyProfileSet = async (deps: TDeps, catalogVersionId: string) =>
  (await deps.db.profileSet.findFirst({
    where: { status: "READY", params: { path: ["catalogVersionId"], equals: catalogVersionId } },
    orderBy: NEWEST_FIRST,
  })) ?? deps.db.profileSet.findFirst({ where: { status: "READY" }, orderBy: NEWEST_FIRST });

/** The READY profile set created last. */
export const findLastCreatedReadyProfileSet = (deps: TDeps) =>
  deps.db.profileSet.findFirst({ where: { status: "READY" }, orderBy: { createdAt: "desc" } });

/** The newest READY segment set of a profile set, if any. */
export const findNewestReadySegmentSetOf = (deps: TDeps, profileSetId: string) =>
  deps.db.segmentSet.findFirst({
    where: { profileSetId, status: "READY" },
    orderBy: NEWEST_FIRST,
    select: { id: true },
  });

/** The newest READY segment set whose READY profiles were built from this events version. */
export const findNewestSegmentSetOfEvents = (deps: TDeps, eventsVersionId: string) =>
  deps.db.segmentSet.findFirst({
    where: { status: "READY", profileSet: { eventsVersionId, status: "READY" } },
    orderBy: NEWEST_FIRST,
    select: { id: true },
  });

export const markProfileSetReady = async (
  deps: TDeps,
  id: string,
  data: { userCount: number; location: string; params: Prisma.InputJsonValue },
): Promise<void> => {
  await deps.db.profileSet.update({ where: { id }, data: { status: "READY", ...data } });
};

export const markProfileSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.profileSet.update({ where: { id }, data: { status: "FAILED" } });
};

/** FAILED unless it already became READY. */
export const markUnfinishedProfileSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.profileSet.updateMany({
    where: { id, status: { not: "READY" } },
    data: { status: "FAILED" },
  });
};

/** FAILED unless it already became READY. */
export const markUnfinishedSegmentSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.segmentSet.updateMany({
    where: { id, status: { not: "READY" } },
    data: { status: "FAILED" },
  });
};

/** The segment sets of a profile set still BUILDING become FAILED (their profiles never will be). */
export const failBuildingSegmentSetsOf = async (deps: TDeps, profileSetId: string): Promise<void> => {
  await deps.db.segmentSet.updateMany({
    where: { profileSetId, status: "BUILDING" },
    data: { status: "FAILED" },
  });
};

/** Replaces a set's segments and marks it READY, in one transaction. */
export const saveSegments = async (
  deps: TDeps,
  setId: string,
  segments: Prisma.SegmentCreateManyInput[],
  data: { params: Prisma.InputJsonValue; metrics: Prisma.InputJsonValue },
): Promise<void> => {
  await deps.db.$transaction([
    deps.db.segment.deleteMany({ where: { segmentSetId: setId } }),
    deps.db.segment.createMany({ data: segments }),
    deps.db.segmentSet.update({ where: { id: setId }, data: { status: "READY", ...data } }),
  ]);
};
