import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { gqlAsAdmin, shot, signIn } from "./support/console";

/**
 * Issue 16's Done-when in the console: a steward takes an unseen CSV (French headers the role inference
 * cannot read) from a preview with its types and roles, corrected in the table, to an import, accepts the
 * suggested rules, dry-runs and runs a cleaning recipe, then previews and downloads the cleaned rows.
 */

/** 40 articles with French headers, and 4 of them listed twice. */
const writeBoutique = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), "dam-e2e-walk-"));
  const lines = ["sku,designation,famille,prix"];
  const line = (i: number) => `S${i},Article ${i},${i % 2 ? "jouets" : "jardin"},${10 + (i % 5)}`;
  for (let i = 1; i <= 40; i++) lines.push(line(i));
  for (let i = 1; i <= 4; i++) lines.push(line(i));
  const file = path.join(dir, "boutique.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

test("a steward walks an unseen CSV from its preview to cleaned, downloaded rows", async ({ page }) => {
  test.setTimeout(300_000);
  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e walking steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  const name = `boutique_${Date.now()}`;

  // Preview: the columns with their types and roles as the import would take them, before any job.
  await page.goto("/datasets/import");
  await page.locator('input[type="file"]').setInputFiles(writeBoutique());
  await page.getByLabel("Dataset name").fill(name);
  await page.getByLabel("Kind").selectOption("CATALOG");
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  const preview = page.getByTestId("import-preview");
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(preview).toContainText("Article 1");
  await expect(page.getByTestId("preview-column-prix")).toContainText("integer");
  // The steward binds the roles the French names hide.
  await page.getByLabel("Role of sku").selectOption("itemId");
  await page.getByLabel("Role of designation").selectOption("title");
  await page.getByLabel("Role of famille").selectOption("category");
  await page.getByLabel("Role of prix").selectOption("price");
  await shot(page, "walk-import-preview");

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-rows-loaded")).toHaveText("44", { timeout: 60_000 });
  await page.getByTestId("import-dataset-link").click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const datasetId = new URL(page.url()).pathname.split("/").pop() ?? "";
  const versionsOf = () =>
    gqlAsAdmin<{
      dataset: {
        versions: { id: string; number: number; columns: { name: string; role: string | null }[] }[];
      };
    }>(`query($id: ID!) { dataset(id: $id) { versions { id number columns { name role } } } }`, {
      id: datasetId,
    });
  const raw = (await versionsOf()).dataset.versions.find((version) => version.number === 1);
  expect(Object.fromEntries((raw?.columns ?? []).map((column) => [column.name, column.role]))).toEqual({
    sku: "itemId",
    designation: "title",
    famille: "category",
    prix: "price",
  });

  // Suggested rules appear once the profile is written; the steward accepts them all.
  await page.goto(`/datasets/${datasetId}/versions/${raw?.id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("suggested-rules")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await page.getByRole("button", { name: /^Accept all \d+$/ }).click();
  await expect(page.getByText(/No suggestions left/)).toBeVisible({ timeout: 15_000 });
  const rules = await gqlAsAdmin<{ qualityRules: { name: string }[] }>(
    `query($id: ID!) { qualityRules(datasetId: $id) { name } }`,
    { id: datasetId },
  );
  expect(rules.qualityRules.length).toBeGreaterThan(0);

  // Cleaning: a dedupe step, counted by a dry run before anything is written, then run.
  await page.goto(`/datasets/${datasetId}/cleaning`);
  await page.locator("#step-op").selectOption("dedupe");
  await page.getByRole("button", { name: "Add step" }).click();
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("table", { name: "Dry run" });
  await expect(dryRun).toBeVisible({ timeout: 30_000 });
  await expect(dryRun.locator("tbody tr").first()).toContainText("44");
  await expect(dryRun.locator("tbody tr").first()).toContainText("40");
  expect((await versionsOf()).dataset.versions).toHaveLength(1);
  await page.getByLabel("Recipe name").fill("dedupe articles");
  await page.getByRole("button", { name: "Save recipe" }).click();
  const recipe = page.getByTestId("cleaning-recipe").filter({ hasText: "dedupe articles" });
  await recipe.getByRole("button", { name: /Run on v1/ }).click();
  await expect(recipe.getByTestId("cleaning-report")).toBeVisible({ timeout: 60_000 });
  await expect(recipe.getByTestId("cleaning-report")).toContainText("40");

  // The cleaned rows: previewed in the console, downloaded as CSV and Parquet.
  const clean = (await versionsOf()).dataset.versions.find((version) => version.number === 2);
  expect(clean).toBeDefined();
  await page.goto(`/datasets/${datasetId}/versions/${clean?.id}`);
  const rows = page.getByTestId("rows-preview");
  await expect(rows).toBeVisible();
  await expect(rows).toContainText("Article 1");
  await shot(page, "walk-clean-version");
  const csv = await page.request.get(`/api/versions/${clean?.id}/rows?format=csv`);
  expect(csv.status()).toBe(200);
  const csvLines = (await csv.text()).trim().split(/\r?\n/);
  expect(csvLines[0]).toBe("sku,designation,famille,prix");
  expect(csvLines).toHaveLength(41);
  const parquet = await page.request.get(`/api/versions/${clean?.id}/rows?format=parquet`);
  expect(parquet.status()).toBe(200);
  const bytes = await parquet.body();
  expect(bytes.subarray(0, 4).toString("latin1")).toBe("PAR1");
  expect(bytes.subarray(bytes.length - 4).toString("latin1")).toBe("PAR1");
});
