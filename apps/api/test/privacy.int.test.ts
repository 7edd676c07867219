import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { recordLineage } from "../src/modules/lineage/lineage.service.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
const tokens: Record<string, string> = {};
const keyIds: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "features"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-privacy-"));
  for (const role of ["VIEWER", "LABELLER", "CLIENT", "STEWARD"]) {
    const created = await stack.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      `mutation { createApiKey(name: "${role.toLowerCase()}", role: ${role}) { key apiKey { id } } }`,
    );
    tokens[role] = created.data!.createApiKey.key;
    keyIds[role] = created.data!.createApiKey.apiKey.id;
  }
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

// Planted values: the scanner looks for each of them in every response a non-steward gets.
const PEOPLE = [
  ["maria.garcia@example.com", "Maria Garcia", "+44 20 7946 0958", "4111111111111111"],
  ["john.smith@example.org", "John Smith", "+44 20 7946 0134", "5555555555554444"],
  ["aiko.tanaka@example.net", "Aiko Tanaka", "+49 30 1234 5678", "4012888888881881"],
  ["sven.nilsson@example.com", "Sven Nilsson", "(555) 123-4567", "378282246310005"],
] as const;
const PLANTED = PEOPLE.flat();

const usersCsv = (extra: string[] = []): string => {
  const lines = ["user_id,email,full_name,phone,card_number,sku,price"];
  for (let i = 0; i < 40; i++) {
    const p = PEOPLE[i % PEOPLE.length]!;
    lines.push(`u${i},${p[0]},${p[1]},${p[2]},${p[3]},SKU-${10000 + i}-BL,${(i * 1.25).toFixed(2)}`);
  }
  // A rejected row (price is not a number) that carries a person's data in its raw text.
  lines.push(`u99,${PEOPLE[0][0]},${PEOPLE[0][1]},${PEOPLE[0][2]},${PEOPLE[0][3]},SKU-99999-BL,not-a-price`);
  return `${[...lines, ...extra].join("\n")}\n`;
};

const settle = (versionId: string) =>
  waitFor(
    async () => {
      const jobs = await stack.deps.db.job.findMany({ where: { inputIds: { has: versionId } } });
      const failed = jobs.find((j) => j.status === "FAILED");
      if (failed) throw new Error(`${failed.name} failed: ${failed.error}`);
      const classified = jobs.some((j) => j.name === "privacy.classify" && j.status === "COMPLETED");
      const busy = jobs.some((j) => j.status === "QUEUED" || j.status === "RUNNING");
      return classified && !busy ? true : undefined;
    },
    { what: `jobs of version ${versionId}`, timeoutMs: 45_000 },
  );

const importUsers = async (
  name: string,
  csv: string,
  types: Record<string, "text" | "decimal"> = { price: "decimal" },
) => {
  const file = path.join(dir, `${name}-${Date.now()}.csv`);
  await writeFile(file, csv);
  const { version, dataset } = await importAndWait(stack, {
    name,
    kind: "USERS",
    // A role may only name a column the file has (import maps are validated).
    source: {
      paths: [file],
      format: "csv",
      roles: csv.split("\n")[0]?.split(",").includes("user_id") ? { user_id: "userId" } : {},
      types,
    },
  });
  expect(version.status).toBe("READY");
  await settle(version.id);
  return { versionId: version.id, datasetId: dataset.id };
};

type TTag = {
  column: string;
  piiType: string;
  status: string;
  source: string;
  maskingMode: string;
  confidence: number;
};
const TAGS = `query($id: ID!) { datasetVersion(id: $id) { piiMasked piiTags { column piiType status source maskingMode confidence } } }`;
const tagsOf = async (versionId: string, token?: string) => {
  const res = await stack.gql<{ datasetVersion: { piiMasked: boolean; piiTags: TTag[] } }>(
    TAGS,
    { id: versionId },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.datasetVersion;
};

const EVERYTHING = `query($id: ID!) {
  datasetVersion(id: $id) {
    profile { columns { name min max topValues { value count } quantiles { p value } histogram { lower upper } } }
    rejectedRows(first: 50) { edges { node { line column reason raw } } }
    piiTags { column piiType }
  }
}`;

/** Every planted value found in a text (the scanner). */
const leaks = (text: string): string[] => PLANTED.filter((value) => text.includes(value));

describe("PII classification, masking by role and steward decisions", () => {
  let users: { versionId: string; datasetId: string };

  it("tags the PII columns of a READY version and leaves the look-alikes alone", async () => {
    users = await importUsers("shop_users", usersCsv());
    const { piiTags } = await tagsOf(users.versionId);
    const byColumn = Object.fromEntries(piiTags.map((t) => [t.column, t.piiType]));
    expect(byColumn).toEqual({
      email: "EMAIL",
      full_name: "PERSON_NAME",
      phone: "PHONE",
      card_number: "PAYMENT_CARD",
    });
    expect(
      piiTags.every((t) => t.source === "CLASSIFIER" && t.status === "SUGGESTED" && t.confidence >= 0.9),
    ).toBe(true);
  });

  it("shows planted values to a steward but none to a viewer, labeller or client (GraphQL and rejects.csv)", async () => {
    const asSteward = await stack.gql(EVERYTHING, { id: users.versionId }, tokens.STEWARD);
    expect(asSteward.errors).toBeUndefined();
    // The scanner can fail: the steward's responses hold the planted values.
    expect(leaks(JSON.stringify(asSteward)).length).toBeGreaterThan(4);
    const download = (token: string) =>
      fetch(`${stack.url}/api/v1/versions/${users.versionId}/rejects.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect(leaks(await (await download(tokens.STEWARD!)).text()).length).toBeGreaterThan(0);

    for (const role of ["VIEWER", "LABELLER", "CLIENT"]) {
      const body = JSON.stringify(await stack.gql(EVERYTHING, { id: users.versionId }, tokens[role]));
      expect({ role, leaks: leaks(body) }).toEqual({ role, leaks: [] });
      const file = await download(tokens[role]!);
      expect({ role, leaks: leaks(await file.text()) }).toEqual({ role, leaks: [] });
    }
    const asViewer = await stack.gql<{
      datasetVersion: { profile: { columns: { name: string; topValues: { value: string }[] }[] } };
    }>(EVERYTHING, { id: users.versionId }, tokens.VIEWER);
    const email = asViewer.data!.datasetVersion.profile.columns.find((c) => c.name === "email");
    expect(email?.topValues.map((t) => t.value)).toContain("m***@example.com");
    const sku = asViewer.data!.datasetVersion.profile.columns.find((c) => c.name === "sku");
    expect(sku?.topValues[0]?.value).toMatch(/^SKU-/);
  });

  it("masks row previews and rows.csv / rows.jsonl / rows.parquet downloads; no sort or filter on a masked column", async () => {
    const ROWS = `query($id: ID!, $sort: String, $fc: String, $f: String) {
      versionRows(versionId: $id, first: 100, sortBy: $sort, filterColumn: $fc, filter: $f) { columns { name } rows { line cells } } }`;
    const download = (token: string, format: string) =>
      fetch(`${stack.url}/api/v1/versions/${users.versionId}/rows.${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const steward = await stack.gql(ROWS, { id: users.versionId }, tokens.STEWARD);
    expect(leaks(JSON.stringify(steward)).length).toBeGreaterThan(4);
    expect(leaks(await (await download(tokens.STEWARD!, "csv")).text()).length).toBeGreaterThan(4);
    const stewardParquet = await parquetReadObjects({
      file: await (await download(tokens.STEWARD!, "parquet")).arrayBuffer(),
    });
    expect(leaks(JSON.stringify(stewardParquet)).length).toBeGreaterThan(4);
    const viewerParquet = await parquetReadObjects({
      file: await (await download(tokens.VIEWER!, "parquet")).arrayBuffer(),
    });
    expect(String(viewerParquet[0]?.email)).toMatch(/^[a-z]\*\*\*@example\.(com|org|net)$/);
    for (const role of ["VIEWER", "LABELLER", "CLIENT"]) {
      const body = JSON.stringify(await stack.gql(ROWS, { id: users.versionId }, tokens[role]));
      expect({ role, leaks: leaks(body) }).toEqual({ role, leaks: [] });
      for (const format of ["csv", "jsonl", "parquet"]) {
        const file = await download(tokens[role]!, format);
        // Parquet is read back (its pages may be encoded); the other formats are scanned as text.
        const text =
          format === "parquet" && file.ok
            ? JSON.stringify(await parquetReadObjects({ file: await file.arrayBuffer() }))
            : await file.text();
        expect({ role, format, leaks: leaks(text) }).toEqual({ role, format, leaks: [] });
      }
    }
    const viewer = await stack.gql<{
      versionRows: { columns: { name: string }[]; rows: { cells: string[] }[] };
    }>(ROWS, { id: users.versionId }, tokens.VIEWER);
    const emailAt = viewer.data!.versionRows.columns.findIndex((c) => c.name === "email");
    expect(viewer.data!.versionRows.rows[0]!.cells[emailAt]).toMatch(/^[a-z]\*\*\*@example\.(com|org|net)$/);
    const viewerCsv = await (await download(tokens.VIEWER!, "csv")).text();
    expect(viewerCsv.split("\n")[1]).toContain("SKU-10000-BL");
    // Probing a masked column one guess at a time is refused.
    for (const variables of [{ fc: "email", f: PEOPLE[0][0] }, { sort: "full_name" }]) {
      const probe = await stack.gql(ROWS, { id: users.versionId, ...variables }, tokens.VIEWER);
      expect(probe.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(leaks(JSON.stringify(probe))).toEqual([]);
    }
    const byUnmasked = await stack.gql(
      ROWS,
      { id: users.versionId, fc: "sku", f: "SKU-1000" },
      tokens.VIEWER,
    );
    expect(byUnmasked.errors).toBeUndefined();
  });

  it("masks the catalogue fields of search answers (hits, highlights, facets) for a viewer; labellers and clients are refused", async () => {
    const catalog = [
      "item_id,title,category,designer",
      ...PEOPLE.flatMap((p, i) => [
        `i${i}a,Signed print by ${p[1]},prints,${p[1]}`,
        `i${i}b,Poster of ${p[1]},posters,${p[1]}`,
      ]),
    ].join("\n");
    const file = path.join(dir, "catalog.csv");
    await writeFile(file, `${catalog}\n`);
    const { version } = await importAndWait(stack, {
      name: "art_catalog",
      kind: "CATALOG",
      source: {
        paths: [file],
        format: "csv",
        roles: { item_id: "itemId", title: "title", category: "category" },
        types: {},
      },
    });
    await settle(version.id);
    // The titles name people: a steward says so (the classifier sees product titles, not names).
    for (const column of ["title", "designer"]) {
      const decided = await stack.gql(
        `mutation($input: DecidePiiTagInput!) { decidePiiTag(input: $input) { column } }`,
        { input: { versionId: version.id, column, piiType: "PERSON_NAME", status: "CONFIRMED" } },
        tokens.STEWARD,
      );
      expect(decided.errors).toBeUndefined();
    }
    const SEARCH = `query($v: ID!) { search(query: "print poster", first: 20, catalogVersionId: $v) {
      hits { itemId title highlights { field text ranges } } facets { field values { value count } } } }`;
    const steward = await waitFor(
      async () => {
        const res = await stack.gql<{ search: { hits: unknown[] } }>(
          SEARCH,
          { v: version.id },
          tokens.STEWARD,
        );
        return res.data?.search.hits.length ? res : undefined;
      },
      { what: "the search index", timeoutMs: 60_000 },
    );
    expect(leaks(JSON.stringify(steward)).length).toBeGreaterThan(0);
    const viewer = await stack.gql<{ search: { hits: { itemId: string; title: string }[] } }>(
      SEARCH,
      { v: version.id },
      tokens.VIEWER,
    );
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data!.search.hits.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(viewer))).toEqual([]);
    expect(viewer.data!.search.hits[0]!.title).toMatch(/\*\*\*/);
    // Labellers and clients may not search the console's way (features:read): refused, nothing leaked.
    for (const role of ["LABELLER", "CLIENT"]) {
      const res = await stack.gql(SEARCH, { v: version.id }, tokens[role]);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect({ role, leaks: leaks(JSON.stringify(res)) }).toEqual({ role, leaks: [] });
    }
  });

  it("masks quality samples (cut to the rule's columns) and labelling payloads for non-stewards", async () => {
    // A regex rule on sku that every row fails, so the samples would carry whole rows.
    const rule = await stack.gql(
      `mutation($d: ID!, $i: QualityRuleInput!) { createQualityRule(datasetId: $d, input: $i) { id } }`,
      {
        d: users.datasetId,
        i: {
          name: "sku-digits",
          type: "regex",
          params: { column: "sku", pattern: "^[0-9]+$" },
          severity: "WARN",
        },
      },
    );
    expect(rule.errors).toBeUndefined();
    const run = await stack.gql<{ runQualityCheck: { id: string } }>(
      `mutation($v: ID!) { runQualityCheck(versionId: $v) { id } }`,
      { v: users.versionId },
    );
    expect(run.errors).toBeUndefined();
    await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({ where: { id: run.data!.runQualityCheck.id } });
        return row?.status === "COMPLETED" ? true : undefined;
      },
      { what: "quality run" },
    );
    // A labelling project showing the people's email and name to labellers.
    const schema = await stack.gql<{ createLabelSchema: { id: string } }>(
      `mutation { createLabelSchema(input: { name: "ok", type: SINGLE_CHOICE, options: [{ value: "y", label: "Yes" }, { value: "n", label: "No" }] }) { id } }`,
    );
    expect(schema.errors).toBeUndefined();
    const project = await stack.gql<{ createLabelProject: { id: string } }>(
      `mutation($i: CreateLabelProjectInput!) { createLabelProject(input: $i) { id } }`,
      {
        i: {
          name: "people",
          schemaId: schema.data!.createLabelSchema.id,
          source: { versionId: users.versionId, columns: ["email", "full_name", "sku"], limit: 10 },
        },
      },
    );
    expect(project.errors).toBeUndefined();
    const QUALITY = `query($v: ID!) { qualityRuns(versionId: $v) { edges { node { results { samples observed } } } } }`;
    const TASK = `mutation($p: ID!) { nextLabelTask(projectId: $p) { task { payload } } }`;
    const projectId = project.data!.createLabelProject.id;
    const member = await stack.gql(
      `mutation($p: ID!, $k: ID!) { addLabelProjectMember(projectId: $p, keyId: $k) { addedAt } }`,
      {
        p: projectId,
        k: keyIds.LABELLER,
      },
    );
    expect(member.errors).toBeUndefined();

    const steward = JSON.stringify(await stack.gql(QUALITY, { v: users.versionId }, tokens.STEWARD));
    expect(leaks(steward).length).toBeGreaterThan(0);
    const stewardTask = JSON.stringify(await stack.gql(TASK, { p: projectId }, tokens.STEWARD));
    expect(leaks(stewardTask).length).toBeGreaterThan(0);

    for (const role of ["VIEWER", "LABELLER", "CLIENT"]) {
      const quality = await stack.gql(QUALITY, { v: users.versionId }, tokens[role]);
      expect({ role, leaks: leaks(JSON.stringify(quality)) }).toEqual({ role, leaks: [] });
      const task = await stack.gql(TASK, { p: projectId }, tokens[role]);
      expect({ role, leaks: leaks(JSON.stringify(task)) }).toEqual({ role, leaks: [] });
    }
    const viewer = await stack.gql<{
      qualityRuns: { edges: { node: { results: { samples: Record<string, unknown>[] }[] } }[] };
    }>(QUALITY, { v: users.versionId }, tokens.VIEWER);
    const sample = viewer.data!.qualityRuns.edges[0]?.node.results[0]?.samples[0];
    expect(Object.keys(sample ?? {}).sort()).toEqual(["_line", "sku"]);
    const labeller = await stack.gql<{ nextLabelTask: { task: { payload: Record<string, unknown> } } }>(
      TASK,
      { p: projectId },
      tokens.LABELLER,
    );
    expect(String(labeller.data!.nextLabelTask.task.payload.email)).toMatch(
      /^[a-z]\*\*\*@example\.(com|org|net)$/,
    );

    // A project that names full_name as needed by its labellers shows that field, and only that one.
    const named = await stack.gql<{ createLabelProject: { id: string; visiblePayloadFields: string[] } }>(
      `mutation($i: CreateLabelProjectInput!) { createLabelProject(input: $i) { id visiblePayloadFields } }`,
      {
        i: {
          name: "people by name",
          schemaId: schema.data!.createLabelSchema.id,
          source: { versionId: users.versionId, columns: ["email", "full_name", "sku"], limit: 10 },
          visiblePayloadFields: ["full_name"],
        },
      },
    );
    expect(named.data?.createLabelProject.visiblePayloadFields).toEqual(["full_name"]);
    const namedId = named.data!.createLabelProject.id;
    await stack.gql(
      `mutation($p: ID!, $k: ID!) { addLabelProjectMember(projectId: $p, keyId: $k) { addedAt } }`,
      {
        p: namedId,
        k: keyIds.LABELLER,
      },
    );
    const shown = await stack.gql<{ nextLabelTask: { task: { payload: Record<string, unknown> } } }>(
      TASK,
      { p: namedId },
      tokens.LABELLER,
    );
    const payload = shown.data!.nextLabelTask.task.payload;
    expect(leaks(JSON.stringify(payload.full_name)).length).toBe(1);
    expect(leaks(JSON.stringify(payload.email))).toEqual([]);
  });

  it("keeps a steward's reject and confirm for the column in later versions of the dataset", async () => {
    const decide = (status: string, column: string, piiType: string, maskingMode?: string) =>
      stack.gql<{ decidePiiTag: TTag[] }>(
        `mutation($input: DecidePiiTagInput!) { decidePiiTag(input: $input) { column piiType status maskingMode source } }`,
        { input: { versionId: users.versionId, column, piiType, status, maskingMode } },
        tokens.STEWARD,
      );
    const denied = await stack.gql(
      `mutation($input: DecidePiiTagInput!) { decidePiiTag(input: $input) { column } }`,
      { input: { versionId: users.versionId, column: "phone", piiType: "PHONE", status: "REJECTED" } },
      tokens.VIEWER,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const rejected = await decide("REJECTED", "phone", "PHONE");
    expect(rejected.errors).toBeUndefined();
    const confirmed = await decide("CONFIRMED", "sku", "PERSON_NAME", "HASH");
    expect(confirmed.data!.decidePiiTag.find((t) => t.column === "sku")).toMatchObject({
      status: "CONFIRMED",
      source: "STEWARD",
      maskingMode: "HASH",
    });

    const next = await importUsers("shop_users", usersCsv());
    const { piiTags } = await tagsOf(next.versionId);
    expect(piiTags.find((t) => t.column === "phone")).toMatchObject({ piiType: "PHONE", status: "REJECTED" });
    expect(piiTags.find((t) => t.column === "sku")).toMatchObject({
      status: "CONFIRMED",
      maskingMode: "HASH",
    });
    // A rejected tag no longer masks; a confirmed HASH tag gives stable pseudonyms.
    const viewer = await stack.gql<{
      datasetVersion: { profile: { columns: { name: string; topValues: { value: string }[] }[] } };
    }>(EVERYTHING, { id: next.versionId }, tokens.VIEWER);
    const columns = viewer.data!.datasetVersion.profile.columns;
    expect(columns.find((c) => c.name === "phone")?.topValues.map((t) => t.value)).toContain(PEOPLE[0][2]);
    expect(columns.find((c) => c.name === "sku")?.topValues[0]?.value).toMatch(/^pii_[0-9a-f]{20}$/);
  });

  it("carries tags along lineage to a derived version in another dataset", async () => {
    // A derived dataset whose column the classifier cannot recognise by itself.
    const opaque = ["customer_ref,amount", ...Array.from({ length: 20 }, (_, i) => `R${i}x,${i}`)].join("\n");
    const source = await importUsers("ref_source", `${opaque}\n`, {});
    await stack.gql(
      `mutation($input: DecidePiiTagInput!) { decidePiiTag(input: $input) { column } }`,
      {
        input: { versionId: source.versionId, column: "customer_ref", piiType: "EMAIL", status: "CONFIRMED" },
      },
      tokens.STEWARD,
    );
    const file = path.join(dir, "derived.csv");
    await writeFile(file, `${opaque}\n`);
    const { version: derived } = await importAndWait(stack, {
      name: "ref_derived",
      kind: "OTHER",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    await settle(derived.id);
    expect((await tagsOf(derived.id)).piiTags).toEqual([]);
    await recordLineage(stack.deps, {
      from: [{ type: "DATASET_VERSION", refId: source.versionId, label: "ref_source v1" }],
      to: { type: "DATASET_VERSION", refId: derived.id, label: "ref_derived v1" },
      relation: "derived_from",
    });
    const job = await stack.gql<{ classifyVersionPii: { id: string } }>(
      `mutation($id: ID!) { classifyVersionPii(versionId: $id) { id } }`,
      { id: derived.id },
      tokens.STEWARD,
    );
    expect(job.errors).toBeUndefined();
    await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({ where: { id: job.data!.classifyVersionPii.id } });
        return row?.status === "COMPLETED" ? true : undefined;
      },
      { what: "re-classification" },
    );
    const { piiTags } = await tagsOf(derived.id);
    expect(piiTags).toEqual([
      expect.objectContaining({
        column: "customer_ref",
        piiType: "EMAIL",
        source: "LINEAGE",
        status: "SUGGESTED",
      }),
    ]);
  });
});
