import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN_TOKEN, gqlAsAdmin, shot, signIn } from "./support/console";
import { waitForJob } from "./support/scene";

/**
 * Privacy in the console: a steward sees the PII badges the classifier put on a users file's columns and
 * confirms one; a viewer sees the email column masked in the rows preview; an admin erases one person
 * from the privacy page and reads the erasure report.
 */

const SUBJECT = "erin.mayer@example.com";

const usersCsv = (): string => {
  const names = ["Erin Mayer", "Jonas Berg", "Lena Vogel", "Tom Hardy", "Ana Lima", "Ravi Shah"];
  const lines = ["user_id,email,full_name,phone"];
  for (let i = 0; i < 30; i++) {
    const name = names[i % names.length]!;
    const email = i === 0 ? SUBJECT : `${name.split(" ")[0]!.toLowerCase()}.${i}@example.org`;
    lines.push(`e2e-u${i},${email},${name},+44 20 7946 ${String(1000 + i).padStart(4, "0")}`);
  }
  return `${lines.join("\n")}\n`;
};

/** Uploads and imports the users file; returns the dataset and version once its PII tags are in. */
const importUsers = async () => {
  const response = await fetch(`${process.env.E2E_API_URL}/api/v1/uploads?name=privacy-users.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: usersCsv(),
  });
  const { uploadId } = (await response.json()) as { uploadId: string };
  const name = `e2e_privacy_users_${Date.now()}`;
  const imported = await gqlAsAdmin<{
    importDataset: { dataset: { id: string }; version: { id: string }; job: { id: string } };
  }>(
    `mutation($u: ID!) { importDataset(input: { name: "${name}", kind: USERS, uploadIds: [$u],
      roles: [{ column: "user_id", role: userId }] }) { dataset { id } version { id } job { id } } }`,
    { u: uploadId },
  );
  await waitForJob(imported.importDataset.job.id);
  const versionId = imported.importDataset.version.id;
  await expect
    .poll(
      async () =>
        (
          await gqlAsAdmin<{ datasetVersion: { piiTags: { column: string }[] } }>(
            "query($id: ID!) { datasetVersion(id: $id) { piiTags { column } } }",
            { id: versionId },
          )
        ).datasetVersion.piiTags.map((t) => t.column),
      { timeout: 60_000, intervals: [1_000] },
    )
    .toContain("email");
  return { datasetId: imported.importDataset.dataset.id, versionId };
};

const keyFor = async (role: string) =>
  (
    await gqlAsAdmin<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "e2e privacy ${role.toLowerCase()}", role: ${role}) { key } }`,
    )
  ).createApiKey.key;

const signedInPage = async (browser: Browser, key: string, role: string): Promise<Page> => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, key, role);
  return page;
};

test("a steward confirms a PII badge, a viewer sees masked values, an admin erases a person", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const { datasetId, versionId } = await importUsers();
  const versionPath = `/datasets/${datasetId}/versions/${versionId}`;

  const steward = await signedInPage(browser, await keyFor("STEWARD"), "STEWARD");
  await steward.goto(versionPath);
  const emailTag = steward.getByTestId("pii-tag-email");
  await expect(emailTag).toContainText("EMAIL");
  await expect(emailTag).toContainText("suggested");
  await expect(steward.getByTestId("pii-tag-full_name")).toContainText("PERSON NAME");
  await emailTag.getByLabel("Masking mode of email").selectOption("PARTIAL");
  await emailTag.getByRole("button", { name: "Confirm" }).click();
  await expect(emailTag).toContainText("confirmed");
  // The steward reads the values as stored.
  await expect(steward.getByTestId("rows-preview")).toContainText(SUBJECT);
  await shot(steward, "privacy-steward-badges");

  const viewer = await signedInPage(browser, await keyFor("VIEWER"), "VIEWER");
  await viewer.goto(versionPath);
  const preview = viewer.getByTestId("rows-preview");
  await expect(preview).toContainText("e***@example.com");
  await expect(preview).not.toContainText(SUBJECT);
  await expect(preview).not.toContainText("Erin Mayer");
  await expect(viewer.getByTestId("pii-tags")).toContainText("masked for you");
  await shot(viewer, "privacy-viewer-masked");

  const admin = await signedInPage(browser, ADMIN_TOKEN, "ADMIN");
  await admin.goto("/privacy");
  await expect(admin.getByRole("heading", { name: "Privacy", level: 1 })).toBeVisible();
  await expect(admin.getByTestId("masking-policy")).toContainText("EMAIL");
  admin.on("dialog", (dialog) => dialog.accept());
  await admin.getByLabel("User id or email").fill(SUBJECT);
  await admin.getByRole("button", { name: "Erase everywhere" }).click();
  const row = admin.getByTestId("erasure-requests").locator("tbody tr").first();
  await expect(row).toContainText("e***@example.com");
  await expect(async () => {
    await admin.getByRole("button", { name: "Refresh" }).click();
    await expect(row).toContainText("COMPLETED", { timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  await row.getByRole("button", { name: "Report" }).click();
  const report = admin.getByTestId("erasure-report");
  await expect(report.getByTestId("report-totalRows")).toHaveText("1");
  await expect(report).toContainText(`v1`);
  await shot(admin, "privacy-erasure-report");

  // The person is gone from the version: the steward's preview no longer holds them.
  await steward.reload();
  await expect(steward.getByTestId("version-erasures")).toContainText("1 row(s) removed");
  await expect(steward.getByTestId("rows-preview")).not.toContainText(SUBJECT);
  // The profile is made again without them (its top values quoted the erased rows).
  await expect(async () => {
    await steward.reload();
    await expect(steward.getByTestId("column-profile-email")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(steward.getByTestId("column-profile-email")).not.toContainText(SUBJECT);
  await shot(steward, "privacy-version-erased");
});
