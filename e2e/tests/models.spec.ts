import { expect, type Page, test } from "@playwright/test";
import { gqlAsAdmin, signIn } from "./support/console";

/**
 * A steward trains two recommenders on the demo shop's events in the console, compares their test
 * metrics and training curves side by side, promotes the better one, and sees the worse one refused.
 * The Search & Recommend playground then answers a chosen user with the promoted model, with reasons.
 */

/** The demo shop loads through the real ingest jobs after start-up. */
const DEMO_DATA_TIMEOUT = 180_000;
const MODEL = `e2e-models-${Date.now()}`;

const train = async (page: Page, algorithm: string, params: string) => {
  const form = page.getByRole("form", { name: "Train a model" });
  await form.getByLabel("Model name").fill(MODEL);
  await form.getByLabel("Algorithm").selectOption(algorithm);
  await form.getByLabel("Events version").selectOption({ label: "demo_events v1" });
  await form.getByLabel("Catalogue version").selectOption({ label: "demo_products v1" });
  await form.getByLabel(/^Params/).fill(params);
  await form.getByRole("button", { name: "Train" }).click();
  await expect(page.getByRole("status")).toContainText(`Training ${MODEL} (${algorithm}) queued`);
};

test("a steward trains two models on the demo events, compares them, promotes one and sees it serve", async ({
  page,
}) => {
  test.setTimeout(DEMO_DATA_TIMEOUT + 300_000);
  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e models steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);

  await page.getByRole("link", { name: "Models" }).click();
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  // The events and catalogue versions show up in the form once the demo imports are READY.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole("form", { name: "Train a model" }).getByLabel("Events version").locator("option", {
        hasText: "demo_events v1",
      }),
    ).toHaveCount(1, { timeout: 2_000 });
    await expect(
      page.getByRole("form", { name: "Train a model" }).getByLabel("Catalogue version").locator("option", {
        hasText: "demo_products v1",
      }),
    ).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: DEMO_DATA_TIMEOUT, intervals: [2_000, 5_000] });

  await train(page, "POP", "{}");
  await train(page, "ALS", '{ "factors": 16, "iterations": 4, "regularization": 1, "alpha": 2 }');

  // Live progress while training; both end READY (the list polls by itself).
  const pop = page.getByTestId(`model-${MODEL}-v1`);
  const als = page.getByTestId(`model-${MODEL}-v2`);
  for (const row of [pop, als]) {
    await expect(row.getByText("READY", { exact: true })).toBeVisible({ timeout: 180_000 });
  }

  await pop.getByRole("checkbox").check();
  await als.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Compare selected (2)" }).click();
  const table = page.getByTestId("compare-table");
  await expect(table).toContainText(`${MODEL} v1 POP`);
  await expect(table).toContainText(`${MODEL} v2 ALS`);
  const ndcgRow = table.getByRole("row", { name: /^NDCG@10/ });
  const ndcgs = (await ndcgRow.getByRole("cell").allTextContents()).map(Number);
  expect(ndcgs).toHaveLength(2);
  for (const value of ndcgs) expect(value).toBeGreaterThan(0);
  await expect(table.getByRole("row", { name: /^Protocol/ })).toContainText("recbole-rs-8-1-1-full");
  // ALS is iterative: its loss and validation NDCG curves are charted.
  for (const chart of ["loss-chart", "ndcg-chart"]) {
    await expect(page.getByTestId(chart).locator(".recharts-line-curve").first()).toBeAttached();
  }

  // Promote the better one; the other is then refused as worse than the active version.
  const [better, worse] = ndcgs[1]! >= ndcgs[0]! ? [als, pop] : [pop, als];
  await better.getByRole("button", { name: "Promote" }).click();
  await expect(better.getByText("ACTIVE", { exact: true })).toBeVisible();
  expect(ndcgs[0], "the two models score differently on the demo shop").not.toBe(ndcgs[1]);
  await worse.getByRole("button", { name: "Promote" }).click();
  const refusal = page.getByTestId("promote-refusal");
  await expect(refusal).toContainText("PRECONDITION_FAILED");
  await expect(refusal).toContainText("worse than the active");
  await expect(better.getByText("ACTIVE", { exact: true })).toBeVisible();

  // Every API process loads the promoted artifact (announced over Redis); the playground answers with it.
  const promoted = `${MODEL} v${better === als ? 2 : 1}`;
  await page.getByRole("link", { name: "Search & Recommend" }).click();
  await expect(page.getByRole("heading", { name: "Search & Recommend", level: 1 })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByLabel("User id")).toBeVisible({ timeout: 2_000 });
    // Other specs may have promoted models of their own: ask this spec's model when there is a choice.
    const picker = page.getByLabel("Model", { exact: true });
    if ((await picker.count()) > 0) await picker.selectOption(MODEL, { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000] });
  const user = await page.locator("#playground-users option").first().getAttribute("value");
  expect(user, "the playground offers the model's training users").toBeTruthy();
  await page.getByLabel("User id").fill(user ?? "");
  await page.getByRole("button", { name: "Recommend", exact: true }).click();
  await expect(page.getByTestId("answer-model")).toHaveText(promoted);
  const recommendations = page.getByTestId("recommendations");
  await expect(recommendations.locator("tbody tr").first()).toBeVisible();
  expect(await recommendations.locator("tbody tr").count()).toBeGreaterThanOrEqual(5);
  // Each result says why it was recommended, and carries the catalogue's title and category.
  for (const reasons of await recommendations.getByTestId("reasons").all()) {
    expect((await reasons.textContent())?.trim() ?? "").not.toBe("");
  }
  const firstRow = recommendations.locator("tbody tr").first();
  const clicked = (await firstRow.locator(".strong").textContent())?.trim() ?? "";
  expect(clicked, "titles come from the catalogue version the model was trained with").not.toMatch(/^$/);
  await expect(firstRow.locator("td").nth(2)).not.toHaveText("—");

  // A click is tracked and shown, and the next answer folds it in. A click does not exclude the item:
  // models exclude only the event types in excludeSeenTypes, purchases by default (issue 17).
  await firstRow.getByRole("button", { name: "Click" }).click();
  await expect(page.getByTestId("recent-events")).toContainText(clicked);
  await expect(recommendations.locator("tbody tr").first()).toBeVisible();
});
