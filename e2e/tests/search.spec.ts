import { expect, type Locator, type Page, test } from "@playwright/test";
import { gqlAsAdmin, shot, signIn } from "./support/console";

/**
 * A steward searches the demo shop in the console: a typo finds the intended product, a plural
 * matches, a facet narrows the list and the counts follow, a pin puts an item first for its query, and
 * a click on a result is attributed to the search in the analytics.
 */

const DEMO_DATA_TIMEOUT = 240_000;

const search = async (page: Page, query: string) => {
  await page.getByTestId("search-box").fill(query);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("search-facts")).toContainText(`items for ${query}`);
};

const hits = (page: Page): Locator => page.getByTestId("search-hits").locator("[data-item-id]");
const totalOf = async (page: Page) =>
  Number(
    (await page.getByTestId("search-facts").textContent())!.match(/^([\d,]+) items/)![1]!.replace(/,/g, ""),
  );

test("a steward searches the demo shop: typo, plural, facets, a pin and an attributed click", async ({
  page,
}) => {
  test.setTimeout(DEMO_DATA_TIMEOUT + 180_000);
  await expect(async () => {
    const data = await gqlAsAdmin<{
      datasets: { edges: { node: { latestVersion: { status: string } | null } }[] };
    }>(
      `{ datasets(kind: CATALOG, search: "demo_products") { edges { node { latestVersion { status } } } } }`,
    );
    expect(data.datasets.edges[0]?.node.latestVersion?.status).toBe("READY");
  }).toPass({ timeout: DEMO_DATA_TIMEOUT, intervals: [2_000, 5_000] });

  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e search steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  await page.goto("/search");
  await expect(page.getByRole("heading", { name: "Search", level: 1 })).toBeVisible();

  // A typo ("ketle") finds electric kettles, and the why-this-rank panel says it was a typo.
  await search(page, "electric ketle");
  await expect(hits(page).first()).toContainText(/electric kettle/i);
  await hits(page).first().getByRole("button").first().click();
  const why = hits(page).first().getByTestId("why");
  await expect(why).toContainText("ketle");
  await expect(why).toContainText("1 typo");
  await shot(page, "search-typo");

  // A plural finds the singular titles.
  await search(page, "chef knives");
  for (const hit of (await hits(page).all()).slice(0, 3)) await expect(hit).toContainText(/chef knife/i);

  // A facet narrows the list to its count, and the counts are recounted over the narrowed list.
  await search(page, "black");
  const before = await totalOf(page);
  const facets = page.getByTestId("facets");
  const option = facets.locator("label").first();
  const [value, count] = [
    (await option.textContent())!.replace(/\d+$/, "").trim(),
    Number(await option.locator("span").textContent()),
  ];
  expect(count).toBeLessThan(before);
  await option.getByRole("checkbox").check();
  await expect(page.getByTestId("search-facts")).toContainText(
    `${count.toLocaleString("en")} items for black`,
  );
  // The checked facet now counts every item of the narrowed list; the others sum over it alone.
  await expect(facets.locator("label", { hasText: value }).first().locator("span")).toHaveText(String(count));
  await shot(page, "search-facet");

  // Pin the fifth hit of "black" for the query "black": it comes first, marked as pinned.
  await search(page, "black");
  const pinned = (await hits(page).nth(4).getAttribute("data-item-id"))!;
  const rules = page.getByRole("form", { name: "Add a merchandising rule" });
  await rules.getByLabel("Rule action").selectOption("PIN");
  await rules.getByLabel("Rule target").selectOption("ITEM");
  await rules.getByLabel("Item id or category").fill(pinned);
  await rules.getByLabel("Rule match").selectOption("EXACT");
  await rules.getByLabel("Rule query").fill("black");
  await rules.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("search-rules").locator("tr", { hasText: pinned })).toBeVisible();
  await expect(hits(page).first()).toHaveAttribute("data-item-id", pinned);
  await expect(hits(page).first().getByTestId("placement")).toHaveText("pinned");
  await shot(page, "search-pinned");

  // A click on a result is counted as a click of its query.
  const clicksOf = async () =>
    (
      await gqlAsAdmin<{ searchAnalytics: { topQueries: { query: string; clicks: number }[] } }>(
        `{ searchAnalytics(first: 100) { topQueries { query clicks } } }`,
      )
    ).searchAnalytics.topQueries.find((q) => q.query === "black")?.clicks ?? 0;
  const clicksBefore = await clicksOf();
  await hits(page).nth(1).getByRole("button").first().click();
  await expect.poll(clicksOf).toBe(clicksBefore + 1);
  const analytics = page.getByTestId("search-analytics");
  await expect(
    analytics
      .locator("tr", { hasText: /^black/ })
      .locator("td")
      .nth(2),
  ).toHaveText(String(clicksBefore + 1));
  await shot(page, "search-analytics");

  // Leave no rule behind for other specs.
  await page
    .getByTestId("search-rules")
    .locator("tr", { hasText: pinned })
    .getByRole("button", { name: "Delete" })
    .click();
  await expect(page.getByTestId("search-rules").locator("tr", { hasText: pinned })).toHaveCount(0);
});
