import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { csvLine } from "../../packages/demo-shop/src/csv.ts";
import { writeDemoShop } from "../../packages/demo-shop/src/write-files.ts";
import { ADMIN_TOKEN, gqlAsAdmin, shot, signIn } from "./support/console";

/**
 * The content model in the console: a steward trains CONTENT_RIDGE on the demo shop's fused features,
 * promotes it and sets a new-item share; a newer catalogue version then adds products, its READY hook
 * extends the feature set with the new rows only, the served model picks them up without retraining,
 * and the playground recommends the new twin of a shopper's favourite product, marked and explained.
 */

const DEMO_DATA_TIMEOUT = 180_000;
const MODEL = `e2e-content-${Date.now()}`;
const TWIN = `NEW-${Date.now()}`;

type TJob = { status: string; outputIds: string[]; error: string | null };
const waitForJob = async (id: string, timeout = 180_000): Promise<TJob> => {
  let job: TJob | null = null;
  await expect
    .poll(
      async () => {
        job = (
          await gqlAsAdmin<{ job: TJob }>("query ($id: ID!) { job(id: $id) { status outputIds error } }", {
            id,
          })
        ).job;
        return job.status;
      },
      { timeout, intervals: [1_000, 2_000] },
    )
    .toMatch(/COMPLETED|FAILED|CANCELLED/);
  return job!;
};

const upload = async (name: string, body: Buffer): Promise<string> => {
  const response = await fetch(`${process.env.E2E_API_URL}/api/v1/uploads?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: new Uint8Array(body),
  });
  return ((await response.json()) as { uploadId: string }).uploadId;
};

type TVersions = {
  datasets: {
    edges: { node: { name: string; versions: { id: string; number: number; status: string }[] } }[];
  };
};
const demoVersion = async (name: string, number: number) => {
  const answer = await gqlAsAdmin<TVersions>(
    "query { datasets(first: 100) { edges { node { name versions { id number status } } } } }",
  );
  return answer.datasets.edges
    .find((edge) => edge.node.name === name)
    ?.node.versions.find((version) => version.number === number && version.status === "READY");
};

test("a steward trains the content model on fused features and a new product is recommended from day one", async ({
  page,
}) => {
  test.setTimeout(DEMO_DATA_TIMEOUT + 600_000);
  // The demo shop the stack imported, regenerated from the same seed: its products and who bought what.
  const dir = await mkdtemp(path.join(tmpdir(), "e2e-content-"));
  const { files } = await writeDemoShop(dir);
  const productLines = (await readFile(files.products, "utf8")).split("\r\n").filter((line) => line !== "");

  const readyVersion = async (dataset: string) => {
    let found: { id: string } | undefined;
    await expect
      .poll(
        async () => {
          found = await demoVersion(dataset, 1);
          return found !== undefined;
        },
        { timeout: DEMO_DATA_TIMEOUT, intervals: [2_000, 5_000] },
      )
      .toBe(true);
    return found!;
  };
  const products = await readyVersion("demo_products");
  const events = await readyVersion("demo_events");

  // An admin sets the scene: text embeddings of the catalogue and a fused feature set with popularity.
  const embedded = await gqlAsAdmin<{ embedCatalog: { id: string; inputIds: string[] } }>(
    "mutation ($v: ID!) { embedCatalog(input: { versionId: $v }) { id inputIds } }",
    { v: products.id },
  );
  expect((await waitForJob(embedded.embedCatalog.id)).status).toBe("COMPLETED");
  const fused = await gqlAsAdmin<{ buildFeatureSet: { id: string } }>(
    'mutation ($r: JSON!) { buildFeatureSet(name: "demo_fused", recipe: $r) { id } }',
    {
      r: {
        catalogVersionId: products.id,
        embeddingSetId: embedded.embedCatalog.inputIds[0],
        eventsVersionId: events.id,
      },
    },
  );
  const fusion = await waitForJob(fused.buildFeatureSet.id);
  expect(fusion.status).toBe("COMPLETED");
  const features = await gqlAsAdmin<{
    featureSet: { name: string; version: number; count: number; dimension: number };
  }>("query ($id: ID!) { featureSet(id: $id) { name version count dimension } }", {
    id: fusion.outputIds[0],
  });
  const { name, version, count, dimension } = features.featureSet;
  const featureLabel = `${name} v${version} (${count} items x ${dimension})`;

  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e content steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  await page.getByRole("link", { name: "Models" }).click();
  const form = page.getByRole("form", { name: "Train a model" });
  await form.getByLabel("Model name").fill(MODEL);
  await form.getByLabel("Algorithm").selectOption("CONTENT_RIDGE");
  await form.getByLabel("Events version").selectOption({ label: "demo_events v1" });
  await form.getByLabel("Catalogue version").selectOption({ label: "demo_products v1" });
  await form.getByLabel(/^Feature set/).selectOption({ label: featureLabel });
  await form.getByLabel(/^Params/).fill('{ "lambda": [0.002, 0.02] }');
  await form.getByRole("button", { name: "Train" }).click();
  await expect(page.getByRole("status")).toContainText(`Training ${MODEL} (CONTENT_RIDGE) queued`);
  const row = page.getByTestId(`model-${MODEL}-v1`);
  await expect(row.getByText("READY", { exact: true })).toBeVisible({ timeout: 300_000 });
  // The registry shows the new-item protocol beside the warm metrics.
  await expect(row.getByTestId("new-item-recall")).toContainText("random");
  await row.getByRole("button", { name: "Promote" }).click();
  await expect(row.getByText("ACTIVE", { exact: true })).toBeVisible();
  const share = page.getByRole("form", { name: `New-item share of ${MODEL}` });
  await share.getByLabel(/New items in/).fill("20");
  await share.getByRole("button", { name: "Set share" }).click();
  await expect(page.getByRole("status")).toContainText(
    `${MODEL}: 20% of each answer now comes from new items`,
  );
  await shot(page, "content-model-registry");

  // The shopper with the longest history, and the product they touched most.
  const eventRows = (await readFile(files.events, "utf8"))
    .split("\r\n")
    .slice(1)
    .filter((line) => line !== "");
  const header = (await readFile(files.events, "utf8")).split("\r\n")[0]!.split(",");
  const userAt = header.indexOf("user_id");
  const itemAt = header.indexOf("item_id");
  const byUser = new Map<string, Map<string, number>>();
  for (const line of eventRows) {
    const cells = line.split(",");
    const [user, item] = [cells[userAt]!, cells[itemAt]!];
    if (!user || !item) continue;
    const items = byUser.get(user) ?? new Map<string, number>();
    items.set(item, (items.get(item) ?? 0) + 1);
    byUser.set(user, items);
  }
  const [shopper, touched] = [...byUser.entries()].sort((a, b) => b[1].size - a[1].size)[0]!;
  const favourite = [...touched.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const favouriteLine = productLines.find((line) => line.startsWith(`${favourite},`))!;

  // A newer catalogue version: every product again plus the favourite's new-season twin.
  const [favouriteRow] = parse(`${productLines[0]}\n${favouriteLine}`, { columns: true }) as Record<
    string,
    string
  >[];
  const twin = { ...favouriteRow!, item_id: TWIN, title: `${favouriteRow!.title} (new season)` };
  const columns = productLines[0]!.split(",");
  const v2 = Buffer.from(
    `${[...productLines, csvLine<Record<string, string>>(twin, columns).trimEnd()].join("\r\n")}\r\n`,
  );
  await gqlAsAdmin(
    `mutation ($u: ID!) { importDataset(input: { name: "demo_products", kind: CATALOG, uploadIds: [$u],
       roles: [{ column: "item_id", role: itemId }, { column: "title", role: title }, { column: "description", role: description },
               { column: "category", role: category }, { column: "brand", role: brand }, { column: "price", role: price }, { column: "image_url", role: imageUrl }],
       types: [{ column: "item_id", type: "text" }] }) { version { id } } }`,
    { u: await upload("products-v2.csv", v2) },
  );
  // The served model gains the new item when the extended feature set is announced (no new version).
  await expect
    .poll(
      async () => {
        const answer = await gqlAsAdmin<{
          recommend: { items: { itemId: string }[]; model: { itemCount: number } };
        }>(
          "query ($u: String!, $m: String) { recommend(userId: $u, first: 10, model: $m) { items { itemId } model { itemCount } } }",
          { u: shopper, m: MODEL },
        );
        return answer.recommend.items.some((item) => item.itemId === TWIN);
      },
      { timeout: 240_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);

  await page.getByRole("link", { name: "Search & Recommend" }).click();
  await expect(page.getByRole("heading", { name: "Search & Recommend", level: 1 })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByLabel("User id")).toBeVisible({ timeout: 2_000 });
    const picker = page.getByLabel("Model", { exact: true });
    if ((await picker.count()) > 0) await picker.selectOption(MODEL, { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000] });
  await page.getByLabel("User id").fill(shopper);
  await page.getByRole("button", { name: "Recommend", exact: true }).click();
  const recommended = page.getByTestId("recommendations").locator(`tr[data-item-id="${TWIN}"]`);
  await expect(recommended).toBeVisible();
  await expect(recommended).toContainText("(new season)");
  await expect(recommended.getByTestId("new-item")).toBeVisible();
  await expect(recommended.getByTestId("reasons")).toContainText("features match what you interacted with");
  await shot(page, "content-model-playground");
  await rm(dir, { recursive: true, force: true });
});
