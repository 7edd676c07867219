import { expect, type Page, test } from "@playwright/test";

/**
 * End-to-end checks of the DAM console against a running stack (web + API + demo data).
 * The admin key comes from E2E_ADMIN_TOKEN; the host comes from the Playwright config's baseURL.
 */

const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "";
/** The stack loads demo data in the background at start; give it this long to show up. */
const DEMO_DATA_TIMEOUT = 120_000;
const DEMO_DATASETS = ["demo_products", "demo_events", "demo_users"] as const;

function pathnameOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function submitKey(page: Page, key: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function signInAsAdmin(page: Page): Promise<void> {
  expect(ADMIN_TOKEN, "E2E_ADMIN_TOKEN must hold an admin API key").not.toBe("");
  await submitKey(page, ADMIN_TOKEN);
  await expect.poll(() => pathnameOf(page), { timeout: 30_000 }).toBe("/");
  await expect(page.getByTestId("viewer")).toContainText("ADMIN");
}

test.describe("DAM console", () => {
  test("a wrong key shows an error and stays on sign-in", async ({ page }) => {
    await submitKey(page, "definitely-not-a-valid-key");
    await expect(page.getByTestId("sign-in-error")).toBeVisible();
    await expect(page.getByTestId("sign-in-error")).not.toBeEmpty();
    expect(pathnameOf(page)).toBe("/sign-in");
    await expect(page.getByLabel("API key")).toBeVisible();
  });

  test("unauthenticated visitors are sent to sign-in", async ({ page }) => {
    await page.goto("/datasets");
    await expect.poll(() => pathnameOf(page)).toBe("/sign-in");
  });

  test("the dashboard shows datasets and the events chart", async ({ page }) => {
    test.setTimeout(DEMO_DATA_TIMEOUT + 60_000);
    await signInAsAdmin(page);

    // Demo data loads in the background: reload until the stats and the chart show it.
    await expect(async () => {
      await page.reload();
      const value = await page.getByTestId("stat-datasets-value").textContent({ timeout: 5_000 });
      expect(Number((value ?? "").replace(/[^0-9]/g, ""))).toBeGreaterThan(0);
      const chart = page.getByTestId("events-chart");
      await expect(chart.locator(".recharts-surface").first()).toBeVisible({ timeout: 5_000 });
      await expect(chart.locator(".recharts-area path, .recharts-line path").first()).toBeAttached({
        timeout: 5_000,
      });
    }).toPass({ timeout: DEMO_DATA_TIMEOUT, intervals: [1_000, 2_000, 5_000] });
  });

  test("the jobs page lists jobs with progress bars", async ({ page }) => {
    test.setTimeout(DEMO_DATA_TIMEOUT + 60_000);
    await signInAsAdmin(page);
    await page.goto("/jobs");
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();

    // The list polls every second by itself; no reload needed.
    const firstRow = page.getByTestId("job-row").first();
    await expect(firstRow).toBeVisible({ timeout: DEMO_DATA_TIMEOUT });
    const bar = firstRow.getByRole("progressbar");
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute("aria-valuenow", /^\d+$/);
  });

  test("the datasets page lists the demo datasets", async ({ page }) => {
    test.setTimeout(DEMO_DATA_TIMEOUT + 60_000);
    await signInAsAdmin(page);

    await expect(async () => {
      await page.goto("/datasets?q=demo");
      const table = page.getByTestId("datasets-table");
      for (const name of DEMO_DATASETS) {
        await expect(table.getByRole("link", { name, exact: true })).toBeVisible({ timeout: 5_000 });
      }
    }).toPass({ timeout: DEMO_DATA_TIMEOUT, intervals: [1_000, 2_000, 5_000] });

    // Details page of one of them shows its versions.
    await page
      .getByTestId("datasets-table")
      .getByRole("link", { name: "demo_products", exact: true })
      .click();
    await expect(page.getByRole("heading", { name: "demo_products", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Versions/ })).toBeVisible();
  });

  test("sign out returns to sign-in", async ({ page }) => {
    await signInAsAdmin(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => pathnameOf(page)).toBe("/sign-in");

    // The session is gone: console pages redirect to sign-in again.
    await page.goto("/");
    await expect.poll(() => pathnameOf(page)).toBe("/sign-in");
  });
});
