import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { gqlAsAdmin, signIn } from "./support/console";

/**
 * A steward's round trip through the data-asset features, in the console only: upload a CSV and watch
 * it load, read its profile, add a quality rule and see it fail with samples, clean the data with a
 * recipe, and find raw -> clean in the lineage graph.
 */

/** 60 products, 6 of them without a price, 4 exact duplicates. */
const writeProducts = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), "dam-e2e-"));
  const lines = ["item_id,title,price"];
  for (let i = 1; i <= 60; i++) lines.push(`${i},Product ${i},${i % 10 === 0 ? "" : (i * 1.5).toFixed(2)}`);
  for (let i = 1; i <= 4; i++) lines.push(`${i},Product ${i},${(i * 1.5).toFixed(2)}`);
  const file = path.join(dir, "products.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

test("a steward imports, profiles, checks, cleans and traces a dataset", async ({ page }) => {
  test.setTimeout(240_000);
  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  const name = `e2e_products_${Date.now()}`;

  // Import: upload through the console and watch the progress bar reach the end.
  await page.goto("/datasets");
  await page.getByTestId("import-link").click();
  await page.locator('input[type="file"]').setInputFiles(writeProducts());
  await page.getByLabel("Dataset name").fill(name);
  await page.getByLabel("Kind").selectOption("CATALOG");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-progress").getByRole("progressbar")).toBeVisible();
  await expect(page.getByTestId("import-progress").getByRole("progressbar")).toHaveAttribute(
    "aria-valuenow",
    "100",
    {
      timeout: 60_000,
    },
  );
  await page.getByTestId("import-dataset-link").click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const datasetId = new URL(page.url()).pathname.split("/").pop() ?? "";

  // Profile: charts appear once the profiling job has run.
  await page.getByTestId("versions-table").getByRole("link", { name: "Profile", exact: true }).click();
  await expect(page).toHaveURL(/\/versions\//);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("histogram-price")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("histogram-price").locator(".recharts-surface")).toBeVisible();

  // Quality: a not-null rule on price fails with samples.
  await page.goto(`/quality?dataset=${datasetId}`);
  const form = page.getByRole("form", { name: "Add quality rule" });
  await form.getByLabel("Name").fill("price present");
  await form.getByLabel("Type").selectOption("not_null");
  await form.getByLabel("Column").fill("price");
  await form.getByRole("button", { name: "Add rule" }).click();
  await page.getByRole("button", { name: /Run checks on v1/ }).click();
  const result = page.getByTestId("quality-result-price present");
  await expect(async () => {
    await page.reload();
    await expect(result).toContainText("fail", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(result).toContainText("6");
  await result.getByText(/rows/).click();
  await expect(result.locator("table")).toBeVisible();

  // The failed ERROR rule blocks downstream jobs; the steward overrides the gate, with a reason.
  await expect(page.getByText("gate failed: downstream jobs refuse it")).toBeVisible();
  const override = page.getByRole("form", { name: "Override quality gate" });
  await override
    .getByLabel(/Reason for the override/)
    .fill("missing prices are fixed by the cleaning recipe");
  await override.getByRole("button", { name: "Override gate" }).click();
  await expect(page.getByText("gate failed, overridden")).toBeVisible();

  // Cleaning: a dedupe recipe makes version 2 with the duplicates gone.
  await page.goto(`/datasets/${datasetId}/cleaning`);
  await page.locator("#step-op").selectOption("dedupe");
  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByLabel("Recipe name").fill("dedupe rows");
  await page.getByRole("button", { name: "Save recipe" }).click();
  const recipe = page.getByTestId("cleaning-recipe").filter({ hasText: "dedupe rows" });
  await recipe.getByRole("button", { name: /Run on v1/ }).click();
  await expect(recipe.getByTestId("cleaning-report")).toBeVisible({ timeout: 60_000 });
  await expect(recipe.getByTestId("cleaning-report")).toContainText("64");
  await expect(recipe.getByTestId("cleaning-report")).toContainText("60");

  // Lineage: the clean version derives from the raw one, which came from the uploaded file.
  const versions = await gqlAsAdmin<{ dataset: { versions: { id: string; number: number }[] } }>(
    `query($id: ID!) { dataset(id: $id) { versions { id number } } }`,
    { id: datasetId },
  );
  const clean = versions.dataset.versions.find((version) => version.number === 2);
  expect(clean).toBeDefined();
  await page.goto(`/lineage?id=${clean?.id}&direction=UPSTREAM&depth=3`);
  const graph = page.getByTestId("lineage-graph");
  await expect(graph).toBeVisible();
  await expect(graph.getByTestId("lineage-node-DATASET_VERSION")).toHaveCount(2);
  await expect(graph.getByTestId("lineage-node-FILE")).toHaveCount(1);
  await expect(graph.locator('[data-testid="lineage-edge"][data-relation="cleaned_by"]')).toHaveCount(1);
});
