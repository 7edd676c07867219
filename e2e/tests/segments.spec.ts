import { expect, test } from "@playwright/test";
import { gqlAsAdmin, signIn } from "./support/console";

/**
 * A steward runs the feature pipeline (embed -> profile -> segment) on the demo shop from the console,
 * watches each stage's progress, opens the segment explorer and sees the scatter and the descriptions.
 */

const demoReady = async () => {
  const data = await gqlAsAdmin<{
    datasets: { edges: { node: { name: string; latestVersion: { status: string } | null } }[] };
  }>("query { datasets(first: 50) { edges { node { name latestVersion { status } } } } }");
  const ready = new Set(
    data.datasets.edges.filter((e) => e.node.latestVersion?.status === "READY").map((e) => e.node.name),
  );
  return ready.has("demo_products") && ready.has("demo_events");
};

test("a steward starts the feature pipeline, watches it and explores the segments", async ({ page }) => {
  test.setTimeout(600_000);
  // The demo shop loads in the background when the stack starts.
  await expect.poll(demoReady, { timeout: 240_000, intervals: [2_000] }).toBe(true);
  const created = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e segments steward", role: STEWARD) { key } }`,
  );
  await signIn(page, created.createApiKey.key);

  await page.getByRole("link", { name: "Features & Segments" }).click();
  await expect(page.getByRole("heading", { name: "Features & Segments" })).toBeVisible();
  await expect(page.getByLabel("Catalogue")).toContainText("demo_products");
  await expect(page.getByLabel("Events")).toContainText("demo_events");
  await page.getByLabel("Fewest segments (k from)").fill("4");
  await page.getByLabel("Most segments (k to)").fill("8");
  await page.getByRole("button", { name: "Start pipeline" }).click();

  // Progress: each stage has a bar; the embedding stage starts first, the others wait for it.
  const embed = page.getByTestId("stage-embed");
  await expect(embed.getByRole("progressbar")).toBeVisible();
  await expect(embed).toContainText(/RUNNING|COMPLETED|QUEUED/, { timeout: 60_000 });
  await expect(page.getByTestId("stage-profile")).toContainText(
    /waits for the embeddings|QUEUED|RUNNING|COMPLETED/,
  );
  await expect(embed.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 240_000 });
  await expect(page.getByTestId("stage-profile")).toContainText("COMPLETED", { timeout: 240_000 });
  await expect(page.getByTestId("stage-segment").getByRole("progressbar")).toHaveAttribute(
    "aria-valuenow",
    "100",
    {
      timeout: 240_000,
    },
  );

  await page.getByTestId("open-explorer").click();
  const explorer = page.getByTestId("segment-explorer");
  // It renders once the set's artifact is read; on a loaded 2-core runner that took longer than 15 s.
  await expect(explorer).toBeVisible({ timeout: 60_000 });
  const scatter = explorer.getByTestId("segment-scatter");
  await expect(scatter.locator(".recharts-surface").first()).toBeVisible();
  // One dot per sampled user: far more than a handful.
  await expect
    .poll(() => scatter.locator(".recharts-scatter-symbol").count(), { timeout: 30_000 })
    .toBeGreaterThan(500);

  const rows = explorer.getByTestId("segment-row");
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
  // Descriptions: a name from the leading categories, sizes and the RFM summary of every segment.
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await expect(rows.nth(i).getByTestId("segment-name")).not.toBeEmpty();
    await expect(rows.nth(i)).toContainText("%");
  }
  await expect(explorer.getByRole("columnheader", { name: "Recency (median days)" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Segments" })).toBeVisible();
});
