import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack({ DAM_UPLOADS_DIR: await mkdtemp(path.join(tmpdir(), "dam-uploads-")) });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-roles-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const EVENTS = [
  "event_id,customer_id,ItemID,action,at,unit_price",
  "1,10,A1,view,2026-01-01T10:00:00Z,4.5",
  "2,10,A2,purchase,2026-01-01T10:05:00Z,12",
  "3,11,A1,cart,2026-01-02T09:00:00Z,4.5",
].join("\n");

const upload = async (name: string, body: string) => {
  const response = await fetch(`${stack.url}/api/v1/uploads?name=${name}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/csv" },
    body,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { uploadId: string }).uploadId;
};

const IMPORT = `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { version { id } } }`;
const UPDATE = `mutation($input: UpdateColumnRolesInput!) {
  updateColumnRoles(input: $input) { id columns { name role } } }`;

const PREVIEW = `query($input: ImportPreviewInput!) { importPreview(input: $input) {
  columns { source name type role roleInferred roleInherited nullable } rows sampledRows } }`;

type TPreview = {
  importPreview: {
    columns: {
      source: string;
      name: string;
      type: string;
      role: string | null;
      roleInferred: boolean;
      roleInherited: boolean;
    }[];
    rows: (string | null)[][];
    sampledRows: number;
  };
};

describe("column roles", () => {
  it("are previewed before an import with the types and roles the import will infer, writing nothing", async () => {
    const uploadId = await upload("preview.csv", `${EVENTS}\n4,,A3,view,2026-01-03T08:00:00Z,`);
    const datasets = await stack.deps.db.dataset.count();
    const preview = await stack.gql<TPreview>(PREVIEW, {
      input: { uploadIds: [uploadId], first: 2, roles: [{ column: "unit_price", role: "quantity" }] },
    });
    expect(preview.errors).toBeUndefined();
    const { columns, rows, sampledRows } = preview.data!.importPreview;
    expect(columns.map((c) => [c.source, c.name, c.type, c.role, c.roleInferred])).toEqual([
      ["event_id", "event_id", "integer", "eventId", true],
      ["customer_id", "customer_id", "integer", "userId", true],
      ["ItemID", "item_id", "text", "itemId", true],
      ["action", "action", "text", "eventType", true],
      ["at", "at", "timestamp", "timestamp", true],
      ["unit_price", "unit_price", "decimal", "quantity", false],
    ]);
    expect(columns.find((c) => c.source === "customer_id")).toMatchObject({ nullable: true });
    expect(rows).toEqual([
      ["1", "10", "A1", "view", "2026-01-01T10:00:00Z", "4.5"],
      ["2", "10", "A2", "purchase", "2026-01-01T10:05:00Z", "12"],
    ]);
    expect(sampledRows).toBe(4);
    expect(await stack.deps.db.dataset.count()).toBe(datasets);

    const badColumn = await stack.gql(PREVIEW, {
      input: { uploadIds: [uploadId], roles: [{ column: "ttle", role: "title" }] },
    });
    expect(badColumn.errors?.[0]?.message).toMatch(/roles\[0\]\.column: "ttle" is not a column/);
    const badFirst = await stack.gql(PREVIEW, { input: { uploadIds: [uploadId], first: 500 } });
    expect(badFirst.errors?.[0]?.message).toMatch(/first: between 1 and 100/);
    const badUpload = await stack.gql(PREVIEW, {
      input: { uploadIds: ["00000000-0000-0000-0000-000000000000"] },
    });
    expect(badUpload.errors?.[0]?.message).toMatch(/uploadIds\[0\]: unknown upload/);
  });

  it("are inferred on import from names, types and values", async () => {
    const file = path.join(dir, "events.csv");
    await writeFile(file, EVENTS);
    const { version } = await importAndWait(stack, {
      name: "roles_events",
      kind: "EVENTS",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    expect(version.status).toBe("READY");
    const schema = version.schema as { name: string; role: string | null }[];
    expect(Object.fromEntries(schema.map((column) => [column.name, column.role]))).toEqual({
      event_id: "eventId",
      customer_id: "userId",
      item_id: "itemId",
      action: "eventType",
      at: "timestamp",
      unit_price: "price",
    });
  });

  it("refuses an import map with an unknown role or a missing column, naming it", async () => {
    const uploadId = await upload("events.csv", EVENTS);
    const input = { name: "roles_refused", kind: "EVENTS", uploadIds: [uploadId] };
    const badRole = await stack.gql(IMPORT, {
      input: {
        ...input,
        roles: [
          { column: "ItemID", role: "itemId" },
          { column: "action", role: "evnetType" },
        ],
      },
    });
    expect(badRole.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Roles are the GraphQL enum ColumnRole: the request is refused before the resolver, naming the
    // field, the value and the nearest role.
    expect(badRole.errors?.[0]?.message).toMatch(
      /input\.roles\[1\]\.role.*"evnetType" does not exist in "ColumnRole"/,
    );
    expect(badRole.errors?.[0]?.message).toMatch(/eventType/);
    const badColumn = await stack.gql(IMPORT, {
      input: { ...input, roles: [{ column: "ttle", role: "title" }] },
    });
    expect(badColumn.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badColumn.errors?.[0]?.message).toMatch(/roles\[0\]\.column: "ttle" is not a column/);
    expect(await stack.deps.db.dataset.findUnique({ where: { name: "roles_refused" } })).toBeNull();
  });

  it("are edited after import, moved between columns, validated and audited", async () => {
    const version = await stack.deps.db.datasetVersion.findFirstOrThrow({
      where: { dataset: { name: "roles_events" } },
    });
    const moved = await stack.gql<{
      updateColumnRoles: { columns: { name: string; role: string | null }[] };
    }>(UPDATE, {
      input: {
        versionId: version.id,
        roles: [
          { column: "event_id", role: "itemId" },
          { column: "unit_price", role: null },
        ],
      },
    });
    expect(moved.errors).toBeUndefined();
    const roles = Object.fromEntries(
      (moved.data?.updateColumnRoles.columns ?? []).map((column) => [column.name, column.role]),
    );
    expect(roles).toMatchObject({
      event_id: "itemId",
      item_id: null,
      unit_price: null,
      customer_id: "userId",
    });
    const audit = await stack.deps.db.auditEvent.findFirstOrThrow({
      where: { action: "version.roles", targetId: version.id },
    });
    expect(audit.details).toEqual({
      changes: [
        { column: "event_id", from: "eventId", to: "itemId" },
        { column: "item_id", from: "itemId", to: null },
        { column: "unit_price", from: "price", to: null },
      ],
    });

    const byHeader = await stack.gql(UPDATE, {
      input: { versionId: version.id, roles: [{ column: "ItemID", role: "itemId" }] },
    });
    expect(byHeader.errors).toBeUndefined();

    const unknown = await stack.gql(UPDATE, {
      input: { versionId: version.id, roles: [{ column: "titel", role: "title" }] },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(unknown.errors?.[0]?.message).toMatch(/"titel" is not a column/);

    const missing = await stack.gql(UPDATE, {
      input: { versionId: "00000000-0000-0000-0000-000000000000", roles: [{ column: "a", role: "title" }] },
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("are changed only by stewards and admins", async () => {
    const created = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "roles-viewer", role: VIEWER) { key } }`,
    );
    const viewer = created.data?.createApiKey.key ?? "";
    const version = await stack.deps.db.datasetVersion.findFirstOrThrow({
      where: { dataset: { name: "roles_events" } },
    });
    const refused = await stack.gql(
      UPDATE,
      { input: { versionId: version.id, roles: [{ column: "at", role: null }] } },
      viewer,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const listed = await stack.gql<{ columnRoles: string[] }>(`{ columnRoles }`, {}, viewer);
    expect(listed.data?.columnRoles).toContain("itemId");
  });

  it("let the dashboard chart skip a newer events version without roles, and name it when asked for", async () => {
    const file = path.join(dir, "bare.csv");
    await writeFile(file, "a,b\nx,1\ny,2\n");
    const { dataset } = await importAndWait(stack, {
      name: "roles_bare_events",
      kind: "EVENTS",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    const chart = await stack.gql<{ eventsPerDay: { day: string; eventType: string; count: number }[] }>(
      `{ eventsPerDay { day eventType count } }`,
    );
    expect(chart.errors).toBeUndefined();
    expect(chart.data?.eventsPerDay).toEqual([
      { day: "2026-01-01", eventType: "purchase", count: 1 },
      { day: "2026-01-01", eventType: "view", count: 1 },
      { day: "2026-01-02", eventType: "cart", count: 1 },
    ]);
    const named = await stack.gql(`query($id: ID) { eventsPerDay(datasetId: $id) { day } }`, {
      id: dataset.id,
    });
    expect(named.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
    expect(named.errors?.[0]?.message).toMatch(/^roles_bare_events v1 needs columns with the roles/);
  });

  it("are kept from the dataset's previous version by a new import, a steward's edits included", async () => {
    const rolesOf = (schema: unknown) =>
      Object.fromEntries((schema as { name: string; role: string | null }[]).map((c) => [c.name, c.role]));
    const v1 = await stack.deps.db.datasetVersion.findFirstOrThrow({
      where: { dataset: { name: "roles_events" }, number: 1 },
    });
    // A steward removed the roles of unit_price and event_id: inference alone would give them back
    // (price, eventId).
    expect(rolesOf(v1.schema)).toMatchObject({ unit_price: null, event_id: null, item_id: "itemId" });

    const uploadId = await upload("events-again.csv", EVENTS);
    const preview = await stack.gql<TPreview>(PREVIEW, {
      input: { uploadIds: [uploadId], name: "roles_events" },
    });
    expect(preview.errors).toBeUndefined();
    const columns = preview.data!.importPreview.columns;
    expect(Object.fromEntries(columns.map((c) => [c.name, c.role]))).toEqual(rolesOf(v1.schema));
    expect(columns.filter((c) => !c.roleInherited || c.roleInferred)).toEqual([]);

    const file = path.join(dir, "events.csv");
    const { version: v2 } = await importAndWait(stack, {
      name: "roles_events",
      kind: "EVENTS",
      source: { paths: [file], format: "csv", roles: { action: "eventType" }, types: {} },
    });
    expect(v2.number).toBe(2);
    expect(rolesOf(v2.schema)).toEqual(rolesOf(v1.schema));

    // The import's own map wins over what is kept, and takes its role away from the earlier column.
    const { version: v3 } = await importAndWait(stack, {
      name: "roles_events",
      kind: "EVENTS",
      source: { paths: [file], format: "csv", roles: { event_id: "itemId", unit_price: "price" }, types: {} },
    });
    expect(rolesOf(v3.schema)).toMatchObject({ event_id: "itemId", item_id: null, unit_price: "price" });
  });
});
