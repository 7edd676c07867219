import { expect, test } from "@playwright/test";
import { gqlAsAdmin, shot, signIn } from "./support/console";
import { promote, trainModel } from "./support/scene";

/**
 * A data scientist runs an online experiment of two model versions on the demo shop: shoppers get
 * recommendations from their variant and click or buy (sent through the API, in two bursts a minute
 * apart), and the console shows the experiment, its traffic, metrics with intervals, the verdict in
 * words and the metrics drawn over time.
 */

const MODEL = "e2e-experiments";

type TRecommendation = {
  recommend: {
    recommendationId: string;
    experiment: { variant: string } | null;
    items: { itemId: string }[];
  };
};

/** Shoppers u0..u(n-1) get a recommendation; a share of them clicks one item and some buy it. */
const sendTraffic = async (from: number, to: number) => {
  let exposed = 0;
  for (let u = from; u < to; u++) {
    const userId = `U${String(u).padStart(6, "0")}`;
    const { recommend } = await gqlAsAdmin<TRecommendation>(
      `query($u: String!) { recommend(userId: $u, model: "${MODEL}", first: 5) { recommendationId experiment { variant } items { itemId } } }`,
      { u: userId },
    );
    if (!recommend.experiment || recommend.items.length === 0) continue;
    exposed++;
    // Deterministic behaviour: every third shopper clicks, every ninth also buys.
    if (u % 3 !== 0) continue;
    const itemId = recommend.items[0]!.itemId;
    const events = [{ userId, itemId, type: "click", recommendationId: recommend.recommendationId }];
    if (u % 9 === 0)
      events.push({ userId, itemId, type: "purchase", recommendationId: recommend.recommendationId });
    await gqlAsAdmin("mutation($e: [TrackEventInput!]!) { trackEvents(events: $e) { accepted } }", {
      e: events.map((e) => (e.type === "purchase" ? { ...e, value: 25 } : e)),
    });
  }
  return exposed;
};

test("an experiment's traffic, metrics, verdict and curves show in the console", async ({ page }) => {
  test.setTimeout(900_000);
  const control = await trainModel(MODEL, "POP");
  const treatment = await trainModel(MODEL, "ALS", { factors: 16, iterations: 4 });
  await promote(control);
  const created = await gqlAsAdmin<{ createExperiment: { id: string } }>(
    `mutation($i: CreateExperimentInput!) { createExperiment(input: $i) { id } }`,
    {
      i: {
        name: `e2e-pop-vs-als-${Date.now()}`,
        description: "Does ALS beat popularity for our shoppers?",
        modelName: MODEL,
        variants: [
          { key: "control", modelVersionId: control, share: 0.5, isControl: true },
          { key: "als", modelVersionId: treatment, share: 0.5 },
        ],
        primaryMetric: "CLICK_THROUGH",
        guardrailMetrics: ["CONVERSION"],
      },
    },
  );
  const id = created.createExperiment.id;
  await gqlAsAdmin(`mutation($id: ID!) { startExperiment(id: $id) { status } }`, { id });

  const key = await gqlAsAdmin<{ createApiKey: { key: string } }>(
    `mutation { createApiKey(name: "e2e experiments steward", role: STEWARD) { key } }`,
  );
  await signIn(page, key.createApiKey.key);
  await page.getByRole("link", { name: "Experiments" }).click();
  const row = page.getByTestId("experiments-table").getByRole("row", { name: /e2e-pop-vs-als/ });
  await expect(row).toContainText("RUNNING");
  await expect(row).toContainText("control (control)");
  await row.getByRole("link").click();
  // Before any traffic: the empty state says why there is nothing to show.
  await expect(page.getByTestId("results-empty")).toContainText("No exposures yet");

  // Every API process routes the experiment once it has re-read it (every 2 s): traffic then counts.
  await expect.poll(() => sendTraffic(0, 4), { timeout: 60_000 }).toBeGreaterThan(0);
  const first = await sendTraffic(4, 120);
  // The second burst in a later minute, so the timeline has two periods to draw a line between.
  const minute = Math.floor(Date.now() / 60_000);
  await expect
    .poll(() => Math.floor(Date.now() / 60_000), { timeout: 70_000, intervals: [1_000] })
    .toBeGreaterThan(minute);
  const second = await sendTraffic(120, 240);
  expect(first + second).toBeGreaterThan(200);

  // Exposures are written in batches (each API process flushes within 200 ms): reload until the last
  // batch is in.
  const traffic = page.getByTestId("traffic-table");
  let users: number[] = [];
  await expect
    .poll(
      async () => {
        await page.reload();
        await expect(traffic.getByRole("row", { name: /control/ })).toBeVisible();
        users = (await traffic.locator("tbody tr td:nth-child(4)").allTextContents()).map(Number);
        return users.reduce((a, b) => a + b, 0);
      },
      { timeout: 20_000, intervals: [500, 1_000] },
    )
    .toBeGreaterThanOrEqual(first + second);
  // Both arms got a share near half (the split is a hash, not a coin per request).
  for (const n of users) expect(n).toBeGreaterThan(50);

  const verdict = page.getByTestId("verdict");
  await expect(verdict.getByText(/click-through/i).first()).toBeVisible();
  await expect(verdict).toContainText("Sample-ratio check passed");
  await expect(page.getByTestId("metrics-table")).toContainText("Click-through");
  await expect(page.getByTestId("metrics-table")).toContainText("%");
  await expect(
    page.getByTestId("comparisons-table").getByRole("row", { name: /^als/ }).first(),
  ).toBeVisible();
  // Metrics over time: a curve per variant on each metric's chart, by minute for so young a test.
  for (const metric of ["CLICK_THROUGH", "CONVERSION"]) {
    const chart = page.getByTestId(`chart-${metric}`);
    await expect(chart).toContainText("by minute");
    await expect(chart.locator(".recharts-line-curve")).toHaveCount(2);
  }
  await expect(page.getByTestId("timeline-single")).toHaveCount(0);
  await shot(page, "experiment-results");
});
