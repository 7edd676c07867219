/**
 * Refreshes the README's screenshots from a running console.
 *
 *   npm start                       # in another terminal; wait for the demo data
 *   npm run screenshots -- [page ...]
 *
 * Signs in with the admin key (DAM_ADMIN_TOKEN, or the one `npm start` kept in .data/admin-token), visits
 * each page and writes docs/screenshots/<name>.png. Uses Debian's Chromium like the e2e suite.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "..");
const WEB_URL = process.env.DAM_WEB_URL ?? `http://127.0.0.1:${process.env.WEB_PORT ?? 3000}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Page name -> path in the console. */
const PAGES: Record<string, string> = {
  dashboard: "/",
  datasets: "/datasets",
  jobs: "/jobs",
  quality: "/quality",
  lineage: "/lineage",
  labelling: "/labelling",
  features: "/features",
  models: "/models",
  playground: "/playground",
};

function adminToken(): string {
  if (process.env.DAM_ADMIN_TOKEN) return process.env.DAM_ADMIN_TOKEN;
  const file = path.join(process.env.DAM_DATA_DIR ?? path.join(ROOT, ".data"), "admin-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  throw new Error(`No admin key: set DAM_ADMIN_TOKEN or start the product once so that ${file} exists`);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in PAGES));
  if (unknown.length > 0) {
    throw new Error(`Unknown page(s) ${unknown.join(", ")}; known: ${Object.keys(PAGES).join(", ")}`);
  }
  const names = wanted.length > 0 ? wanted : Object.keys(PAGES);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(`${WEB_URL}/sign-in`);
    await page.getByLabel("API key").fill(adminToken());
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${WEB_URL}/`);
    for (const name of names) {
      const response = await page.goto(`${WEB_URL}${PAGES[name]}`, { waitUntil: "networkidle" });
      if (!response?.ok()) {
        console.error(`skipped ${name}: ${PAGES[name]} answered ${response?.status()}`);
        continue;
      }
      const file = path.join(ROOT, "docs/screenshots", `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
