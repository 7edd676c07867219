import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN_TOKEN, gqlAsAdmin, shot } from "./support/console";

/**
 * Console sessions in the browser: the cookie holds an opaque session token (never the key), sign-out
 * and key revocation end the session on the server, and a page of another site cannot make the console
 * act for the signed-in user.
 */

const signIn = async (browser: Browser, key: string, role: string): Promise<Page> => {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("viewer")).toContainText(role);
  return page;
};

const sessionCookie = async (page: Page) => {
  const cookies = await page.context().cookies();
  const cookie = cookies.find((c) => c.name === "dam_session");
  expect(cookie, "the console sets dam_session on sign-in").toBeDefined();
  return cookie as NonNullable<typeof cookie>;
};

const createKey = async (name: string, role: string) => {
  const data = await gqlAsAdmin<{ createApiKey: { key: string; apiKey: { id: string } } }>(
    `mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key apiKey { id } } }`,
    { name, role },
  );
  return { key: data.createApiKey.key, id: data.createApiKey.apiKey.id };
};

test.describe("console sessions", () => {
  test("the cookie holds an http-only session token, not the API key", async ({ browser }) => {
    const page = await signIn(browser, ADMIN_TOKEN, "ADMIN");
    const cookie = await sessionCookie(page);
    expect(cookie.value).toMatch(/^dams_[A-Za-z0-9_-]{43}$/);
    expect(cookie.value).not.toContain(ADMIN_TOKEN);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Strict");
    expect(cookie.path).toBe("/");
    expect(await page.evaluate(() => document.cookie)).not.toContain("dam_session");
  });

  test("after sign-out the old session token no longer works", async ({ browser }) => {
    const page = await signIn(browser, ADMIN_TOKEN, "ADMIN");
    const cookie = await sessionCookie(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // Someone who copied the cookie before sign-out puts it back: the API refuses the session.
    await page.context().addCookies([cookie]);
    await page.goto("/datasets");
    await expect(page).toHaveURL(/\/sign-in\?expired=1/);
    await expect(page.getByRole("status")).toContainText("no longer valid");
    await shot(page, "sign-in-expired");
  });

  test("revoking the key ends its console sessions", async ({ browser }) => {
    const steward = await createKey(`session steward ${Date.now().toString(36)}`, "STEWARD");
    const page = await signIn(browser, steward.key, "STEWARD");
    await page.goto("/datasets");
    await expect(page.getByRole("heading", { name: "Datasets", level: 1 })).toBeVisible();
    await gqlAsAdmin(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: steward.id });
    await page.goto("/datasets");
    await expect(page).toHaveURL(/\/sign-in\?expired=1/);
  });

  test("a CLIENT key cannot sign in to the console", async ({ page }) => {
    const client = await createKey(`session client ${Date.now().toString(36)}`, "CLIENT");
    await page.goto("/sign-in");
    await page.getByLabel("API key").fill(client.key);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("sign-in-error")).toContainText("FORBIDDEN");
    await shot(page, "sign-in-client-key");
    expect((await page.context().cookies()).some((c) => c.name === "dam_session")).toBe(false);
  });

  test("a cross-site text/plain form post to /api/graphql is refused with 403 JSON", async ({ browser }) => {
    const page = await signIn(browser, ADMIN_TOKEN, "ADMIN");
    const target = new URL("/api/graphql", page.url()).toString();
    // The attacker's page: another origin (about:blank with opaque origin) submitting a text/plain form,
    // which browsers send without a CORS preflight.
    await page.goto("about:blank");
    await page.setContent(`
      <form method="POST" action="${target}" enctype="text/plain">
        <input name='{"query":"mutation { createApiKey(name: \\"pwn\\", role: ADMIN) { key } }", "x":"' value='"}'>
      </form>`);
    const answer = page.waitForResponse((response) => response.url() === target);
    await page.evaluate(() => document.forms[0]?.submit());
    const response = await answer;
    expect(response.status()).toBe(403);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("CROSS_SITE_REQUEST");
    const keys = await gqlAsAdmin<{ apiKeys: { edges: { node: { name: string } }[] } }>(
      `{ apiKeys(first: 200) { edges { node { name } } } }`,
    );
    expect(keys.apiKeys.edges.map((edge) => edge.node.name)).not.toContain("pwn");
  });
});
