import { expect, type Page, test } from "@playwright/test";
import { gqlAsAdmin, shot, signIn } from "./support/console";
import { demoVersions, promote, trainModel } from "./support/scene";

/**
 * A marketer builds ad-targeting audiences on the demo shop from the console: the users most interested
 * in a category by the ACTIVE model, with the reach estimate by size, exported as a USERS dataset version
 * they open from the link; a wrong item id is refused with the reason; and a lookalike of an uploaded
 * user list.
 */

const MODEL = "e2e-audiences";

/** An ACTIVE model of our own and a segment set being built (the models spec tests the forms). */
const setTheScene = async () => {
  const { events, catalog } = await demoVersions();
  const pipeline = await gqlAsAdmin<{ runFeaturePipeline: { segmentSet: { id: string } } }>(
    "mutation($c: ID!, $e: ID!) { runFeaturePipeline(input: { catalogVersionId: $c, eventsVersionId: $e }) { segmentSet { id } } }",
    { c: catalog, e: events },
  );
  await promote(await trainModel(MODEL, "ALS", { factors: 16, iterations: 4 }));
  return pipeline.runFeaturePipeline.segmentSet.id;
};

const openAudiences = async (page: Page) => {
  await page.getByRole("link", { name: "Audiences" }).click();
  await expect(page.getByRole("heading", { name: "Audiences", level: 1 })).toBeVisible();
};

test("a marketer builds an interest audience and a lookalike, sees the reach and exports it", async ({
  page,
}) => {
  test.setTimeout(900_000);
  const segmentSetId = await setTheScene();
  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e audiences steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);
  // Every API process loads the promoted model (announced over Redis): wait until the page offers it.
  await expect(async () => {
    await page.goto("/audiences");
    await expect(page.getByLabel("Model").locator("option", { hasText: `${MODEL} v1` })).toHaveCount(1, {
      timeout: 2_000,
    });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await openAudiences(page);
  await page.getByLabel("Model").selectOption({ label: `${MODEL} v1 (ALS)` });

  // An unknown item is refused with the reason; nothing is shown as a result.
  await page.getByLabel("Target").selectOption("items");
  await page.getByLabel(/^Item ids/).fill("no-such-item");
  await page.getByRole("button", { name: "Rank users and estimate reach" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "The audience could not be built" });
  await expect(refusal).toContainText("BAD_USER_INPUT");
  await expect(refusal).toContainText("no-such-item");
  await expect(page.getByTestId("audience-result")).toHaveCount(0);

  // A category audience of 150 users, with its reach estimate.
  await page.getByLabel("Target").selectOption("category");
  // A label wrapping a select is named with its options too: "Target" holds "A category".
  const categories = page.getByRole("combobox", { name: /^Category/ });
  const category = (await categories.locator("option").first().textContent())!;
  await categories.selectOption(category);
  await page.getByLabel("Audience size (users)").fill("150");
  await page.getByRole("button", { name: "Rank users and estimate reach" }).click();
  const result = page.getByTestId("audience-result");
  await expect(result.getByRole("heading", { name: `Audience: interest in ${category}` })).toBeVisible();
  await expect(result.getByTestId("audience-members")).toHaveText("150");
  // The reach rows: the asked size and 1..100% of the eligible users; the top users beat the average.
  const reachRows = result.getByTestId("reach-table").locator("tbody tr");
  await expect.poll(() => reachRows.count()).toBeGreaterThanOrEqual(4);
  const firstIndex = Number.parseFloat((await reachRows.first().locator("td").nth(3).textContent())!);
  expect(firstIndex).toBeGreaterThan(1);
  await expect(reachRows.last().locator("td").nth(1)).toHaveText("100.0%");
  await expect(result.getByTestId("reach-chart").locator(".recharts-bar-rectangle").first()).toBeAttached();
  await expect(result.getByTestId("members-table").locator("tbody tr")).toHaveCount(20);
  await shot(page, "audiences-interest");

  // Export: the job runs, then the link opens the new USERS version with all 150 users.
  const datasetName = `e2e_audience_${Date.now()}`;
  await page.getByLabel("USERS dataset name").fill(datasetName);
  await page.getByRole("button", { name: "Export as a USERS dataset version" }).click();
  const link = page.getByTestId("export-link");
  await expect(link).toBeVisible({ timeout: 120_000 });
  await link.click();
  await expect(page.getByText(datasetName).first()).toBeVisible();
  await expect(page.getByText("user_id").first()).toBeVisible();
  await expect(page.getByText("150").first()).toBeVisible();

  // A lookalike of an uploaded list, once the profiles are built.
  await expect
    .poll(
      async () =>
        (
          await gqlAsAdmin<{ segmentSet: { status: string } | null }>(
            "query($id: ID!) { segmentSet(id: $id) { status } }",
            { id: segmentSetId },
          )
        ).segmentSet?.status,
      { timeout: 600_000, intervals: [5_000] },
    )
    .toBe("READY");
  // The seed: users the model was trained on (the demo shop profiles every user with events).
  const seed = await gqlAsAdmin<{ servingModels: { name: string; sampleUserIds: string[] }[] }>(
    "query { servingModels { name sampleUserIds } }",
  );
  const seedIds = seed.servingModels.find((m) => m.name === MODEL)?.sampleUserIds ?? [];
  expect(seedIds.length).toBeGreaterThan(0);
  await page.goto("/audiences");
  await page.getByRole("tab", { name: "Lookalike of a seed" }).click();
  await page.getByLabel("Seed").selectOption("list");
  await page.getByTestId("user-list-file").setInputFiles({
    name: "crm-list.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`user_id\n${seedIds.join("\n")}\nnot-a-known-user\n`),
  });
  await expect(page.getByLabel(/^Or paste user ids/)).toHaveValue(/user_id/);
  await page.getByLabel("Audience size (users)").fill("100");
  await page.getByRole("button", { name: "Rank users and estimate reach" }).click();
  const lookalike = page.getByTestId("audience-result");
  await expect(lookalike.getByRole("heading", { name: "Audience: lookalike of crm-list.csv" })).toBeVisible();
  await expect(lookalike.getByTestId("audience-members")).toHaveText("100");
  await expect(lookalike).toContainText("Seed users with a profile");
  // None of the seed is in its own lookalike.
  const members = await lookalike.getByTestId("members-table").locator("tbody tr td.mono").allTextContents();
  for (const member of members) expect(seedIds).not.toContain(member);
  await shot(page, "audiences-lookalike");
});
