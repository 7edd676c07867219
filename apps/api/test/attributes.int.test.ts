import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAttributeExtractor } from "@dam/attributes/extract-attributes";
import { qualifiedTable } from "@dam/db/data-plane";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const UCI_PRODUCTS = path.resolve(ROOT, "../shared/datasets/uci-online-retail/products.csv");
const UCI_PRESENT = existsSync(UCI_PRODUCTS);

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-attributes-"));
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "features"]);
}, 120_000);
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const extract = async (versionId: string, template?: string) => {
  const started = await stack.gql<{ extractAttributes: { id: string; name: string; inputIds: string[] } }>(
    "mutation($v: ID!, $t: String) { extractAttributes(input: { versionId: $v, template: $t }) { id name inputIds } }",
    { v: versionId, t: template ?? null },
  );
  expect(started.errors).toBeUndefined();
  const job = await waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: started.data!.extractAttributes.id } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what: "attribute extraction", timeoutMs: 120_000 },
  );
  expect(job.error).toBeNull();
  expect(job.name).toBe("features.attributes");
  return stack.deps.db.datasetVersion.findUniqueOrThrow({
    where: { id: started.data!.extractAttributes.inputIds[0]! },
  });
};

type TRow = Record<string, string | number | null>;

describe("attribute extraction job", () => {
  it("on the demo catalogue: a derived version with every row, agreeing with the generator's own columns", async () => {
    const shop = await writeDemoShop(path.join(dir, "shop"), {
      seed: 7,
      products: 1500,
      users: 50,
      events: 500,
    });
    const products = await importAndWait(stack, {
      name: "attr_products",
      kind: "CATALOG",
      source: {
        paths: [shop.files.products],
        format: "csv",
        roles: {
          item_id: "itemId",
          title: "title",
          description: "description",
          category: "category",
          brand: "brand",
        },
        types: {},
      },
    });
    expect(products.version.status).toBe("READY");
    const derived = await extract(products.version.id);
    expect(derived.status).toBe("READY");
    expect(derived.parentId).toBe(products.version.id);
    expect(derived.rowCount).toBe(products.version.rowCount);
    const schema = derived.schema as { name: string; role: string | null }[];
    expect(schema.filter((c) => c.name.startsWith("extracted_")).map((c) => [c.name, c.role])).toEqual([
      ["extracted_colour", "colour"],
      ["extracted_material", "material"],
      ["extracted_size", "size"],
      ["extracted_pack_quantity", "packQuantity"],
      ["extracted_brand", null],
      ["extracted_product_type", "productType"],
      // The catalogue has its own category column, so the extracted one takes no role.
      ["extracted_category", null],
    ]);

    const rows = (
      await stack.deps.pool.query<TRow>(`SELECT * FROM ${qualifiedTable(derived.tableName)} ORDER BY _line`)
    ).rows;
    // The generator's colour / material / size / brand columns are the truth; the extractor read only
    // the text. Canonical values of the truth come from the same dictionaries, applied to the field alone.
    const normalise = createAttributeExtractor();
    const agree = { colour: [0, 0], material: [0, 0], size: [0, 0], brand: [0, 0], typed: [0, 0] };
    for (const row of rows) {
      if (!row.title) continue;
      const check = (key: keyof typeof agree, truth: string | null, found: unknown) => {
        if (truth === null) return;
        agree[key][1]! += 1;
        if (truth === found) agree[key][0]! += 1;
      };
      check("colour", row.colour ? normalise.extract(String(row.colour)).colour : null, row.extracted_colour);
      check(
        "material",
        row.material ? normalise.extract(String(row.material)).material : null,
        row.extracted_material,
      );
      check("size", row.size ? normalise.extract(String(row.size)).size : null, row.extracted_size);
      check("brand", row.brand as string, row.extracted_brand);
      check("typed", "yes", row.extracted_product_type === null ? "no" : "yes");
    }
    for (const [key, [hits, total]] of Object.entries(agree)) {
      expect(total, key).toBeGreaterThan(100);
      expect(hits! / total!, key).toBeGreaterThanOrEqual(0.95);
    }

    const lineage = await stack.gql<{
      lineage: { edges: { relation: string }[]; nodes: { refId: string }[] };
    }>(
      "query($id: ID!) { lineage(id: $id, direction: UPSTREAM, depth: 1) { nodes { refId } edges { relation } } }",
      { id: derived.id },
    );
    expect(lineage.data!.lineage.edges.map((e) => e.relation)).toEqual(["attributes_extracted"]);
    expect(lineage.data!.lineage.nodes.map((n) => n.refId)).toContain(products.version.id);

    const again = await stack.gql(
      "mutation($v: ID!) { extractAttributes(input: { versionId: $v }) { id } }",
      {
        v: derived.id,
      },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const badTemplate = await stack.gql(
      'mutation($v: ID!) { extractAttributes(input: { versionId: $v, template: "{nope}" }) { id } }',
      {
        v: products.version.id,
      },
    );
    expect(badTemplate.errors?.[0]?.extensions?.field).toBe("template");
  });

  it.skipIf(!UCI_PRESENT)(
    "on the real UCI catalogue (4,070 descriptions; skipped when ../shared/datasets is missing)",
    async () => {
      const products = await importAndWait(stack, {
        name: "uci_products",
        kind: "CATALOG",
        source: {
          paths: [UCI_PRODUCTS],
          format: "csv",
          roles: { StockCode: "itemId", Description: "title", MedianUnitPrice: "price" },
          types: {},
        },
      });
      expect(Number(products.version.rowCount)).toBe(4070);
      const derived = await extract(products.version.id);
      expect(Number(derived.rowCount)).toBe(4070);
      const report = (derived.source as { report: Record<string, number> }).report;
      // Upper-case gift-ware names: most name a product type, many a colour; counts measured on this data.
      expect(report.extracted_product_type! / 4070).toBeGreaterThan(0.7);
      expect(report.extracted_colour! / 4070).toBeGreaterThan(0.3);
      const byCode = async (code: string) =>
        (
          await stack.deps.pool.query<TRow>(
            `SELECT description, extracted_colour, extracted_material, extracted_product_type, extracted_pack_quantity, extracted_category
           FROM ${qualifiedTable(derived.tableName)} WHERE stock_code = $1`,
            [code],
          )
        ).rows[0];
      expect(await byCode("85123A")).toMatchObject({
        description: "WHITE HANGING HEART T-LIGHT HOLDER",
        extracted_colour: "white",
        extracted_product_type: "candle holder",
        extracted_category: "Home Decor",
      });
      expect(await byCode("84879")).toMatchObject({ extracted_product_type: "decoration" });
      // Without a category column of its own, the extracted category takes the category role.
      const schema = derived.schema as { name: string; role: string | null }[];
      expect(schema.find((c) => c.name === "extracted_category")?.role).toBe("category");
    },
  );
});
