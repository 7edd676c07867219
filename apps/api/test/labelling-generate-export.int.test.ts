import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Role } from "@dam/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, createApiKey } from "../src/modules/auth/auth.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Generated label tasks (relevance pairs from search, items to verify) and the export of gold labels
// as a LABELS dataset version, on real PostgreSQL and Redis with real workers.

const COLOURS = ["red", "blue", "green", "black", "white", "yellow"];
const GROUPS: Record<string, (colour: string, i: number) => string> = {
  mug: (colour, i) => `${colour} ceramic coffee mug ${300 + i} ml`,
  hose: (colour, i) => `${colour} garden hose ${10 + i} m`,
  shoe: (colour, i) => `${colour} leather running shoes size ${36 + i}`,
  lamp: (colour, i) => `${colour} bedside table lamp ${i}`,
};
const ROWS = Object.entries(GROUPS).flatMap(([group, title]) =>
  Array.from({ length: 12 }, (_, i) => ({
    itemId: `${group}-${i}`,
    title: title(COLOURS[i % COLOURS.length] as string, i),
    group,
  })),
);
const CSV = [
  "item_id,title,description,category",
  ...ROWS.map((r) => `${r.itemId},${r.title},A ${r.group},${r.group}`),
].join("\n");
const groupOf = (itemId: string) => itemId.split("-")[0];

type TKey = { token: string; id: string };
type THit = {
  rank: number;
  itemId: string;
  title: string;
  score: number;
  semanticScore: number | null;
  lexicalScore: number;
};
type TSearch = { backend: string; embeddingSetId: string | null; catalogVersionId: string; hits: THit[] };
type TPayload = { query: string; itemId: string; title: string; suggestion?: string; attribute?: string };

const SEARCH = `query($q: String!, $first: Int, $v: ID) { search(query: $q, first: $first, catalogVersionId: $v) {
  backend embeddingSetId catalogVersionId hits { rank itemId title score semanticScore lexicalScore } } }`;
const CREATE_SCHEMA = `mutation($input: CreateLabelSchemaInput!) { createLabelSchema(input: $input) { id } }`;
const CREATE_PROJECT = `mutation($input: CreateLabelProjectInput!) {
  createLabelProject(input: $input) { id sourceVersionId progress { tasks slots } } }`;
const NEXT = `mutation($p: ID!) { nextLabelTask(projectId: $p) { id task { id payload } } }`;
const SUBMIT = `mutation($id: ID!, $value: JSON!) { submitLabel(assignmentId: $id, value: $value) { id } }`;
const ADJUDICATE = `mutation($t: ID!, $value: JSON!) { adjudicate(taskId: $t, value: $value) { id } }`;
const ADD_MEMBER = `mutation($p: ID!, $k: ID!) { addLabelProjectMember(projectId: $p, keyId: $k) { addedAt } }`;
const EXPORT = `mutation($p: ID!, $name: String) { exportGoldLabels(projectId: $p, datasetName: $name) { id name queue inputIds } }`;
const PROJECT = `query($id: ID!) { labelProject(id: $id) { exportableGoldLabels
  exports { datasetName version { id number status rowCount } } } }`;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let catalogVersionId: string;
let relevanceSchemaId: string;
let correctionSchemaId: string;
const keys: Record<string, TKey> = {};

const ok = async <T>(query: string, variables: Record<string, unknown>, token: string = ADMIN_TOKEN) => {
  const answer = await stack.gql<T>(query, variables, token);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data as T;
};
const errorCode = async (query: string, variables: Record<string, unknown>, token: string = ADMIN_TOKEN) =>
  (await stack.gql(query, variables, token)).errors?.[0]?.extensions?.code;

const makeKey = async (name: string, role: Role): Promise<TKey> => {
  const admin = await authenticate(stack.deps, `Bearer ${ADMIN_TOKEN}`);
  const { key, apiKey } = await createApiKey(stack.deps.db, admin, { name, role });
  return { token: key, id: apiKey.id };
};

const search = async (q: string, first = 10, v: string | null = catalogVersionId) =>
  (await ok<{ search: TSearch }>(SEARCH, { q, first, v })).search;

const waitForJob = (jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 60_000 },
  );

const taskPayloads = async (projectId: string) =>
  (await stack.deps.db.labelTask.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } })).map(
    (task) => ({ id: task.id, payload: task.payload as TPayload }),
  );

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dam-label-gen-"));
  stack = await startTestStack({
    MODELS_DIR: path.join(dir, "models-empty"),
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
  });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "features", "quality"]);
  const file = path.join(dir, "catalog.csv");
  await writeFile(file, CSV);
  const { version, job } = await importAndWait(stack, {
    name: "gen_catalog",
    kind: "CATALOG",
    source: {
      paths: [file],
      format: "csv",
      roles: { item_id: "itemId", title: "title", description: "description", category: "category" },
      types: { item_id: "text" },
    },
  });
  expect(job.status).toBe("COMPLETED");
  catalogVersionId = version.id;
  relevanceSchemaId = (
    await ok<{ createLabelSchema: { id: string } }>(CREATE_SCHEMA, {
      input: {
        name: "gen-relevance",
        type: "RELEVANCE",
        instructions: "How well does the item answer the query?",
      },
    })
  ).createLabelSchema.id;
  correctionSchemaId = (
    await ok<{ createLabelSchema: { id: string } }>(CREATE_SCHEMA, {
      input: { name: "gen-category", type: "ATTRIBUTE_CORRECTION", instructions: "Is the category right?" },
    })
  ).createLabelSchema.id;
  keys.steward = await makeKey("steward", "STEWARD");
  keys.ann = await makeKey("ann", "LABELLER");
  keys.bob = await makeKey("bob", "LABELLER");
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("search", () => {
  it("ranks by the lexical index alone before the catalogue is embedded, and says so", async () => {
    const result = await search("garden hose");
    expect(result.backend).toBe("bm25f");
    expect(result.embeddingSetId).toBeNull();
    expect(result.hits).toHaveLength(10);
    for (const hit of result.hits) {
      expect(groupOf(hit.itemId)).toBe("hose");
      expect(hit.semanticScore).toBeNull();
      expect(hit.lexicalScore).toBeGreaterThan(0);
      expect(hit.score).toBe(hit.lexicalScore);
    }
    expect(result.hits.map((hit) => hit.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("embeds the query with the set's fitted lexical model and fuses its ranking with the lexical one", async () => {
    const started = await ok<{ embedCatalog: { id: string } }>(
      `mutation($v: ID!) { embedCatalog(input: { versionId: $v, template: "{title}" }) { id } }`,
      { v: catalogVersionId },
    );
    const job = await waitForJob(started.embedCatalog.id, "the embedding job");
    expect(job.status).toBe("COMPLETED");
    const set = await stack.deps.db.embeddingSet.findFirstOrThrow({
      where: { sourceVersionId: catalogVersionId },
    });
    expect(set.backend).toBe("lexical");

    const result = await search("coffee mug", 12, null);
    expect(result.catalogVersionId).toBe(catalogVersionId);
    expect(result.embeddingSetId).toBe(set.id);
    expect(result.backend).toBe("bm25f+lexical");
    expect(result.hits.map((hit) => groupOf(hit.itemId))).toEqual(Array(12).fill("mug"));
    for (const hit of result.hits) {
      expect(hit.semanticScore).toBeGreaterThan(0);
      expect(hit.lexicalScore).toBeGreaterThan(0);
    }
    const scores = result.hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // A plural finds the singular in the titles (stemming), not only through character n-grams.
    const plural = await search("mugs");
    expect(plural.hits[0]?.lexicalScore).toBeGreaterThan(0);
    expect(groupOf(plural.hits[0]?.itemId as string)).toBe("mug");
    expect(await errorCode(SEARCH, { q: "  ", first: 5, v: catalogVersionId })).toBe("BAD_USER_INPUT");
    expect(await errorCode(SEARCH, { q: "lamp", first: 5, v: catalogVersionId }, keys.ann?.token)).toBe(
      "FORBIDDEN",
    );
  });
});

describe("generated tasks", () => {
  it("samples relevance pairs from the search hits of queries taken from the titles, the same for the same seed", async () => {
    const relevance = { catalogVersionId, queryCount: 3, itemsPerQuery: 4, poolDepth: 8, seed: 7 };
    const first = await ok<{
      createLabelProject: { id: string; sourceVersionId: string; progress: { tasks: number } };
    }>(
      CREATE_PROJECT,
      { input: { name: "gen-rel-a", schemaId: relevanceSchemaId, overlap: 2, relevance } },
      keys.steward?.token,
    );
    expect(first.createLabelProject.sourceVersionId).toBe(catalogVersionId);
    expect(first.createLabelProject.progress.tasks).toBe(12);
    const tasks = await taskPayloads(first.createLabelProject.id);
    const queries = [...new Set(tasks.map((task) => task.payload.query))];
    expect(queries).toHaveLength(3);
    // Every query is a title bigram found in at least three items.
    for (const query of queries) {
      expect(ROWS.filter((row) => row.title.includes(query)).length).toBeGreaterThanOrEqual(3);
      const pool = (await search(query, 8)).hits.map((hit) => hit.itemId);
      const picked = tasks.filter((task) => task.payload.query === query);
      expect(picked).toHaveLength(4);
      for (const task of picked) {
        expect(pool).toContain(task.payload.itemId);
        expect(task.payload.title).toBe(ROWS.find((row) => row.itemId === task.payload.itemId)?.title);
      }
    }
    const again = await ok<{ createLabelProject: { id: string } }>(CREATE_PROJECT, {
      input: { name: "gen-rel-b", schemaId: relevanceSchemaId, relevance },
    });
    const pairs = (list: { payload: TPayload }[]) =>
      list.map((task) => `${task.payload.query}|${task.payload.itemId}`);
    expect(pairs(await taskPayloads(again.createLabelProject.id))).toEqual(pairs(tasks));
  });

  it("uses the steward's queries when given and checks the schema type", async () => {
    const created = await ok<{ createLabelProject: { id: string } }>(CREATE_PROJECT, {
      input: {
        name: "gen-rel-given",
        schemaId: relevanceSchemaId,
        relevance: { catalogVersionId, queries: ["table lamp"], itemsPerQuery: 3, poolDepth: 5 },
      },
    });
    const tasks = await taskPayloads(created.createLabelProject.id);
    expect(tasks.map((task) => task.payload.query)).toEqual(["table lamp", "table lamp", "table lamp"]);
    expect(tasks.every((task) => groupOf(task.payload.itemId) === "lamp")).toBe(true);
    expect(
      await errorCode(CREATE_PROJECT, {
        input: { name: "gen-wrong", schemaId: correctionSchemaId, relevance: { catalogVersionId } },
      }),
    ).toBe("BAD_USER_INPUT");
    expect(
      await errorCode(CREATE_PROJECT, {
        input: {
          name: "gen-both",
          schemaId: relevanceSchemaId,
          relevance: { catalogVersionId },
          tasks: [{ a: 1 }],
        },
      }),
    ).toBe("BAD_USER_INPUT");
  });

  it("makes verification tasks pre-filled with each item's current value", async () => {
    const created = await ok<{ createLabelProject: { id: string } }>(CREATE_PROJECT, {
      input: {
        name: "gen-verify",
        schemaId: correctionSchemaId,
        verification: { catalogVersionId, column: "category", count: 10, seed: 3 },
      },
    });
    const tasks = await taskPayloads(created.createLabelProject.id);
    expect(tasks).toHaveLength(10);
    expect(new Set(tasks.map((task) => task.payload.itemId)).size).toBe(10);
    for (const { payload } of tasks) {
      expect(payload.attribute).toBe("category");
      expect(payload.suggestion).toBe(groupOf(payload.itemId));
      expect(payload.title).toBe(ROWS.find((row) => row.itemId === payload.itemId)?.title);
    }
    expect(
      await errorCode(CREATE_PROJECT, {
        input: {
          name: "gen-verify-bad",
          schemaId: correctionSchemaId,
          verification: { catalogVersionId, column: "nope", count: 3 },
        },
      }),
    ).toBe("BAD_USER_INPUT");
  });
});

describe("export of gold labels", () => {
  it("writes adjudicated and unanimous labels as a LABELS version with lineage, downloadable as JSONL and CSV", async () => {
    const created = await ok<{ createLabelProject: { id: string } }>(
      CREATE_PROJECT,
      {
        input: {
          name: "gen-export",
          schemaId: relevanceSchemaId,
          overlap: 2,
          relevance: {
            catalogVersionId,
            queries: ["garden hose", "running shoes"],
            itemsPerQuery: 4,
            poolDepth: 12,
          },
        },
      },
      keys.steward?.token,
    );
    const projectId = created.createLabelProject.id;
    expect(await errorCode(EXPORT, { p: projectId }, keys.steward?.token)).toBe("PRECONDITION_FAILED");
    for (const who of ["ann", "bob"]) {
      await ok(ADD_MEMBER, { p: projectId, k: keys[who]?.id }, keys.steward?.token);
    }

    // ann grades by the task's position; bob agrees on even positions and differs on odd ones.
    const order = (await taskPayloads(projectId)).map((task) => task.id);
    const grade = (taskId: string, who: "ann" | "bob") => {
      const i = order.indexOf(taskId);
      return who === "ann" || i % 2 === 0 ? i % 4 : (i + 1) % 4;
    };
    for (const who of ["ann", "bob"] as const) {
      for (;;) {
        const next = (
          await ok<{ nextLabelTask: { id: string; task: { id: string } } | null }>(
            NEXT,
            { p: projectId },
            keys[who]?.token,
          )
        ).nextLabelTask;
        if (!next) break;
        await ok(SUBMIT, { id: next.id, value: grade(next.task.id, who) }, keys[who]?.token);
      }
    }
    const adjudicated = order[1] as string;
    await ok(ADJUDICATE, { t: adjudicated, value: 3 }, keys.steward?.token);
    const expected = new Map<string, { grade: number; source: string }>();
    order.forEach((taskId, i) => {
      if (i % 2 === 0) expected.set(taskId, { grade: i % 4, source: "unanimous" });
    });
    expected.set(adjudicated, { grade: 3, source: "adjudicated" });
    const before = await ok<{ labelProject: { exportableGoldLabels: number } }>(
      PROJECT,
      { id: projectId },
      keys.steward?.token,
    );
    expect(before.labelProject.exportableGoldLabels).toBe(expected.size);
    expect(await errorCode(EXPORT, { p: projectId }, keys.ann?.token)).toBe("FORBIDDEN");

    const started = await ok<{
      exportGoldLabels: { id: string; name: string; queue: string; inputIds: string[] };
    }>(EXPORT, { p: projectId }, keys.steward?.token);
    expect(started.exportGoldLabels.name).toBe("labels.export");
    const job = await waitForJob(started.exportGoldLabels.id, "the export job");
    expect(job.error).toBeNull();
    expect(job.status).toBe("COMPLETED");
    const versionId = started.exportGoldLabels.inputIds[0] as string;
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({
      where: { id: versionId },
      include: { dataset: true },
    });
    expect(version.dataset).toMatchObject({ name: "labels_gen-export", kind: "LABELS" });
    expect([version.status, version.number, Number(version.rowCount)]).toEqual(["READY", 1, expected.size]);

    const rows = await stack.deps.pool.query<{
      task_id: string;
      query: string;
      item_id: string;
      grade: number;
      gold_source: string;
      labellers: number;
    }>(
      `SELECT task_id, query, item_id, grade::int, gold_source, labellers::int FROM data."${version.tableName}" ORDER BY _line`,
    );
    expect(rows.rows).toHaveLength(expected.size);
    for (const row of rows.rows) {
      expect({ grade: row.grade, source: row.gold_source }).toEqual(expected.get(row.task_id));
      expect(row.labellers).toBe(2);
      expect(["garden hose", "running shoes"]).toContain(row.query);
    }

    // Lineage: project -> version and the labelled catalogue version -> version.
    const edges = await stack.deps.db.lineageEdge.findMany({
      where: { to: { refId: versionId } },
      include: { from: true },
    });
    expect(edges.map((edge) => [edge.from.type, edge.from.refId, edge.relation]).sort()).toEqual(
      [
        ["DATASET_VERSION", catalogVersionId, "labels_of"],
        ["LABEL_PROJECT", projectId, "exported_from"],
      ].sort(),
    );
    const listed = await ok<{
      labelProject: { exports: { datasetName: string; version: { id: string; status: string } }[] };
    }>(PROJECT, { id: projectId }, keys.steward?.token);
    expect(listed.labelProject.exports).toEqual([
      {
        datasetName: "labels_gen-export",
        version: expect.objectContaining({ id: versionId, status: "READY" }),
      },
    ]);
    const labellerView = await ok<{ labelProject: { exports: unknown[] } }>(
      PROJECT,
      { id: projectId },
      keys.ann?.token,
    );
    expect(labellerView.labelProject.exports).toEqual([]);

    // Downloads: JSONL with parsed values, CSV with a header, both audited; labellers may not.
    const download = (format: string, token: string) =>
      fetch(`${stack.url}/api/v1/versions/${versionId}/labels.${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const jsonl = await download("jsonl", keys.steward?.token as string);
    expect(jsonl.status).toBe(200);
    const lines = (await jsonl.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(expected.size);
    for (const line of lines) {
      expect(line.value).toBe(expected.get(line.task_id)?.grade);
      expect(line.payload.itemId).toBe(line.item_id);
    }
    const csv = await download("csv", keys.steward?.token as string);
    const csvLines = (await csv.text()).trim().split("\r\n");
    expect(csvLines[0]).toBe("task_id,query,item_id,label,label_json,grade,gold_source,labellers,payload");
    expect(csvLines).toHaveLength(expected.size + 1);
    expect((await download("csv", keys.ann?.token as string)).status).toBe(403);
    expect((await download("csv", "not-a-key")).status).toBe(401);
    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetId: versionId },
      orderBy: { id: "asc" },
    });
    expect(
      audit.map((event) => [event.action, (event.details as { format?: string }).format ?? null]),
    ).toEqual([
      ["labels.export", null],
      ["labels.download", "jsonl"],
      ["labels.download", "csv"],
    ]);

    // A later adjudication goes into the next version; the first stays as it was.
    await ok(ADJUDICATE, { t: order[3] as string, value: 0 }, keys.steward?.token);
    const second = await ok<{ exportGoldLabels: { id: string; inputIds: string[] } }>(
      EXPORT,
      { p: projectId },
      keys.steward?.token,
    );
    expect((await waitForJob(second.exportGoldLabels.id, "the second export")).status).toBe("COMPLETED");
    const next = await stack.deps.db.datasetVersion.findUniqueOrThrow({
      where: { id: second.exportGoldLabels.inputIds[0] as string },
    });
    expect([next.number, Number(next.rowCount)]).toEqual([2, expected.size + 1]);
    expect(
      Number((await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } })).rowCount),
    ).toBe(expected.size);
  });
});
