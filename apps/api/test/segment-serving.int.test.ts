import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait, importShopCatalog } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Users with nothing fall back to popularity in their segment. The segments are built from all of the
// shop's events; the model is trained (by the real training job) on the same events minus a few
// held-out users, so those users are members of a segment but unknown to the model. The expected
// per-segment counts are computed here from the CSV rows, independently of the code under test.
const SHOP = { seed: 23, products: 300, users: 600, events: 30_000, days: 30 };
const EVENT_ROLES = { user_id: "userId", item_id: "itemId", event_type: "eventType", timestamp: "timestamp" };

type TItem = {
  itemId: string;
  category: string | null;
  score: number;
  reasons: { kind: string; label: string }[];
};
type TRecs = {
  source: string;
  historyLength: number;
  segment: { id: string; index: number; name: string; segmentSetId: string } | null;
  items: TItem[];
  model: { id: string; segmentSetId: string | null; segmentCount: number };
};

const RECOMMEND = `query($userId: String!, $first: Int, $filter: RecommendationFilter) {
  recommend(userId: $userId, first: $first, filter: $filter) {
    source historyLength segment { id index name segmentSetId }
    items { itemId category score reasons { kind label } }
    model { id segmentSetId segmentCount }
  }
}`;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let catalogVersionId: string;
let allEventsVersionId: string;
let knownEventsVersionId: string;
let heldOut: string[];
/** Distinct (user, item) pairs the training job reads from the known events (catalogue items only). */
let pairs: { user: string; item: string }[];
let categoryOf: Map<string, string>;

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
const waitForJob = (id: string, what: string) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && TERMINAL.includes(job.status) ? job : undefined;
    },
    { what, timeoutMs: 300_000, intervalMs: 250 },
  );

const recommend = async (variables: Record<string, unknown>) => {
  const result = await stack.gql<{ recommend: TRecs }>(RECOMMEND, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.recommend;
};

const train = async (input: Record<string, unknown>) => {
  const started = await stack.gql<{ trainModel: { id: string; inputIds: string[] } }>(
    "mutation($input: TrainModelInput!) { trainModel(input: $input) { id inputIds } }",
    { input },
  );
  expect(started.errors).toBeUndefined();
  const job = await waitForJob(started.data!.trainModel.id, `training ${JSON.stringify(input)}`);
  expect(job.error).toBeNull();
  expect(job.status).toBe("COMPLETED");
  const modelVersionId = started.data!.trainModel.inputIds[0]!;
  return stack.deps.db.modelVersion.findUniqueOrThrow({ where: { id: modelVersionId } });
};

/** Items by descending count (ties by id, so the list is fixed), with the counts. */
const ranked = (counts: Map<string, number>) =>
  [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-segpop-"));
  stack = await startTestStack({ ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "features", "training"]);
  const { files } = await writeDemoShop(path.join(dir, "shop"), SHOP);
  const catalog = await importShopCatalog(stack, files.products);
  const all = await importAndWait(stack, {
    name: "shop_events",
    kind: "EVENTS",
    source: { paths: [files.events], format: "csv", roles: EVENT_ROLES, types: {} },
  });
  // Every 20th user (by id) is held out of the model's events: in a segment, unknown to the model.
  const text = readFileSync(files.events, "utf8");
  const rows: Record<string, string>[] = parse(text, { columns: true });
  const users = [...new Set(rows.map((r) => r.user_id!).filter(Boolean))].sort();
  heldOut = users.filter((_, i) => i % 20 === 7);
  const held = new Set(heldOut);
  const lines = text.split("\n");
  const userColumn = lines[0]!.split(",").indexOf("user_id");
  expect(userColumn).toBeGreaterThanOrEqual(0);
  const kept = lines.filter((line, i) => i === 0 || !held.has(line.split(",")[userColumn]!));
  const knownFile = path.join(dir, "known-events.csv");
  await writeFile(knownFile, kept.join("\n"));
  const known = await importAndWait(stack, {
    name: "shop_events_known",
    kind: "EVENTS",
    source: { paths: [knownFile], format: "csv", roles: EVENT_ROLES, types: {} },
  });
  expect([catalog.version.status, all.version.status, known.version.status]).toEqual([
    "READY",
    "READY",
    "READY",
  ]);
  catalogVersionId = catalog.version.id;
  allEventsVersionId = all.version.id;
  knownEventsVersionId = known.version.id;

  const products: { item_id: string; category: string }[] = parse(readFileSync(files.products), {
    columns: true,
  });
  categoryOf = new Map(products.filter((p) => p.item_id).map((p) => [p.item_id, p.category]));
  const seen = new Set<string>();
  pairs = [];
  for (const row of parse(kept.join("\n"), { columns: true }) as Record<string, string>[]) {
    const key = `${row.user_id}\u0000${row.item_id}`;
    if (!row.user_id || !categoryOf.has(row.item_id!) || seen.has(key)) continue;
    seen.add(key);
    pairs.push({ user: row.user_id, item: row.item_id! });
  }
  expect(pairs.some((p) => held.has(p.user))).toBe(false);
}, 300_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("cold users fall back to popularity in their segment", () => {
  let segmentSetId: string;
  let membership: Map<string, number>;
  let segmentNames: Map<number, string>;

  it("profiles and segments all of the shop's users", async () => {
    const profiled = await stack.gql<{ profileUsers: { profileSet: { id: string } } }>(
      "mutation($e: ID!, $p: JSON) { profileUsers(eventsVersionId: $e, params: $p) { profileSet { id } } }",
      { e: allEventsVersionId, p: { catalogVersionId } },
    );
    expect(profiled.errors).toBeUndefined();
    const segmented = await stack.gql<{ segmentUsers: { segmentSet: { id: string } } }>(
      "mutation($p: ID!, $s: JSON) { segmentUsers(profileSetId: $p, params: $s) { segmentSet { id } } }",
      { p: profiled.data!.profileUsers.profileSet.id, s: { k: 6 } },
    );
    expect(segmented.errors).toBeUndefined();
    segmentSetId = segmented.data!.segmentUsers.segmentSet.id;
    const set = await waitFor(
      async () => {
        const row = await stack.deps.db.segmentSet.findUnique({ where: { id: segmentSetId } });
        return row && row.status !== "BUILDING" ? row : undefined;
      },
      { what: "the segment set", timeoutMs: 300_000, intervalMs: 500 },
    );
    expect(set.status).toBe("READY");
    const read = await stack.gql<{
      segmentSet: {
        segments: { index: number; name: string }[];
        projection: { userId: string; segment: number }[];
      };
    }>(
      "query($id: ID!) { segmentSet(id: $id) { segments { index name } projection(first: 2000) { userId segment } } }",
      {
        id: segmentSetId,
      },
    );
    expect(read.errors).toBeUndefined();
    membership = new Map(read.data!.segmentSet.projection.map((p) => [p.userId, p.segment]));
    segmentNames = new Map(read.data!.segmentSet.segments.map((s) => [s.index, s.name]));
    expect(segmentNames.size).toBe(6);
    for (const user of heldOut) expect(membership.get(user)).toBeGreaterThanOrEqual(0);
  });

  it("defaults a model's segment set to the newest READY one of its events version", async () => {
    const missing = await stack.gql(
      "mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }",
      {
        input: {
          name: "shop_pop",
          algorithm: "POP",
          eventsVersionId: allEventsVersionId,
          segmentSetId: "00000000-0000-4000-8000-00000000dead",
        },
      },
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(missing.errors?.[0]?.message).toMatch(/Segment set .* does not exist/);
    const pop = await train({ name: "shop_pop", algorithm: "POP", eventsVersionId: allEventsVersionId });
    expect(pop.inputs).toEqual({
      eventsVersionId: allEventsVersionId,
      catalogVersionId: null,
      featureSetId: null,
      segmentSetId,
    });
    const inputs = await stack.gql<{
      modelVersion: { inputs: { role: string; id: string; label: string }[] };
    }>("query($id: ID!) { modelVersion(id: $id) { inputs { role id label } } }", { id: pop.id });
    expect(inputs.errors).toBeUndefined();
    expect(inputs.data!.modelVersion.inputs[1]).toEqual({
      role: "segments",
      id: segmentSetId,
      label: "k-means segments (6)",
    });
  });

  it("serves a held-out member their segment's popular items, others overall popularity, clicks personal", async () => {
    const als = await train({
      name: "shop",
      algorithm: "ALS",
      eventsVersionId: knownEventsVersionId,
      catalogVersionId,
      // A set built from other events than the model's: named explicitly (the default would be none).
      segmentSetId,
      params: { factors: 16, iterations: 5 },
    });
    expect(als.inputs).toMatchObject({ segmentSetId });
    const promoted = await stack.gql("mutation($id: ID!) { promoteModel(id: $id) { id status } }", {
      id: als.id,
    });
    expect(promoted.errors).toBeUndefined();
    await waitFor(
      async () => {
        const result = await stack.gql<{ servingModels: { id: string }[] }>("{ servingModels { id } }");
        return result.data?.servingModels.some((m) => m.id === als.id) ? true : undefined;
      },
      { what: "the ALS model to be served" },
    );

    // Expected counts: distinct training users per item, overall and within each segment.
    const overall = new Map<string, number>();
    const bySegment = new Map<number, Map<string, number>>();
    for (const { user, item } of pairs) {
      overall.set(item, (overall.get(item) ?? 0) + 1);
      const s = membership.get(user) ?? -1;
      if (s < 0) continue;
      const counts = bySegment.get(s) ?? new Map<string, number>();
      counts.set(item, (counts.get(item) ?? 0) + 1);
      bySegment.set(s, counts);
    }
    const overallTop = ranked(overall).slice(0, 10);

    // The held-out user whose segment's top 10 shares the fewest items with the overall top 10.
    const overlap = (s: number) => {
      const top = new Set(
        ranked(bySegment.get(s)!)
          .slice(0, 10)
          .map(([item]) => item),
      );
      return overallTop.filter(([item]) => top.has(item)).length;
    };
    const user = [...heldOut].sort((a, b) => overlap(membership.get(a)!) - overlap(membership.get(b)!))[0]!;
    const segment = membership.get(user)!;
    const segmentCounts = bySegment.get(segment)!;
    const segmentTop = ranked(segmentCounts).slice(0, 10);
    expect(overlap(segment)).toBeLessThan(10);

    const cold = await recommend({ userId: user, first: 10 });
    expect(cold.source).toBe("SEGMENT_POPULARITY");
    expect(cold.historyLength).toBe(0);
    expect(cold.model).toEqual({ id: als.id, segmentSetId, segmentCount: 6 });
    expect(cold.segment).toMatchObject({ index: segment, name: segmentNames.get(segment), segmentSetId });
    // Each item's score is its count among the segment's training members, and the scores are the
    // segment's top 10 counts (ties may order differently), not the overall ones.
    expect(cold.items).toHaveLength(10);
    for (const item of cold.items) {
      expect(item.score).toBe(segmentCounts.get(item.itemId));
      expect(item.reasons).toEqual([
        {
          kind: "SEGMENT_POPULARITY",
          label: `popular in segment "${segmentNames.get(segment)}": ${item.score} interactions`,
        },
      ]);
    }
    expect(cold.items.map((i) => i.score)).toEqual(segmentTop.map(([, count]) => count));
    expect(cold.items.map((i) => i.score)).not.toEqual(overallTop.map(([, count]) => count));

    // A user in no segment: overall popularity, scored by the overall counts.
    const stranger = await recommend({ userId: "never-seen-anywhere", first: 10 });
    expect(stranger.source).toBe("POPULARITY");
    expect(stranger.segment).toBeNull();
    expect(stranger.items.map((i) => i.score)).toEqual(overallTop.map(([, count]) => count));
    for (const item of stranger.items) expect(item.score).toBe(overall.get(item.itemId));
    expect(cold.items.map((i) => i.itemId)).not.toEqual(stranger.items.map((i) => i.itemId));

    // Filters still apply: only the asked category, the segment's items of it first.
    const category = categoryOf.get(cold.items[0]!.itemId)!;
    const filtered = await recommend({ userId: user, first: 5, filter: { categories: [category] } });
    expect(filtered.source).toBe("SEGMENT_POPULARITY");
    expect(filtered.items.length).toBeGreaterThan(0);
    for (const item of filtered.items) expect(item.category).toBe(category);
    expect(filtered.items[0]!.itemId).toBe(cold.items[0]!.itemId);

    // Three tracked clicks: the next answer is personal (fold-in), not the segment's list.
    const clicked = [...overall.keys()]
      .filter((item) => !cold.items.some((i) => i.itemId === item))
      .slice(0, 3);
    const tracked = await stack.gql<{ trackEvents: { accepted: number } }>(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
      { events: clicked.map((itemId) => ({ userId: user, itemId, type: "click" })) },
    );
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data!.trackEvents.accepted).toBe(3);
    const warm = await recommend({ userId: user, first: 10 });
    expect(warm.source).toBe("FACTORS_FOLD_IN");
    expect(warm.historyLength).toBe(3);
    expect(warm.segment).toBeNull();
    // Clicked items may come back: models exclude only excludeSeenTypes (purchases by default).
    for (const item of warm.items) expect(item.reasons[0]!.kind).toBe("HISTORY_ITEM");
  });
});
