import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { buildZip } from "../../apps/api/src/modules/features/image-zip.test-helper.ts";
import { ADMIN_TOKEN, gqlAsAdmin, signIn } from "./support/console";

/**
 * A steward imports the fashion sample's catalogue with its pictures, embeds them with the shared image
 * model, sees visual neighbours of a sneaker that are sneakers, and searches by a sneaker photo.
 * Needs ../shared/datasets/fashion-products-sample and ../shared/models/shop-image-resnet-tiny (the
 * Playwright config points MODELS_DIR at ../shared/models when it exists); skipped without them.
 */

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.resolve(ROOT, "../shared/datasets/fashion-products-sample");
const MODEL = path.resolve(ROOT, "../shared/models/shop-image-resnet-tiny");
const fixtures = existsSync(path.join(SAMPLE, "catalog.csv")) && existsSync(path.join(MODEL, "config.json"));

const upload = async (name: string, body: Buffer): Promise<string> => {
  const response = await fetch(`${process.env.E2E_API_URL}/api/v1/uploads?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: new Uint8Array(body),
  });
  const answer = (await response.json()) as { uploadId: string };
  return answer.uploadId;
};

const FOOTWEAR = new Set(["Sneaker", "Sandal", "Ankle boot"]);

test.skip(!fixtures, `needs ${SAMPLE} and ${MODEL} (the shared fixtures are missing)`);

test("a steward imports product pictures, embeds them and finds sneakers by a sneaker", async ({ page }) => {
  test.setTimeout(600_000);
  const csv = await readFile(path.join(SAMPLE, "catalog.csv"));
  const rows = csv
    .toString("utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));
  const classOf = new Map(rows.map((row) => [row[0]!, row[2]!]));
  const sneakers = rows.filter((row) => row[2] === "Sneaker").map((row) => row[0]!);

  // The catalogue goes in through the ordinary import (an admin sets the scene).
  const imported = await gqlAsAdmin<{ importDataset: { version: { id: string } } }>(
    `mutation ($u: ID!) { importDataset(input: { name: "fashion_sample", kind: CATALOG, uploadIds: [$u],
       roles: [{ column: "item_id", role: itemId }, { column: "title", role: title }, { column: "category", role: category }, { column: "price", role: price }],
       types: [{ column: "item_id", type: "text" }] }) { version { id } } }`,
    { u: await upload("catalog.csv", csv) },
  );
  const versionId = imported.importDataset.version.id;
  await expect
    .poll(
      async () =>
        (
          await gqlAsAdmin<{ datasetVersion: { status: string } }>(
            `query ($id: ID!) { datasetVersion(id: $id) { status } }`,
            {
              id: versionId,
            },
          )
        ).datasetVersion.status,
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe("READY");

  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e images steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  await page.goto("/features/images");
  await expect(page.getByRole("heading", { name: "Product images" })).toBeVisible();
  await page.getByLabel("Catalogue").selectOption({ label: "fashion_sample v1" });

  // The pictures as one archive of the sample folder; the catalogue's image column names them.
  const archive = buildZip(
    await Promise.all(
      rows.map(async (row) => ({
        name: `fashion/${row[4]}`,
        bytes: await readFile(path.join(SAMPLE, row[4]!)),
      })),
    ),
  );
  await page
    .getByTestId("image-files")
    .setInputFiles({ name: "fashion.zip", mimeType: "application/zip", buffer: archive });
  await page.getByTestId("path-column").fill("image");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("job-import")).toContainText("COMPLETED", { timeout: 120_000 });
  await expect(page.getByTestId("gallery").locator("img").first()).toBeVisible();

  await page.getByTestId("image-model").fill("shop-image-resnet-tiny");
  await page.getByRole("button", { name: "Embed pictures" }).click();
  await expect(page.getByTestId("job-embed")).toContainText("COMPLETED", { timeout: 180_000 });

  // The first sneaker in the gallery (the first 48 pictures in catalogue order).
  const shown = await page
    .getByTestId("gallery")
    .locator("[data-item]")
    .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute("data-item") ?? ""));
  const sneaker = shown.find((itemId) => classOf.get(itemId) === "Sneaker");
  expect(sneaker, "a sneaker among the first pictures").toBeTruthy();
  await page.getByTestId("gallery").locator(`[data-item="${sneaker}"]`).click();
  const neighbours = page.getByTestId("neighbours");
  await expect(neighbours.locator("img")).toHaveCount(8);
  const neighbourIds = await neighbours
    .locator("[data-item]")
    .evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-item") ?? ""));
  // Most are sneakers; a high-top may also sit near ankle boots, but nothing but footwear comes up.
  expect(neighbourIds.filter((itemId) => classOf.get(itemId) === "Sneaker").length).toBeGreaterThanOrEqual(5);
  expect(neighbourIds.every((itemId) => FOOTWEAR.has(classOf.get(itemId) ?? ""))).toBe(true);
  await page.screenshot({ path: "test-results/images-neighbours.png", fullPage: true });

  // Search by a sneaker photo (another sneaker than the one picked above).
  const photo = sneakers.find((itemId) => itemId !== sneaker)!;
  await page.getByTestId("query-image").setInputFiles({
    name: "sneaker.png",
    mimeType: "image/png",
    buffer: await readFile(path.join(SAMPLE, "images", `${photo}.png`)),
  });
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.getByTestId("search-results");
  await expect(results.locator("img")).toHaveCount(8);
  const found = await results
    .locator("[data-item]")
    .evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-item") ?? ""));
  expect(found[0]).toBe(photo);
  expect(found.filter((itemId) => classOf.get(itemId) === "Sneaker").length).toBeGreaterThanOrEqual(5);
  expect(found.every((itemId) => FOOTWEAR.has(classOf.get(itemId) ?? ""))).toBe(true);
  await page.screenshot({ path: "test-results/images-search.png", fullPage: true });
});
