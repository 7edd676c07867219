import { expect, type Page } from "@playwright/test";

// What every spec needs of the running stack: the admin's GraphQL for setting the scene, and a sign-in
// through the console's own form. The Playwright config puts the API's address and the admin key in env.

const API_URL = process.env.E2E_API_URL ?? "";
/** The bootstrap admin key the Playwright config gave the stack. */
export const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "";

/** A GraphQL request as the bootstrap admin; throws the first error's message when there is no data. */
export const gqlAsAdmin = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  expect(ADMIN_TOKEN, "E2E_ADMIN_TOKEN must hold an admin API key").not.toBe("");
  const response = await fetch(`${API_URL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
};

/** Signs in with `key` on the sign-in page and waits until the header shows the key's role. */
export const signIn = async (page: Page, key: string, role = "STEWARD"): Promise<void> => {
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("viewer")).toContainText(role);
};

/** A full-page screenshot into E2E_SCREENSHOTS_DIR when it is set (to look at the pages), else nothing. */
export const shot = async (page: Page, name: string): Promise<void> => {
  const dir = process.env.E2E_SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
};
