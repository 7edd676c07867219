import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { qualifiedTable } from "@dam/db/data-plane";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logSearch } from "../src/modules/features/search-analytics.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { RETENTION_CRON, RETENTION_SCHEDULER_ID } from "../src/modules/privacy/privacy.jobs.ts";
import { armNightlyRetention } from "../src/modules/privacy/retention.service.ts";
import { historyKey } from "../src/modules/serving/track-events.ts";
import { profileDir } from "../src/modules/shopper-profiles/profile-artifact.ts";
import { readSegmentArtifact, segmentDir } from "../src/modules/shopper-profiles/segment-artifact.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// One person (an email on a users table, whose user id has events, a profile, a segment, live events and
// an audience row) is erased; then every version table, artifact file, upload and event table is scanned.
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let uploadsDir: string;
let subjectId: string;
const SUBJECT_EMAIL = "erase.me@example.com";
let eventsVersionId: string;
let usersVersionId: string;
let usersDatasetId: string;
let eventsDatasetId: string;
let modelId: string;
let profileSetId: string;
let segmentSetId: string;
let viewerToken: string;

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
const waitForJob = (id: string, what: string, timeoutMs = 180_000) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && TERMINAL.includes(job.status) ? job : undefined;
    },
    { what, timeoutMs, intervalMs: 250 },
  );

const settleVersion = (versionId: string) =>
  waitFor(
    async () => {
      const jobs = await stack.deps.db.job.findMany({ where: { inputIds: { has: versionId } } });
      const classified = jobs.some((j) => j.name === "privacy.classify" && j.status === "COMPLETED");
      const busy = jobs.some((j) => j.status === "QUEUED" || j.status === "RUNNING");
      return classified && !busy ? true : undefined;
    },
    { what: `jobs of version ${versionId}`, timeoutMs: 90_000 },
  );

/** Copies a file into the uploads directory with an Upload row, as the upload endpoint leaves it. */
const storeUpload = async (file: string, name: string) => {
  const target = path.join(uploadsDir, `${Date.now()}-${name}`);
  await copyFile(file, target);
  const body = await readFile(target);
  return stack.deps.db.upload.create({
    data: {
      originalName: name,
      path: target,
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
    },
  });
};

const EVENT_ROLES = {
  event_id: "eventId",
  user_id: "userId",
  item_id: "itemId",
  event_type: "eventType",
  timestamp: "timestamp",
  session_id: "sessionId",
  quantity: "quantity",
  price: "price",
} as const;

const importUsers = async (file: string) => {
  const upload = await storeUpload(file, "users.csv");
  const imported = await importAndWait(stack, {
    name: "erasure_users",
    kind: "USERS",
    source: { paths: [upload.path], format: "csv", roles: { user_id: "userId" }, types: {} },
  });
  expect(imported.version.status).toBe("READY");
  await settleVersion(imported.version.id);
  return { ...imported, upload };
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-erasure-"));
  uploadsDir = path.join(dir, "uploads");
  await mkdir(uploadsDir, { recursive: true });
  stack = await startTestStack({
    MODELS_DIR: path.join(dir, "models"),
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
  });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, [
    "ingest",
    "quality",
    "features",
    "training",
    "maintenance",
  ]);
  const shop = await writeDemoShop(path.join(dir, "shop"), {
    seed: 11,
    users: 120,
    products: 80,
    events: 3_000,
  });
  const eventsText = await readFile(shop.files.events, "utf8");
  const header = eventsText.split("\n")[0]!.split(",");
  const userCol = header.indexOf("user_id");
  const ids = eventsText
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[userCol] ?? "")
    .filter((id) => /^[A-Za-z0-9_-]+$/.test(id));
  subjectId = ids[0]!;
  const others = [...new Set(ids)].filter((id) => id !== subjectId).slice(0, 30);
  const usersFile = path.join(dir, "users.csv");
  await writeFile(
    usersFile,
    [
      "user_id,email,full_name",
      // The person signed up three times: their email is the users profile's top value.
      `${subjectId},${SUBJECT_EMAIL},Erin Mayer`,
      `${subjectId},${SUBJECT_EMAIL},Erin Mayer`,
      `${subjectId},${SUBJECT_EMAIL},Erin Mayer`,
      ...others.map((id, i) => `${id},person${i}@example.org,Person Number${i}`),
    ].join("\n") + "\n",
  );
  const eventsUpload = await storeUpload(shop.files.events, "events.csv");
  const events = await importAndWait(stack, {
    name: "erasure_events",
    kind: "EVENTS",
    source: { paths: [eventsUpload.path], format: "csv", roles: EVENT_ROLES, types: {} },
  });
  expect(events.version.status).toBe("READY");
  eventsVersionId = events.version.id;
  eventsDatasetId = events.dataset.id;
  await settleVersion(eventsVersionId);
  const usersImport = await importUsers(usersFile);
  usersVersionId = usersImport.version.id;
  usersDatasetId = usersImport.dataset.id;

  const profiled = await stack.gql<{ profileUsers: { profileSet: { id: string }; job: { id: string } } }>(
    "mutation($e: ID!) { profileUsers(eventsVersionId: $e) { profileSet { id } job { id } } }",
    { e: eventsVersionId },
  );
  expect(profiled.errors).toBeUndefined();
  profileSetId = profiled.data!.profileUsers.profileSet.id;
  expect((await waitForJob(profiled.data!.profileUsers.job.id, "profiles")).status).toBe("COMPLETED");
  const segmented = await stack.gql<{ segmentUsers: { segmentSet: { id: string }; job: { id: string } } }>(
    "mutation($p: ID!, $params: JSON) { segmentUsers(profileSetId: $p, params: $params) { segmentSet { id } job { id } } }",
    { p: profileSetId, params: { k: 3, features: { categories: 0, bands: 0, eventTypes: 1, rfm: 1 } } },
  );
  expect(segmented.errors).toBeUndefined();
  segmentSetId = segmented.data!.segmentUsers.segmentSet.id;
  expect((await waitForJob(segmented.data!.segmentUsers.job.id, "segments")).status).toBe("COMPLETED");
  // An audience export of the subject's segment: an export version holding their user id.
  const labels = await readSegmentArtifact(segmentDir(stack.deps.env.ARTIFACTS_DIR, segmentSetId));
  const users = (
    await readFile(path.join(profileDir(stack.deps.env.ARTIFACTS_DIR, profileSetId), "users.jsonl"), "utf8")
  )
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);
  const subjectSegment = labels!.labels[users.indexOf(subjectId)]!;
  const segment = await stack.deps.db.segment.findFirstOrThrow({
    where: { segmentSetId, index: subjectSegment },
  });
  const exported = await stack.gql<{ exportSegmentAudience: { id: string } }>(
    `mutation($id: ID!) { exportSegmentAudience(segmentId: $id, datasetName: "erasure_audience") { id } }`,
    { id: segment.id },
  );
  expect(exported.errors).toBeUndefined();
  expect((await waitForJob(exported.data!.exportSegmentAudience.id, "audience")).status).toBe("COMPLETED");

  const trained = await stack.gql<{ trainModel: { id: string; inputIds: string[] } }>(
    "mutation($input: TrainModelInput!) { trainModel(input: $input) { id inputIds } }",
    { input: { name: "erasure-pop", algorithm: "POP", eventsVersionId } },
  );
  expect(trained.errors).toBeUndefined();
  expect((await waitForJob(trained.data!.trainModel.id, "training")).status).toBe("COMPLETED");
  modelId = trained.data!.trainModel.inputIds[0]!;
  const tracked = await stack.gql(
    `mutation($e: [TrackEventInput!]!) { trackEvents(events: $e) { accepted } }`,
    {
      e: [
        { userId: subjectId, itemId: "i1", type: "view" },
        { userId: "someone-else", itemId: "i1", type: "view" },
      ],
    },
  );
  expect(tracked.errors).toBeUndefined();
  const viewer = await stack.gql<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "viewer", role: VIEWER) { key } }`,
  );
  viewerToken = viewer.data!.createApiKey.key;
}, 600_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

/** Every place the subject could be: rows of READY version tables, events, artifacts and uploads. */
const scanForSubject = async () => {
  const found: string[] = [];
  const versions = await stack.deps.db.datasetVersion.findMany({ where: { status: "READY" } });
  for (const v of versions) {
    const columns = (v.schema as { name: string }[]).map((c) => c.name);
    const where = columns.map((c) => `${quoteIdent(c)}::text IN ($1, $2)`).join(" OR ");
    const { rows } = await stack.deps.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${qualifiedTable(v.tableName)} WHERE ${where}`,
      [subjectId, SUBJECT_EMAIL],
    );
    if (Number(rows[0]!.n) > 0) found.push(`version ${v.id}: ${rows[0]!.n} rows`);
    const { rows: count } = await stack.deps.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${qualifiedTable(v.tableName)}`,
    );
    if (Number(count[0]!.n) !== Number(v.rowCount))
      found.push(`version ${v.id}: rowCount ${v.rowCount} != ${count[0]!.n}`);
    const profile = JSON.stringify(v.profile ?? {});
    if (profile.includes(SUBJECT_EMAIL) || profile.includes(`"${subjectId}"`))
      found.push(`version ${v.id}: profile`);
  }
  if ((await stack.deps.db.liveEvent.count({ where: { userId: subjectId } })) > 0) found.push("live events");
  const profileUsers = await readFile(
    path.join(profileDir(stack.deps.env.ARTIFACTS_DIR, profileSetId), "users.jsonl"),
    "utf8",
  );
  if (profileUsers.split("\n").includes(JSON.stringify(subjectId))) found.push("profile artifact");
  for (const upload of await stack.deps.db.upload.findMany()) {
    const text = await readFile(upload.path, "utf8");
    if (text.includes(SUBJECT_EMAIL)) found.push(`upload ${upload.originalName}: email`);
    if (text.split("\n").some((line) => line.split(",").includes(subjectId)))
      found.push(`upload ${upload.originalName}: id`);
  }
  // This stack's own key (Redis is shared with other test runs, whose demo users have the same ids).
  if ((await stack.deps.redis.exists(historyKey(stack.deps.env.DAM_QUEUE_PREFIX, subjectId))) > 0)
    found.push("serving history");
  const prefix = stack.deps.env.DAM_QUEUE_PREFIX;
  if ((await stack.deps.redis.exists(`${prefix}:search:s:${SUBJECT_SEARCH_ID}`)) > 0)
    found.push("search log");
  const recent = await stack.deps.redis.lrange(`${prefix}:search:recent`, 0, -1);
  if (recent.some((line) => line.includes(`"userId":"${subjectId}"`))) found.push("recent searches");
  return found;
};

// Searches logged by the person and by someone else (search analytics keep the user of each search).
const SUBJECT_SEARCH_ID = "5e1f7c3a-0d2b-4c8e-9a61-3b7d2f4e8c10";
const OTHER_SEARCH_ID = "7a2c9e41-6b3d-4f50-8e12-9c4a1d6b2e73";
const plantSearchLogs = async () => {
  for (const [searchId, userId] of [
    [SUBJECT_SEARCH_ID, subjectId],
    [OTHER_SEARCH_ID, "someone-else"],
  ] as const) {
    await logSearch(stack.deps, {
      searchId,
      query: "red mug",
      catalogVersionId: usersVersionId,
      indexVersion: "planted",
      userId,
      filter: null,
      total: 3,
      latencyMs: 1,
      at: new Date().toISOString(),
      firstPage: true,
    });
  }
};

const ERASE = `mutation($i: String!) { eraseSubject(input: { identifier: $i }) { id status identifierKind identifierHint } }`;
const REQUEST = `query($id: ID!) { erasureRequest(id: $id) { id status identifierHint job { status }
  report { totalRows linkedUserIds liveEvents historyKeys searchLogs profileSets profileRows segmentSets uploads uploadLines
    rejectedRows labelTasks platformUsers modelsMarkedStale versions { versionId label rows } } } }`;

type TReport = {
  totalRows: number;
  linkedUserIds: number;
  liveEvents: number;
  historyKeys: number;
  searchLogs: number;
  profileSets: number;
  profileRows: number;
  segmentSets: number;
  uploads: number;
  uploadLines: number;
  modelsMarkedStale: string[];
  versions: { versionId: string; label: string; rows: number }[];
};

const erase = async (identifier: string) => {
  const asked = await stack.gql<{
    eraseSubject: { id: string; identifierKind: string; identifierHint: string };
  }>(ERASE, {
    i: identifier,
  });
  expect(asked.errors).toBeUndefined();
  const id = asked.data!.eraseSubject.id;
  const request = await waitFor(
    async () => {
      const row = await stack.deps.db.erasureRequest.findUnique({ where: { id } });
      return row && TERMINAL.includes(row.status) ? row : undefined;
    },
    { what: "the erasure", timeoutMs: 120_000, intervalMs: 250 },
  );
  expect(request.status).toBe("COMPLETED");
  const read = await stack.gql<{
    erasureRequest: { status: string; identifierHint: string; report: TReport };
  }>(REQUEST, { id });
  expect(read.errors).toBeUndefined();
  return { id, asked: asked.data!.eraseSubject, ...read.data!.erasureRequest };
};

describe("eraseSubject", () => {
  it("is refused to a viewer and refuses an identifier that names nobody", async () => {
    const refused = await stack.gql(ERASE, { i: SUBJECT_EMAIL }, viewerToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const bad = await stack.gql(ERASE, { i: "not@an" });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toBe(`identifier: "@" present but not an email address`);
  });

  it("erases the person from every version, event, artifact and upload; the model becomes STALE", async () => {
    // The scan can fail: before the erasure it finds the person in tables, the profile, uploads, events.
    await plantSearchLogs();
    const before = await scanForSubject();
    expect(before).toEqual(
      expect.arrayContaining([
        `version ${usersVersionId}: profile`,
        "live events",
        "profile artifact",
        "serving history",
        "search log",
        "recent searches",
      ]),
    );
    const rowsBefore = await stack.deps.db.datasetVersion.findMany({ select: { id: true, rowCount: true } });
    const result = await erase(`  ${SUBJECT_EMAIL.toUpperCase()} `);
    expect(result.asked.identifierKind).toBe("EMAIL");
    expect(result.identifierHint).toBe("e***@example.com");
    const report = result.report;
    console.info("erasure report", JSON.stringify(report));
    expect(await scanForSubject()).toEqual([]);
    // The touched versions are profiled again from what remains; the new profiles hold nobody erased.
    await waitFor(
      async () => {
        const jobs = await stack.deps.db.job.findMany({
          where: { name: "profile.version", status: { in: ["QUEUED", "RUNNING"] } },
        });
        return jobs.length === 0 ? true : undefined;
      },
      { what: "the profiles after the erasure", timeoutMs: 60_000 },
    );
    const users = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: usersVersionId } });
    expect(users.profile).not.toBeNull();
    expect(await scanForSubject()).toEqual([]);
    expect(report.linkedUserIds).toBe(1);
    const byVersion = new Map(report.versions.map((v) => [v.versionId, v.rows]));
    expect(byVersion.get(usersVersionId)).toBe(3);
    expect(byVersion.get(eventsVersionId)).toBeGreaterThan(0);
    expect(report.versions.length).toBe(3); // users, events, the audience export
    expect(report.totalRows).toBe(report.versions.reduce((s, v) => s + v.rows, 0));
    for (const v of report.versions) {
      const before = rowsBefore.find((r) => r.id === v.versionId)!.rowCount;
      const after = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: v.versionId } });
      expect(Number(before) - Number(after.rowCount)).toBe(v.rows);
      const record = await stack.deps.db.versionErasure.findUniqueOrThrow({
        where: { versionId_erasureRequestId: { versionId: v.versionId, erasureRequestId: result.id } },
      });
      expect(record.rowsRemoved).toBe(v.rows);
    }
    const shown = await stack.gql<{
      datasetVersion: { rowCount: number; erasures: { erasureRequestId: string; rowsRemoved: number }[] };
    }>(
      `query($id: ID!) { datasetVersion(id: $id) { erasures { erasureRequestId rowsRemoved columns at } } }`,
      { id: usersVersionId },
      viewerToken,
    );
    expect(shown.data!.datasetVersion.erasures).toEqual([
      expect.objectContaining({ erasureRequestId: result.id, rowsRemoved: 3 }),
    ]);
    expect(report.liveEvents).toBe(1);
    expect(report.historyKeys).toBe(1);
    expect(report.searchLogs).toBe(1);
    // Someone else's search stays.
    const prefix = stack.deps.env.DAM_QUEUE_PREFIX;
    expect(await stack.deps.redis.hget(`${prefix}:search:s:${OTHER_SEARCH_ID}`, "userId")).toBe(
      "someone-else",
    );
    expect(report.profileSets).toBe(1);
    expect(report.profileRows).toBe(1);
    expect(report.segmentSets).toBe(1);
    expect(report.uploads).toBe(2);
    // The users line, and every events line of the person (imported or rejected at import).
    expect(report.uploadLines).toBeGreaterThanOrEqual(
      1 + report.versions.find((v) => v.versionId === eventsVersionId)!.rows,
    );
    const segments = await readSegmentArtifact(segmentDir(stack.deps.env.ARTIFACTS_DIR, segmentSetId));
    const profile = await stack.deps.db.profileSet.findUniqueOrThrow({ where: { id: profileSetId } });
    expect(segments!.labels.length).toBe(profile.userCount);
    const sizes = await stack.deps.db.segment.aggregate({ where: { segmentSetId }, _sum: { size: true } });
    expect(sizes._sum.size).toBe(segments!.labels.filter((l) => l >= 0).length);

    expect(report.modelsMarkedStale).toEqual([modelId]);
    const model = await stack.gql<{ modelVersion: { stale: boolean; staleReason: string } }>(
      `query($id: ID!) { modelVersion(id: $id) { stale staleReason } }`,
      { id: modelId },
    );
    expect(model.data!.modelVersion.stale).toBe(true);
    expect(model.data!.modelVersion.staleReason).toContain(result.id);
    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetType: "ErasureRequest", targetId: result.id },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["privacy.erase.completed", "privacy.erase.requested"]);
    // The identifier is forgotten once erased.
    const stored = await stack.deps.db.erasureRequest.findUniqueOrThrow({ where: { id: result.id } });
    expect(stored.identifier).toBeNull();
    expect(JSON.stringify(stored)).not.toContain(SUBJECT_EMAIL);
  });

  it("changes nothing when run again, by email or by the user id", async () => {
    const uploads = await stack.deps.db.upload.findMany({ orderBy: { id: "asc" } });
    const versions = await stack.deps.db.datasetVersion.findMany({
      orderBy: { id: "asc" },
      select: { id: true, rowCount: true },
    });
    const files = await Promise.all(uploads.map(async (u) => (await stat(u.path)).mtimeMs));
    for (const identifier of [SUBJECT_EMAIL, subjectId]) {
      const again = await erase(identifier);
      expect(again.report.totalRows).toBe(0);
      expect(again.report.versions).toEqual([]);
      expect(again.report.uploads).toBe(0);
      expect(again.report.profileRows).toBe(0);
      expect(again.report.liveEvents).toBe(0);
      expect(again.report.searchLogs).toBe(0);
      expect(again.report.modelsMarkedStale).toEqual([]);
    }
    expect(await stack.deps.db.upload.findMany({ orderBy: { id: "asc" } })).toEqual(uploads);
    expect(await Promise.all(uploads.map(async (u) => (await stat(u.path)).mtimeMs))).toEqual(files);
    expect(
      await stack.deps.db.datasetVersion.findMany({
        orderBy: { id: "asc" },
        select: { id: true, rowCount: true },
      }),
    ).toEqual(versions);
  });

  it("offers a retrain of the STALE model on the erased data", async () => {
    const retrained = await stack.gql<{ retrainModel: { id: string; name: string; inputIds: string[] } }>(
      `mutation($id: ID!) { retrainModel(id: $id) { id name inputIds } }`,
      { id: modelId },
    );
    expect(retrained.errors).toBeUndefined();
    const job = await waitForJob(retrained.data!.retrainModel.id, "retraining");
    expect(job.status).toBe("COMPLETED");
    const fresh = await stack.deps.db.modelVersion.findUniqueOrThrow({
      where: { id: retrained.data!.retrainModel.inputIds[0]! },
    });
    expect(fresh.name).toBe("erasure-pop");
    expect(fresh.version).toBe(2);
    expect(fresh.staleAt).toBeNull();
  });
});

describe("retention", () => {
  it("expires superseded versions and old uploads, keeping what a live model depends on", async () => {
    const bad = await stack.gql(
      `mutation($d: ID!) { setRetentionPolicy(input: { datasetId: $d, uploadDays: -1 }) { datasetId } }`,
      { d: usersDatasetId },
    );
    expect(bad.errors?.[0]?.message).toBe(
      "uploadDays: a whole number of days from 0 to 36500, or null to keep forever",
    );
    for (const datasetId of [usersDatasetId, eventsDatasetId]) {
      const set = await stack.gql(
        `mutation($d: ID!) { setRetentionPolicy(input: { datasetId: $d, uploadDays: 0, supersededDays: 0 }) { datasetId uploadDays supersededDays } }`,
        { d: datasetId },
      );
      expect(set.errors).toBeUndefined();
    }
    // A second version supersedes each first one.
    const usersV2 = await importUsers(path.join(dir, "users.csv"));
    const eventsUpload = (await stack.deps.db.upload.findMany({ where: { originalName: "events.csv" } }))[0]!;
    const eventsV2 = await importAndWait(stack, {
      name: "erasure_events",
      kind: "EVENTS",
      source: { paths: [eventsUpload.path], format: "csv", roles: EVENT_ROLES, types: {} },
    });
    await settleVersion(eventsV2.version.id);
    const started = await stack.gql<{ enforceRetention: { id: string } }>(
      "mutation { enforceRetention { id } }",
    );
    expect(started.errors).toBeUndefined();
    expect((await waitForJob(started.data!.enforceRetention.id, "retention")).status).toBe("COMPLETED");
    const runs = await stack.gql<{
      retentionRuns: {
        trigger: string;
        removed: { type: string; id: string; reason: string }[];
        kept: { id: string; reason: string }[];
      }[];
    }>("{ retentionRuns(first: 1) { trigger removed { type id reason } kept { id reason } } }");
    const run = runs.data!.retentionRuns[0]!;
    expect(run.trigger).toBe("manual");
    expect(run.removed.filter((r) => r.type === "version").map((r) => r.id)).toEqual([usersVersionId]);
    expect(run.kept.find((k) => k.id === eventsVersionId)?.reason).toMatch(
      /^kept: model erasure-pop v\d was trained on it$/,
    );
    const expired = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: usersVersionId } });
    expect(expired.status).toBe("EXPIRED");
    expect(expired.expiredAt).not.toBeNull();
    const { rows } = await stack.deps.pool.query("SELECT to_regclass($1) AS t", [
      `data.${expired.tableName}`,
    ]);
    expect(rows[0].t).toBeNull();
    const removedUploads = run.removed.filter((r) => r.type === "upload").map((r) => r.id);
    expect(removedUploads).toContain(usersV2.upload.id);
    expect(await stack.deps.db.upload.count({ where: { id: { in: removedUploads } } })).toBe(0);
    await expect(stat(usersV2.upload.path)).rejects.toThrow();
    // Once enforced, a second run finds nothing more to remove.
    const again = await stack.gql<{ enforceRetention: { id: string } }>(
      "mutation { enforceRetention { id } }",
    );
    expect((await waitForJob(again.data!.enforceRetention.id, "retention again")).status).toBe("COMPLETED");
    // The nightly run is a BullMQ job scheduler the workers arm (one id, re-armed on every tick).
    await armNightlyRetention(stack.deps);
    await armNightlyRetention(stack.deps);
    const schedulers = (await stack.deps.queues.maintenance.getJobSchedulers()).filter(
      (s) => s.key === RETENTION_SCHEDULER_ID,
    );
    expect(schedulers.map((s) => s.pattern)).toEqual([RETENTION_CRON]);
    const second = await stack.gql<{ retentionRuns: { removed: unknown[] }[] }>(
      "{ retentionRuns(first: 1) { removed { id } } }",
    );
    expect(second.data!.retentionRuns[0]!.removed).toEqual([]);
  });
});
