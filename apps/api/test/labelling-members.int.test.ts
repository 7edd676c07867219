import type { Role } from "@dam/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, createApiKey } from "../src/modules/auth/auth.service.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Project membership on a real stack: a labeller sees and works on only the projects a steward made
// them a member of; outside, every labelling operation answers as if the project did not exist.

type TKey = { name: string; token: string; id: string };
type TAssignment = { id: string; task: { id: string } };

const CREATE_SCHEMA = `mutation($input: CreateLabelSchemaInput!) { createLabelSchema(input: $input) { id } }`;
const CREATE_PROJECT = `mutation($input: CreateLabelProjectInput!) { createLabelProject(input: $input) { id } }`;
const PROJECTS = `{ labelProjects(first: 50) { totalCount edges { node { id name } } } }`;
const SCHEMAS = `{ labelSchemas(first: 50) { edges { node { id name } } } }`;
const PROJECT = `query($id: ID!) { labelProject(id: $id) { id name members { labeller { userId name } } progress { activeLeases labels } } }`;
const NEXT = `mutation($p: ID!) { nextLabelTask(projectId: $p) { id task { id } } }`;
const SUBMIT = `mutation($id: ID!, $value: JSON!) { submitLabel(assignmentId: $id, value: $value) { id } }`;
const SKIP = `mutation($id: ID!) { skipLabelTask(assignmentId: $id) }`;
const UNDO = `mutation($p: ID!) { undoLastLabel(projectId: $p) { id } }`;
const MY_PROGRESS = `query($p: ID!) { myLabelProgress(projectId: $p) { labels } }`;
const CANDIDATES = `query($p: ID!) { labellerCandidates(projectId: $p) { keyId name keyPrefix } }`;
const ADD = `mutation($p: ID!, $k: ID!) { addLabelProjectMember(projectId: $p, keyId: $k) { labeller { userId name } addedAt } }`;
const REMOVE = `mutation($p: ID!, $l: ID!) { removeLabelProjectMember(projectId: $p, labellerId: $l) }`;

let stack: TTestStack;
const keys: Record<string, TKey> = {};
let inside: string;
let outside: string;
let outsideSchema: string;

const key = (name: string): TKey => keys[name] as TKey;

const ok = async <T>(query: string, variables: Record<string, unknown>, token: string) => {
  const answer = await stack.gql<T>(query, variables, token);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data as T;
};

const errorCode = async (query: string, variables: Record<string, unknown>, token: string) =>
  (await stack.gql(query, variables, token)).errors?.[0]?.extensions?.code;

const makeKey = async (name: string, role: Role): Promise<TKey> => {
  const admin = await authenticate(stack.deps, `Bearer ${ADMIN_TOKEN}`);
  const { key: token, apiKey } = await createApiKey(stack.deps.db, admin, { name, role });
  return { name, token, id: apiKey.id };
};

const createProject = async (name: string, schemaId: string) =>
  (
    await ok<{ createLabelProject: { id: string } }>(
      CREATE_PROJECT,
      {
        input: {
          name,
          schemaId,
          tasks: [
            { query: "q1", itemId: "i1" },
            { query: "q2", itemId: "i2" },
            { query: "q3", itemId: "i3" },
          ],
        },
      },
      key("steward").token,
    )
  ).createLabelProject.id;

const projectNames = async (token: string) =>
  (
    await ok<{ labelProjects: { edges: { node: { name: string } }[] } }>(PROJECTS, {}, token)
  ).labelProjects.edges
    .map((edge) => edge.node.name)
    .sort();

beforeAll(async () => {
  stack = await startTestStack();
  keys.steward = await makeKey("steward", "STEWARD");
  keys.otherSteward = await makeKey("other steward", "STEWARD");
  keys.viewer = await makeKey("viewer", "VIEWER");
  keys.ann = await makeKey("ann", "LABELLER");
  keys.bob = await makeKey("bob", "LABELLER");
  const schema = async (name: string) =>
    (
      await ok<{ createLabelSchema: { id: string } }>(
        CREATE_SCHEMA,
        { input: { name, type: "RELEVANCE" } },
        key("steward").token,
      )
    ).createLabelSchema.id;
  const insideSchema = await schema("inside schema");
  outsideSchema = await schema("outside schema");
  inside = await createProject("inside", insideSchema);
  outside = await createProject("outside", outsideSchema);
});

afterAll(async () => {
  await stack?.close();
});

describe("label project membership", () => {
  it("a labeller who is a member of nothing sees no project and is refused every project's tasks", async () => {
    const ann = key("ann").token;
    expect(await projectNames(ann)).toEqual([]);
    expect((await ok<{ labelSchemas: { edges: unknown[] } }>(SCHEMAS, {}, ann)).labelSchemas.edges).toEqual(
      [],
    );
    expect((await ok<{ labelProject: unknown }>(PROJECT, { id: inside }, ann)).labelProject).toBeNull();
    expect(await errorCode(NEXT, { p: inside }, ann)).toBe("NOT_FOUND");
    expect(await errorCode(UNDO, { p: inside }, ann)).toBe("NOT_FOUND");
    expect(await errorCode(MY_PROGRESS, { p: inside }, ann)).toBe("NOT_FOUND");
    // Stewards see every project without being members.
    expect(await projectNames(key("otherSteward").token)).toEqual(["inside", "outside"]);
  });

  it("only stewards list candidates and add members; the addition is audited", async () => {
    const steward = key("steward").token;
    for (const who of ["ann", "viewer"]) {
      expect(await errorCode(CANDIDATES, { p: inside }, key(who).token)).toBe("FORBIDDEN");
      expect(await errorCode(ADD, { p: inside, k: key("ann").id }, key(who).token)).toBe("FORBIDDEN");
    }
    const before = await ok<{ labellerCandidates: { keyId: string; name: string }[] }>(
      CANDIDATES,
      { p: inside },
      steward,
    );
    expect(before.labellerCandidates.map((c) => c.name)).toEqual(["ann", "bob"]);

    const added = await ok<{ addLabelProjectMember: { labeller: { name: string } } }>(
      ADD,
      { p: inside, k: key("ann").id },
      steward,
    );
    expect(added.addLabelProjectMember.labeller.name).toBe("ann");
    // Adding twice changes nothing.
    await ok(ADD, { p: inside, k: key("ann").id }, steward);
    const after = await ok<{ labellerCandidates: { name: string }[] }>(CANDIDATES, { p: inside }, steward);
    expect(after.labellerCandidates.map((c) => c.name)).toEqual(["bob"]);
    const project = await ok<{ labelProject: { members: { labeller: { name: string } }[] } }>(
      PROJECT,
      { id: inside },
      steward,
    );
    expect(project.labelProject.members.map((m) => m.labeller.name)).toEqual(["ann"]);
    const audit = await stack.deps.db.auditEvent.findMany({
      where: { action: "labelProject.addMember", targetId: inside },
    });
    expect(audit).toHaveLength(2);
    expect(audit[0]?.details).toMatchObject({ keyId: key("ann").id, name: "ann" });
  });

  it("refuses keys that need no membership or do not work, and ids that are not ids", async () => {
    const steward = key("steward").token;
    expect(await errorCode(ADD, { p: inside, k: key("otherSteward").id }, steward)).toBe("BAD_USER_INPUT");
    expect(await errorCode(ADD, { p: inside, k: key("viewer").id }, steward)).toBe("BAD_USER_INPUT");
    expect(await errorCode(ADD, { p: inside, k: crypto.randomUUID() }, steward)).toBe("NOT_FOUND");
    expect(await errorCode(ADD, { p: crypto.randomUUID(), k: key("bob").id }, steward)).toBe("NOT_FOUND");
    expect(await errorCode(ADD, { p: "not-a-uuid", k: key("bob").id }, steward)).toBe("BAD_USER_INPUT");
    const revoked = await makeKey("revoked labeller", "LABELLER");
    await stack.deps.db.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect(await errorCode(ADD, { p: inside, k: revoked.id }, steward)).toBe("NOT_FOUND");
  });

  it("a member sees their project (not its member list) and labels its tasks; other projects stay hidden", async () => {
    const ann = key("ann").token;
    expect(await projectNames(ann)).toEqual(["inside"]);
    const schemas = await ok<{ labelSchemas: { edges: { node: { id: string } }[] } }>(SCHEMAS, {}, ann);
    expect(schemas.labelSchemas.edges.map((e) => e.node.id)).not.toContain(outsideSchema);
    expect(schemas.labelSchemas.edges).toHaveLength(1);
    const project = await ok<{ labelProject: { name: string; members: unknown[] } }>(
      PROJECT,
      { id: inside },
      ann,
    );
    expect(project.labelProject).toMatchObject({ name: "inside", members: [] });

    const assignment = (await ok<{ nextLabelTask: TAssignment }>(NEXT, { p: inside }, ann)).nextLabelTask;
    expect(assignment).not.toBeNull();
    await ok(SUBMIT, { id: assignment.id, value: 2 }, ann);
    expect(
      (await ok<{ myLabelProgress: { labels: number } }>(MY_PROGRESS, { p: inside }, ann)).myLabelProgress
        .labels,
    ).toBe(1);
    expect(await errorCode(NEXT, { p: outside }, ann)).toBe("NOT_FOUND");
    expect((await ok<{ labelProject: unknown }>(PROJECT, { id: outside }, ann)).labelProject).toBeNull();
    // bob, not a member, still sees nothing.
    expect(await projectNames(key("bob").token)).toEqual([]);
  });

  it("a labeller taken off a project loses it at once: held leases are released and cannot be answered", async () => {
    const steward = key("steward").token;
    const ann = key("ann").token;
    const held = (await ok<{ nextLabelTask: TAssignment }>(NEXT, { p: inside }, ann)).nextLabelTask;
    const second = (await ok<{ nextLabelTask: TAssignment }>(NEXT, { p: inside }, ann)).nextLabelTask;
    expect(second).not.toBeNull();
    const leases = await ok<{ labelProject: { progress: { activeLeases: number } } }>(
      PROJECT,
      { id: inside },
      steward,
    );
    expect(leases.labelProject.progress.activeLeases).toBeGreaterThan(0);

    const members = await ok<{ labelProject: { members: { labeller: { userId: string } }[] } }>(
      PROJECT,
      { id: inside },
      steward,
    );
    const annId = members.labelProject.members[0]?.labeller.userId as string;
    expect(
      (await ok<{ removeLabelProjectMember: boolean }>(REMOVE, { p: inside, l: annId }, steward))
        .removeLabelProjectMember,
    ).toBe(true);
    expect(
      (await ok<{ removeLabelProjectMember: boolean }>(REMOVE, { p: inside, l: annId }, steward))
        .removeLabelProjectMember,
    ).toBe(false);

    expect(await errorCode(SUBMIT, { id: held.id, value: 1 }, ann)).toBe("NOT_FOUND");
    expect(await errorCode(SKIP, { id: second.id }, ann)).toBe("NOT_FOUND");
    expect(await errorCode(NEXT, { p: inside }, ann)).toBe("NOT_FOUND");
    expect(await projectNames(ann)).toEqual([]);
    const after = await ok<{ labelProject: { progress: { activeLeases: number; labels: number } } }>(
      PROJECT,
      { id: inside },
      steward,
    );
    expect(after.labelProject.progress).toEqual({ activeLeases: 0, labels: 1 });
    expect(
      await stack.deps.db.auditEvent.count({
        where: { action: "labelProject.removeMember", targetId: inside },
      }),
    ).toBe(1);
  });
});
