import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDatasetIdsBySearch } from "../src/modules/column-stats/catalog.service.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-profiling-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

/** Imports a CSV and waits until its version is READY and profiled (the import queues the profile). */
const importProfiled = async (name: string, lines: string[], types: Record<string, TColumnType>) => {
  const file = path.join(dir, `${name}-${Date.now()}.csv`);
  await writeFile(file, `${lines.join("\n")}\n`);
  const { version } = await createFileImport(stack.deps, null, {
    name,
    kind: "OTHER",
    source: { paths: [file], format: "csv", roles: {}, types },
  });
  return waitFor(
    async () => {
      const job = await stack.deps.db.job.findFirst({ where: { bullId: `profile-${version.id}` } });
      if (job?.status === "FAILED") throw new Error(`profile failed: ${job.error}`);
      return job?.status === "COMPLETED" ? version.id : undefined;
    },
    { what: `profile of ${name}`, timeoutMs: 20_000 },
  );
};

const V1 = [
  "id,price,qty,label,at",
  "1,1.5,10,red,2026-01-01T00:00:00Z",
  "2,2.5,20,red,2026-01-02T00:00:00Z",
  "3,,30,blue,2026-01-03T00:00:00Z",
  "4,4.5,40,red,",
  "5,5.5,50,green,2026-01-05T00:00:00Z",
  "6,6.5,,blue,2026-01-06T00:00:00Z",
  "7,7.5,70,,2026-01-07T00:00:00Z",
  "8,8.5,80,red,2026-01-08T00:00:00Z",
  "9,abc,90,red,2026-01-09T00:00:00Z", // line 10: price not a number
  "10,1.0,xx,red,2026-01-10T00:00:00Z", // line 11: qty not an integer
  "11,2.0", // line 12: ragged
  '12,"has, ""comma""",5,red,2026-01-01T00:00:00Z', // line 13: price, raw with a comma and quotes
];
const V1_TYPES = { price: "decimal", qty: "integer", at: "timestamp", label: "text" } as const;

const PROFILE_QUERY = /* GraphQL */ `
  query ($id: ID!) {
    datasetVersion(id: $id) {
      number
      profile {
        rowCount
        computedAt
        seconds
        columns {
          name type nullFraction nullCount distinctCount min max mean stddev
          quantiles { p value }
          histogram { lower upper count }
          topValues { value count }
          minLength maxLength meanLength
        }
      }
    }
  }
`;

type TProfileColumn = {
  name: string;
  type: string;
  nullFraction: number;
  nullCount: number;
  distinctCount: number;
  min: string | null;
  max: string | null;
  mean: number | null;
  stddev: number | null;
  quantiles: { p: number; value: number }[];
  histogram: { lower: number; upper: number; count: number }[];
  topValues: { value: string; count: number }[];
  minLength: number | null;
  maxLength: number | null;
  meanLength: number | null;
};
type TProfileAnswer = {
  datasetVersion: {
    number: number;
    profile: { rowCount: number; computedAt: string; seconds: number; columns: TProfileColumn[] } | null;
  };
};

const sampleStddev = (values: number[]): number => {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
};
/** Non-zero bins as [bin number (1-based), count]. */
const filledBins = (histogram: TProfileColumn["histogram"]) =>
  histogram.flatMap((bin, i) => (bin.count > 0 ? [[i + 1, bin.count]] : []));

let v1Id: string;

describe("profile.version", () => {
  it("profiles every column inside Postgres with exact statistics", async () => {
    v1Id = await importProfiled("profiled_shop", V1, V1_TYPES);
    const answer = await stack.gql<TProfileAnswer>(PROFILE_QUERY, { id: v1Id });
    expect(answer.errors).toBeUndefined();
    const profile = answer.data!.datasetVersion.profile!;
    expect(profile.rowCount).toBe(8);
    expect(profile.seconds).toBeGreaterThan(0);
    const byName = new Map(profile.columns.map((column) => [column.name, column]));
    expect([...byName.keys()]).toEqual(["id", "price", "qty", "label", "at"]);

    // price (decimal): 1.5 2.5 4.5 5.5 6.5 7.5 8.5 and one null; percentile_cont at position p * (n - 1).
    const prices = [1.5, 2.5, 4.5, 5.5, 6.5, 7.5, 8.5];
    const price = byName.get("price")!;
    expect(price).toMatchObject({ type: "decimal", nullCount: 1, nullFraction: 0.125, distinctCount: 7 });
    expect([price.min, price.max]).toEqual(["1.5", "8.5"]);
    expect(price.mean).toBeCloseTo(36.5 / 7, 9);
    expect(price.stddev).toBeCloseTo(sampleStddev(prices), 9);
    const expectedPriceQuantiles = [1.56, 1.8, 3.5, 5.5, 7, 8.2, 8.44];
    price.quantiles.forEach((quantile, i) => {
      expect(quantile.value).toBeCloseTo(expectedPriceQuantiles[i]!, 9);
    });
    expect(price.quantiles.map((quantile) => quantile.p)).toEqual([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]);
    // 20 bins of width 0.35 over [1.5, 8.5]; the maximum falls in the last bin.
    expect(price.histogram).toHaveLength(20);
    expect(price.histogram[0]!.lower).toBe(1.5);
    expect(price.histogram[0]!.upper).toBeCloseTo(1.85, 9);
    expect(price.histogram[19]!.upper).toBe(8.5);
    expect(filledBins(price.histogram)).toEqual([
      [1, 1],
      [3, 1],
      [9, 1],
      [12, 1],
      [15, 1],
      [18, 1],
      [20, 1],
    ]);

    // qty (integer): percentile_disc returns values that occur (smallest with cume_dist >= p).
    const qty = byName.get("qty")!;
    expect(qty).toMatchObject({ nullCount: 1, distinctCount: 7, min: "10", max: "80" });
    expect(qty.mean).toBeCloseTo(300 / 7, 9);
    expect(qty.stddev).toBeCloseTo(sampleStddev([10, 20, 30, 40, 50, 70, 80]), 9);
    expect(qty.quantiles.map((quantile) => quantile.value)).toEqual([10, 10, 20, 40, 70, 80, 80]);

    // label (text): top values by count, lengths of the non-null values.
    const label = byName.get("label")!;
    expect(label).toMatchObject({ nullFraction: 0.125, distinctCount: 3, min: null, mean: null });
    expect(label.topValues).toEqual([
      { value: "red", count: 4 },
      { value: "blue", count: 2 },
      { value: "green", count: 1 },
    ]);
    expect([label.minLength, label.maxLength]).toEqual([3, 5]);
    expect(label.meanLength).toBeCloseTo(25 / 7, 9);
    expect(label.histogram).toEqual([]);
    expect(label.quantiles).toEqual([]);

    // at (timestamp): measured in epoch seconds; day offsets 0 1 2 4 5 6 7.
    const base = Date.UTC(2026, 0, 1) / 1000;
    const day = 86_400;
    const at = byName.get("at")!;
    expect(at).toMatchObject({ nullCount: 1, distinctCount: 7 });
    expect([at.min, at.max]).toEqual(["2026-01-01T00:00:00.000Z", "2026-01-08T00:00:00.000Z"]);
    expect(at.mean).toBeCloseTo(base + (25 / 7) * day, 6);
    expect(at.stddev).toBeCloseTo(sampleStddev([0, 1, 2, 4, 5, 6, 7]) * day, 6);
    expect(at.quantiles[3]).toEqual({ p: 0.5, value: base + 4 * day });
    expect(filledBins(at.histogram)).toEqual([
      [1, 1],
      [3, 1],
      [6, 1],
      [12, 1],
      [15, 1],
      [18, 1],
      [20, 1],
    ]);
    expect(at.topValues[0]).toEqual({ value: "2026-01-01T00:00:00.000Z", count: 1 });

    // id: every value once, ties ordered by value.
    expect(byName.get("id")!.topValues.map((top) => top.value)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
    ]);
  });

  it("re-runs on request (stewards only) and ends at 100 % progress", async () => {
    const before = await stack.gql<TProfileAnswer>(PROFILE_QUERY, { id: v1Id });
    const computedBefore = before.data!.datasetVersion.profile!.computedAt;

    const viewer = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "profile-viewer", role: VIEWER) { key } }`,
    );
    const denied = await stack.gql(
      "mutation ($id: ID!) { profileVersion(versionId: $id) { id } }",
      { id: v1Id },
      viewer.data!.createApiKey.key,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const rerun = await stack.gql<{ profileVersion: { id: string; name: string; queue: string } }>(
      "mutation ($id: ID!) { profileVersion(versionId: $id) { id name queue } }",
      { id: v1Id },
    );
    expect(rerun.data?.profileVersion).toMatchObject({ name: "profile.version", queue: "quality" });
    const job = await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({ where: { id: rerun.data!.profileVersion.id } });
        return row?.status === "COMPLETED" ? row : undefined;
      },
      { what: "profile re-run" },
    );
    expect(job.progress).toBe(100);
    expect(job.result).toMatchObject({ rowCount: 8, columns: 5 });
    const after = await stack.gql<TProfileAnswer>(PROFILE_QUERY, { id: v1Id });
    expect(after.data!.datasetVersion.profile!.computedAt > computedBefore).toBe(true);

    const missing = await stack.gql(
      'mutation { profileVersion(versionId: "00000000-0000-0000-0000-000000000000") { id } }',
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("schema diff and catalogue search", () => {
  it("diffs a version against the previous one: added, removed and retyped columns", async () => {
    const v2Id = await importProfiled(
      "profiled_shop",
      ["id,price,qty,colour,at", "1,cheap,1,navy,2026-02-01T00:00:00Z", "2,4.0,2,teal,2026-02-02T00:00:00Z"],
      { qty: "integer", at: "timestamp" },
    );
    const answer = await stack.gql<{
      datasetVersion: {
        number: number;
        schemaDiff: {
          previousVersionNumber: number;
          added: { name: string; type: string }[];
          removed: { name: string }[];
          changed: { name: string; fromType: string; toType: string }[];
        };
      };
      first: { schemaDiff: unknown };
    }>(
      `query ($id: ID!, $first: ID!) {
         datasetVersion(id: $id) { number schemaDiff { previousVersionNumber added { name type } removed { name } changed { name fromType toType } } }
         first: datasetVersion(id: $first) { schemaDiff { previousVersionNumber } }
       }`,
      { id: v2Id, first: v1Id },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.datasetVersion.number).toBe(2);
    expect(answer.data!.datasetVersion.schemaDiff).toEqual({
      previousVersionNumber: 1,
      added: [{ name: "colour", type: "text" }],
      removed: [{ name: "label" }],
      changed: [{ name: "price", fromType: "decimal", toType: "text" }],
    });
    expect(answer.data!.first.schemaDiff).toBeNull();
  });

  it("edits description, tags and owner (audited) and finds datasets by tag prefix and column name", async () => {
    const dataset = await stack.deps.db.dataset.findUniqueOrThrow({ where: { name: "profiled_shop" } });
    await stack.deps.db.user.create({ data: { email: "ada@example.com", name: "Ada", role: "STEWARD" } });
    const update = await stack.gql<{ updateDataset: { description: string; tags: string[]; owner: string } }>(
      `mutation ($id: ID!) {
         updateDataset(id: $id, input: { description: "Shop sample", tags: ["Retail-Demo", "pii", "pii"], owner: "ada@example.com" }) {
           description tags owner
         }
       }`,
      { id: dataset.id },
    );
    expect(update.data?.updateDataset).toEqual({
      description: "Shop sample",
      tags: ["retail-demo", "pii"],
      owner: "Ada",
    });
    const badTag = await stack.gql(
      `mutation ($id: ID!) { updateDataset(id: $id, input: { tags: ["no spaces"] }) { id } }`,
      {
        id: dataset.id,
      },
    );
    expect(badTag.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "tags" });
    const audit = await stack.deps.db.auditEvent.findFirst({
      where: { action: "dataset.update", targetId: dataset.id },
    });
    expect(audit?.details).toMatchObject({ changed: ["description", "tags", "ownerId"] });

    const search = async (term: string) => {
      const result = await stack.gql<{ datasets: { edges: { node: { name: string } }[] } }>(
        "query ($q: String) { datasets(search: $q) { edges { node { name } } } }",
        { q: term },
      );
      return result.data!.datasets.edges.map((edge) => edge.node.name);
    };
    expect(await search("retail")).toEqual(["profiled_shop"]); // tag prefix
    expect(await search("COLO")).toEqual(["profiled_shop"]); // column of the latest version (v2)
    expect(await search("label")).toEqual([]); // only v1 had it
    // LIKE wildcards in the term are literal in the tag/column match.
    expect(await findDatasetIdsBySearch(stack.deps, "%")).toEqual([]);
    expect(await findDatasetIdsBySearch(stack.deps, "retail_demo")).toEqual([]);
  });
});

describe("rejected rows", () => {
  it("pages through the rejects in file order", async () => {
    const query = `query ($id: ID!, $after: String) { datasetVersion(id: $id) {
      rejectedRows(first: 3, after: $after) { totalCount edges { node { line column reason raw } } pageInfo { hasNextPage endCursor } } } }`;
    type TPage = {
      datasetVersion: {
        rejectedRows: {
          totalCount: number;
          edges: { node: { line: number; column: string | null; reason: string; raw: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const first = await stack.gql<TPage>(query, { id: v1Id });
    const page1 = first.data!.datasetVersion.rejectedRows;
    expect(page1.totalCount).toBe(4);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await stack.gql<TPage>(query, { id: v1Id, after: page1.pageInfo.endCursor });
    const page2 = second.data!.datasetVersion.rejectedRows;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = [...page1.edges, ...page2.edges].map((edge) => [edge.node.line, edge.node.column]);
    expect(all).toEqual([
      [10, "price"],
      [11, "qty"],
      [12, null],
      [13, "price"],
    ]);
    expect(page2.edges[0]?.node.reason).toBe('not a number: "has, "comma""');
  });

  it("downloads the rejects as CSV with the Bearer key, and refuses without it", async () => {
    const url = `${stack.url}/api/v1/versions/${v1Id}/rejects.csv`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    const wrongId = await fetch(`${stack.url}/api/v1/versions/not-a-version/rejects.csv`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(wrongId.status).toBe(404);

    const response = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="profiled_shop-v1-rejects.csv"',
    );
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("file,line,column,reason,raw");
    expect(lines).toHaveLength(6); // header, 4 rows, trailing empty string
    expect(lines[4]).toMatch(/,13,price,"not a number: ""has, ""comma""""","12,has, ""comma"",5,red,/);
  });
});
