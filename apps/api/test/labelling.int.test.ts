import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TRating } from "@dam/agreement/agreement-types";
import { cohenKappa } from "@dam/agreement/cohen-kappa";
import { fleissKappa } from "@dam/agreement/fleiss-kappa";
import { krippendorffAlpha } from "@dam/agreement/krippendorff-alpha";
import type { Role } from "@dam/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, createApiKey } from "../src/modules/auth/auth.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

type TAssignment = { id: string; slot: number; task: { id: string; payload: { n: number } } };
type TKey = { name: string; token: string; id: string };

const CREATE_SCHEMA = `mutation($input: CreateLabelSchemaInput!) { createLabelSchema(input: $input) { id type } }`;
const CREATE_PROJECT = `mutation($input: CreateLabelProjectInput!) {
  createLabelProject(input: $input) { id overlap progress { tasks slots } } }`;
const NEXT = `mutation($projectId: ID!) { nextLabelTask(projectId: $projectId) { id slot task { id payload } } }`;
const SUBMIT = `mutation($id: ID!, $value: JSON!) { submitLabel(assignmentId: $id, value: $value) { id value isGold } }`;
const SKIP = `mutation($id: ID!) { skipLabelTask(assignmentId: $id) }`;
const UNDO = `mutation($projectId: ID!) { undoLastLabel(projectId: $projectId) { id slot task { id } } }`;
const ADD_MEMBER = `mutation($projectId: ID!, $keyId: ID!) {
  addLabelProjectMember(projectId: $projectId, keyId: $keyId) { labeller { userId name } } }`;
const PROGRESS = `query($id: ID!) { labelProject(id: $id) { progress { tasks slots labels completeTasks activeLeases goldTasks } } }`;
const AGREEMENT = `query($id: ID!) { projectAgreement(projectId: $id) {
  items labellers labels meanCohenKappa
  fleissKappa { value undefinedReason items } krippendorffAlphaNominal { value items }
  krippendorffAlphaOrdinal { value items }
  pairs { labellerA { name } labellerB { name } kappa { value items } }
  categories { category ratings kappa } } }`;
const DISAGREEMENTS = `query($id: ID!) { labelDisagreements(projectId: $id) {
  totalCount edges { node { id payload distinctValues goldValue labels { value labeller { name } } } } } }`;
const ADJUDICATE = `mutation($taskId: ID!, $value: JSON!) { adjudicate(taskId: $taskId, value: $value) { id goldValue } }`;

let stack: TTestStack;
let relevanceSchemaId: string;
const keys: Record<string, TKey> = {};

const ok = async <T>(query: string, variables: Record<string, unknown>, token: string = ADMIN_TOKEN) => {
  const answer = await stack.gql<T>(query, variables, token);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data as T;
};

const errorCode = async (query: string, variables: Record<string, unknown>, token: string) => {
  const answer = await stack.gql(query, variables, token);
  return answer.errors?.[0]?.extensions?.code;
};

const makeKey = async (name: string, role: Role): Promise<TKey> => {
  const admin = await authenticate(stack.deps, `Bearer ${ADMIN_TOKEN}`);
  const { key, apiKey } = await createApiKey(stack.deps.db, admin, { name, role });
  return { name, token: key, id: apiKey.id };
};

/** Lets labellers work on a project, as a steward does. */
const addMembers = async (projectId: string, members: TKey[]) => {
  for (const member of members) {
    await ok(ADD_MEMBER, { projectId, keyId: member.id }, keys.steward?.token);
  }
};

const createProject = async (name: string, tasks: number, overlap: number, leaseSeconds = 600) => {
  const payloads = Array.from({ length: tasks }, (_, n) => ({ n, query: `q${n}`, itemId: `item-${n}` }));
  const data = await ok<{ createLabelProject: { id: string } }>(CREATE_PROJECT, {
    input: { name, schemaId: relevanceSchemaId, overlap, leaseSeconds, tasks: payloads },
  });
  return data.createLabelProject.id;
};

const next = async (projectId: string, key: TKey) =>
  (await ok<{ nextLabelTask: TAssignment | null }>(NEXT, { projectId }, key.token)).nextLabelTask;

beforeAll(async () => {
  stack = await startTestStack();
  const schema = await ok<{ createLabelSchema: { id: string } }>(CREATE_SCHEMA, {
    input: { name: "relevance", type: "RELEVANCE", instructions: "0 irrelevant .. 3 perfect" },
  });
  relevanceSchemaId = schema.createLabelSchema.id;
  keys.steward = await makeKey("steward", "STEWARD");
  keys.viewer = await makeKey("viewer", "VIEWER");
  for (const name of ["ann", "bob", "cat", "dan"]) keys[name] = await makeKey(name, "LABELLER");
});

afterAll(async () => {
  await stack?.close();
});

describe("labelling", () => {
  it("gives 20 concurrent labellers distinct (task, slot) leases until every task has its overlap", async () => {
    const projectId = await createProject("concurrent", 30, 3);
    const labellers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => makeKey(`crowd-${String(i).padStart(2, "0")}`, "LABELLER")),
    );
    await addMembers(projectId, labellers);
    const grants: { labeller: string; taskId: string; slot: number }[] = [];
    await Promise.all(
      labellers.map(async (labeller, i) => {
        for (;;) {
          const assignment = await next(projectId, labeller);
          if (!assignment) return;
          grants.push({ labeller: labeller.name, taskId: assignment.task.id, slot: assignment.slot });
          await ok(SUBMIT, { id: assignment.id, value: (assignment.task.payload.n + i) % 4 }, labeller.token);
        }
      }),
    );
    expect(grants).toHaveLength(90);
    expect(new Set(grants.map((g) => `${g.taskId}/${g.slot}`)).size).toBe(90);
    expect(new Set(grants.map((g) => `${g.taskId}/${g.labeller}`)).size).toBe(90);
    expect(new Set(grants.map((g) => g.slot))).toEqual(new Set([0, 1, 2]));
    const perTask = await stack.deps.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
       WHERE t."projectId" = $1 GROUP BY t.id`,
      [projectId],
    );
    expect(perTask.rows.map((row) => row.n)).toEqual(Array(30).fill(3));
    const progress = await ok<{ labelProject: { progress: Record<string, number> } }>(PROGRESS, {
      id: projectId,
    });
    expect(progress.labelProject.progress).toEqual({
      tasks: 30,
      slots: 90,
      labels: 90,
      completeTasks: 30,
      activeLeases: 0,
      goldTasks: 0,
    });
  });

  it("hands an expired lease to someone else and refuses the old holder's answer", async () => {
    const projectId = await createProject("expiry", 1, 1);
    const ann = keys.ann as TKey;
    const bob = keys.bob as TKey;
    await addMembers(projectId, [ann, bob]);
    const first = (await next(projectId, ann)) as TAssignment;
    expect(await next(projectId, bob)).toBeNull();
    const expire = () =>
      stack.deps.pool.query(
        `UPDATE "LabelAssignment" SET "leaseExpiresAt" = now() - interval '1 second' WHERE id = $1`,
        [first.id],
      );
    await expire();
    const expired = await stack.gql(SUBMIT, { id: first.id, value: 1 }, ann.token);
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "LEASE_EXPIRED" });
    const second = (await next(projectId, bob)) as TAssignment;
    expect({ task: second.task.id, slot: second.slot }).toEqual({ task: first.task.id, slot: first.slot });
    expect(await errorCode(SUBMIT, { id: first.id, value: 1 }, ann.token)).toBe("NOT_FOUND");
    expect(await errorCode(SUBMIT, { id: second.id, value: 7 }, bob.token)).toBe("BAD_USER_INPUT");
    await ok(SUBMIT, { id: second.id, value: 2 }, bob.token);
    expect(await next(projectId, ann)).toBeNull();
  });

  it("skips a task for its skipper only, and undoes the last answer", async () => {
    const projectId = await createProject("skip-undo", 2, 1);
    const cat = keys.cat as TKey;
    const dan = keys.dan as TKey;
    await addMembers(projectId, [cat, dan]);
    const skipped = (await next(projectId, cat)) as TAssignment;
    await ok(SKIP, { id: skipped.id }, cat.token);
    const other = (await next(projectId, cat)) as TAssignment;
    expect(other.task.id).not.toBe(skipped.task.id);
    const forDan = (await next(projectId, dan)) as TAssignment;
    expect(forDan.task.id).toBe(skipped.task.id);
    await ok(SUBMIT, { id: other.id, value: 3 }, cat.token);
    const undone = await ok<{ undoLastLabel: TAssignment }>(UNDO, { projectId }, cat.token);
    expect(undone.undoLastLabel.task.id).toBe(other.task.id);
    expect(await stack.deps.db.label.count({ where: { taskId: other.task.id } })).toBe(0);
    await ok(SUBMIT, { id: undone.undoLastLabel.id, value: 2 }, cat.token);
    expect(await errorCode(SUBMIT, { id: forDan.id, value: 1 }, cat.token)).toBe("NOT_FOUND");
  });

  it("reports the pure package's agreement numbers, lists disagreements, and adjudicates gold", async () => {
    const projectId = await createProject("agreement", 5, 3);
    // Hand-made answers per task n: ann, bob, cat (cat stops after three tasks: missing ratings).
    const answers: Record<string, number[]> = {
      ann: [0, 1, 2, 3, 3],
      bob: [0, 1, 3, 3, 2],
      cat: [0, 2, 2, 3, 1],
    };
    const given: Record<string, TRating[]> = {
      ann: Array(5).fill(null),
      bob: Array(5).fill(null),
      cat: Array(5).fill(null),
    };
    // Fresh keys: who labels what here must not depend on the other tests' projects.
    for (const name of ["ann", "bob", "cat"]) {
      const key = await makeKey(`${name}-agree`, "LABELLER");
      await addMembers(projectId, [key]);
      const limit = name === "cat" ? 3 : 5;
      for (let done = 0; done < limit; done++) {
        const assignment = (await next(projectId, key)) as TAssignment;
        const n = assignment.task.payload.n;
        const value = answers[name]?.[n] as number;
        (given[name] as TRating[])[n] = value;
        await ok(SUBMIT, { id: assignment.id, value }, key.token);
      }
    }
    const table = Array.from({ length: 5 }, (_, n) =>
      ["ann", "bob", "cat"].map((name) => given[name]?.[n] ?? null),
    );
    const data = await ok<{ projectAgreement: Record<string, unknown> }>(
      AGREEMENT,
      { id: projectId },
      keys.steward?.token,
    );
    const agreement = data.projectAgreement as {
      items: number;
      labellers: number;
      labels: number;
      fleissKappa: { value: number; items: number };
      krippendorffAlphaNominal: { value: number };
      krippendorffAlphaOrdinal: { value: number };
      pairs: {
        labellerA: { name: string };
        labellerB: { name: string };
        kappa: { value: number; items: number };
      }[];
    };
    expect({ items: agreement.items, labellers: agreement.labellers, labels: agreement.labels }).toEqual({
      items: 5,
      labellers: 3,
      labels: 13,
    });
    const fleiss = fleissKappa(table);
    expect(agreement.fleissKappa.value).toBeCloseTo(fleiss.value as number, 12);
    expect(agreement.fleissKappa.items).toBe(3);
    const scale = { categories: [0, 1, 2, 3] };
    expect(agreement.krippendorffAlphaNominal.value).toBeCloseTo(
      krippendorffAlpha(table, { level: "nominal", ...scale }).value as number,
      12,
    );
    const ordinal = krippendorffAlpha(table, { level: "ordinal", ...scale }).value as number;
    expect(agreement.krippendorffAlphaOrdinal.value).toBeCloseTo(ordinal, 12);
    expect(ordinal).toBeGreaterThan(agreement.krippendorffAlphaNominal.value);
    const column = (name: string) => given[name] as TRating[];
    const pairs = Object.fromEntries(
      agreement.pairs.map((p) => [[p.labellerA.name, p.labellerB.name].sort().join("+"), p.kappa]),
    );
    for (const [a, b] of [
      ["ann-agree", "bob-agree"],
      ["ann-agree", "cat-agree"],
      ["bob-agree", "cat-agree"],
    ] as const) {
      const expected = cohenKappa(
        column(a.split("-")[0] as string),
        column(b.split("-")[0] as string),
        scale,
      );
      expect(pairs[`${a}+${b}`]?.value).toBeCloseTo(expected.value as number, 12);
      expect(pairs[`${a}+${b}`]?.items).toBe(expected.items);
    }

    const labeller = keys.ann?.token as string;
    expect(await errorCode(AGREEMENT, { id: projectId }, labeller)).toBe("FORBIDDEN");
    expect(await errorCode(DISAGREEMENTS, { id: projectId }, labeller)).toBe("FORBIDDEN");
    type TReview = {
      id: string;
      payload: { n: number };
      distinctValues: number;
      labels: { value: number }[];
    };
    const review = await ok<{ labelDisagreements: { totalCount: number; edges: { node: TReview }[] } }>(
      DISAGREEMENTS,
      { id: projectId },
      keys.steward?.token,
    );
    // Tasks 2 and 4 disagree whoever labels them, 1 only when cat did; 0 and 3 are unanimous.
    const disagreeing = table.flatMap((row, n) =>
      new Set(row.filter((v) => v !== null)).size > 1 ? [n] : [],
    );
    expect(disagreeing).toEqual(expect.arrayContaining([2, 4]));
    expect(review.labelDisagreements.edges.map((e) => e.node.payload.n).sort()).toEqual(disagreeing);
    const task4 = review.labelDisagreements.edges.find((e) => e.node.payload.n === 4)?.node as TReview;
    expect(task4.labels.map((l) => l.value).sort()).toEqual(table[4]?.filter((v) => v !== null).sort());
    expect(await errorCode(ADJUDICATE, { taskId: task4.id, value: 3 }, labeller)).toBe("FORBIDDEN");
    expect(await errorCode(ADJUDICATE, { taskId: task4.id, value: "x" }, keys.steward?.token as string)).toBe(
      "BAD_USER_INPUT",
    );
    const gold = await ok<{ adjudicate: { goldValue: number } }>(
      ADJUDICATE,
      { taskId: task4.id, value: 3 },
      keys.steward?.token,
    );
    expect(gold.adjudicate.goldValue).toBe(3);
    await ok(ADJUDICATE, { taskId: task4.id, value: 2 }, keys.steward?.token);
    expect(
      await stack.deps.db.label.findMany({
        where: { taskId: task4.id, isGold: true },
        select: { value: true },
      }),
    ).toEqual([{ value: 2 }]);
    const after = await ok<{ labelDisagreements: { totalCount: number } }>(
      DISAGREEMENTS,
      { id: projectId },
      keys.steward?.token,
    );
    expect(after.labelDisagreements.totalCount).toBe(disagreeing.length - 1);
    const progress = await ok<{
      labellerProgress: { labeller: { name: string }; goldCompared: number; accuracy: number }[];
    }>(
      `query($id: ID!) { labellerProgress(projectId: $id) { labeller { name } goldCompared accuracy } }`,
      { id: projectId },
      keys.steward?.token,
    );
    // Gold of task 4 is 2: ann said 3, bob 2, cat 1 if cat labelled it.
    const catOnTask4 = given.cat?.[4] === null ? [0, null] : [1, 0];
    expect(progress.labellerProgress.map((p) => [p.labeller.name, p.goldCompared, p.accuracy])).toEqual([
      ["ann-agree", 1, 0],
      ["bob-agree", 1, 1],
      ["cat-agree", ...catOnTask4],
    ]);
  });

  it("creates tasks from a dataset version's first rows and enforces roles", async () => {
    const workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "dam-labelling-"));
      const file = path.join(dir, "items.csv");
      await writeFile(file, "item_id,title,price\n1,Mug,3.5\n2,Lamp,20\n3,Desk,99\n4,Chair,45\n");
      const { version, job } = await importAndWait(stack, {
        name: "labelling_items",
        kind: "CATALOG",
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      });
      expect(job.status).toBe("COMPLETED");
      const input = {
        name: "from-rows",
        schemaId: relevanceSchemaId,
        overlap: 2,
        source: { versionId: version.id, columns: ["item_id", "title"], limit: 3 },
      };
      expect(await errorCode(CREATE_PROJECT, { input }, keys.ann?.token as string)).toBe("FORBIDDEN");
      expect(
        await errorCode(
          CREATE_PROJECT,
          { input: { ...input, source: { ...input.source, columns: ["nope"] } } },
          keys.steward?.token as string,
        ),
      ).toBe("BAD_USER_INPUT");
      const created = await ok<{
        createLabelProject: { id: string; progress: { tasks: number; slots: number } };
      }>(CREATE_PROJECT, { input }, keys.steward?.token);
      expect(created.createLabelProject.progress).toEqual({ tasks: 3, slots: 6 });
      const tasks = await stack.deps.db.labelTask.findMany({
        where: { projectId: created.createLabelProject.id },
      });
      expect(
        tasks.map((t) => t.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([
        { _line: 2, item_id: 1, title: "Mug" },
        { _line: 3, item_id: 2, title: "Lamp" },
        { _line: 4, item_id: 3, title: "Desk" },
      ]);
      expect(
        await errorCode(NEXT, { projectId: created.createLabelProject.id }, keys.viewer?.token as string),
      ).toBe("FORBIDDEN");
      const steward = await next(created.createLabelProject.id, keys.steward as TKey);
      expect(steward?.slot).toBe(0);
    } finally {
      await workers.stop();
    }
  });
});
