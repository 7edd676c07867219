import { type Browser, expect, type Page, test } from "@playwright/test";
import { ADMIN_TOKEN, gqlAsAdmin, shot } from "./support/console";

/**
 * The labelling workbench end to end, in the console: an admin makes the keys, a steward creates a
 * relevance project with overlap 2 over the demo shop's catalogue, two labellers each label ten tasks
 * with the keyboard only, agreement appears, a reviewer adjudicates the disagreements, and the gold
 * labels are exported as a LABELS dataset version that lineage traces to the project and the catalogue.
 */

const TASKS = 10;

const signIn = async (browser: Browser, key: string, role: string): Promise<Page> => {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("viewer")).toContainText(role);
  return page;
};

/** Creates a key on the admin page, as an admin would, and returns the secret shown once. */
const createKey = async (admin: Page, name: string, role: string): Promise<string> => {
  await admin.getByLabel("Key name").fill(name);
  await admin.getByLabel("Role").selectOption(role);
  await admin.getByRole("button", { name: "Create key" }).click();
  const secret = admin.getByTestId("created-secret");
  await expect(secret).toContainText(name);
  const key = (await secret.locator("code.secret").textContent())?.trim() ?? "";
  await secret.getByRole("button", { name: "Done" }).click();
  expect(key).not.toBe("");
  return key;
};

// A grade the labeller "sees" in a task: a stable function of the task id, so both labellers can be
// made to agree or disagree on purpose.
const gradeOf = (taskId: string): number =>
  [...taskId].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 4;

/**
 * Labels `count` tasks with the keyboard only: a digit chooses, Enter submits. `disagreeOn` picks the
 * answers (by position) that differ from gradeOf. Returns the task ids in the order labelled.
 */
const labelWithKeyboard = async (
  page: Page,
  count: number,
  disagreeOn: (i: number) => boolean,
  afterEach?: (i: number, taskId: string) => Promise<void>,
): Promise<string[]> => {
  const done: string[] = [];
  for (let i = 0; i < count; i++) {
    const task = page.getByTestId("task");
    await expect(task).toBeVisible();
    if (done.length > 0)
      await expect(task).not.toHaveAttribute("data-task-id", done[done.length - 1] as string);
    const taskId = (await task.getAttribute("data-task-id")) as string;
    await expect(page.getByTestId("instructions")).toContainText("shopper");
    await expect(page.getByTestId("field-query")).not.toBeEmpty();
    const grade = disagreeOn(i) ? (gradeOf(taskId) + 1) % 4 : gradeOf(taskId);
    await page.keyboard.press(String(grade));
    await expect(page.getByTestId(`answer-${grade}`)).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.press("Enter");
    done.push(taskId);
    if (afterEach) await afterEach(i, taskId);
  }
  return done;
};

test("stewards, labellers and a reviewer take a relevance project from creation to exported gold labels", async ({
  browser,
}) => {
  test.setTimeout(420_000);

  // The demo shop loads in the background at start; its catalogue must be READY to generate tasks.
  await expect(async () => {
    const data = await gqlAsAdmin<{
      datasets: { edges: { node: { latestVersion: { status: string } | null } }[] };
    }>(
      `{ datasets(kind: CATALOG, search: "demo_products") { edges { node { latestVersion { status } } } } }`,
    );
    expect(data.datasets.edges[0]?.node.latestVersion?.status).toBe("READY");
  }).toPass({ timeout: 240_000, intervals: [2_000, 5_000] });

  // Keys through the admin page.
  const admin = await signIn(browser, ADMIN_TOKEN, "ADMIN");
  await admin.goto("/admin");
  const stamp = Date.now().toString(36);
  const stewardKey = await createKey(admin, `steward ${stamp}`, "STEWARD");
  const reviewerKey = await createKey(admin, `reviewer ${stamp}`, "STEWARD");
  const annKey = await createKey(admin, `ann ${stamp}`, "LABELLER");
  const bobKey = await createKey(admin, `bob ${stamp}`, "LABELLER");

  // The steward creates a relevance project, overlap 2, over the demo catalogue: 5 sampled queries x 2 items.
  const steward = await signIn(browser, stewardKey, "STEWARD");
  await steward.goto("/labelling");
  const form = steward.getByTestId("create-project-form");
  const projectName = `e2e relevance ${stamp}`;
  await form.getByLabel("Name", { exact: true }).fill(projectName);
  const catalogue = form.getByLabel("Catalogue version");
  await expect(catalogue.locator("option", { hasText: "demo_products" })).toHaveCount(1);
  await catalogue.selectOption({
    label: (await catalogue.locator("option", { hasText: "demo_products" }).textContent()) ?? "",
  });
  await form.getByLabel("Schema name").fill(`relevance ${stamp}`);
  await form.getByLabel("Labellers per task (overlap)").fill("2");
  await form.getByLabel("Queries to sample").fill("5");
  await form.getByLabel("Items per query").fill("2");
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(form.getByTestId("project-created")).toContainText(`with ${TASKS} tasks`);
  const row = steward.locator(`[data-testid="label-project-row"][data-project-name="${projectName}"]`);
  await expect(row).toBeVisible();
  const projectHref = (await row.getByRole("link", { name: projectName }).getAttribute("href")) as string;
  const projectId = projectHref.split("/").pop() as string;

  // ann: only her queue in the nav, and no project until a steward makes her a member.
  const ann = await signIn(browser, annKey, "LABELLER");
  await expect(ann.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Dashboard",
    "Labelling",
  ]);
  await ann.goto("/labelling");
  await expect(ann.getByTestId("label-projects").or(ann.getByTestId("no-projects"))).toBeVisible();
  await expect(ann.getByTestId("label-project-row").filter({ hasText: projectName })).toHaveCount(0);
  await shot(ann, "labelling-labeller-projects");
  await ann.goto(`/labelling/${projectId}/work`);
  await expect(ann.getByRole("alert").filter({ hasText: "not a member" })).toBeVisible();
  await shot(ann, "labelling-not-member");

  // The steward adds ann and bob on the project page.
  await steward.goto(`/labelling/${projectId}`);
  await expect(steward.getByTestId("no-members")).toBeVisible();
  await shot(steward, "labelling-members-empty");
  // A key revoked while the page was open cannot be added: the panel says why and nothing changes.
  const gone = await gqlAsAdmin<{ createApiKey: { apiKey: { id: string } } }>(
    `mutation($name: String!) { createApiKey(name: $name, role: LABELLER) { apiKey { id } } }`,
    { name: `gone ${stamp}` },
  );
  await steward.reload();
  const picker = steward.getByLabel("Labeller", { exact: true });
  await picker.selectOption({
    label: (await picker.locator("option", { hasText: `gone ${stamp}` }).textContent()) ?? "",
  });
  await gqlAsAdmin(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, {
    id: gone.createApiKey.apiKey.id,
  });
  await steward.getByRole("button", { name: "Add member" }).click();
  await expect(steward.getByTestId("members-panel").getByRole("alert")).toContainText("NOT_FOUND");
  await expect(steward.getByTestId("no-members")).toBeVisible();
  await expect(picker.locator("option", { hasText: `gone ${stamp}` })).toHaveCount(0);
  await shot(steward, "labelling-members-error");
  for (const name of [`ann ${stamp}`, `bob ${stamp}`]) {
    const labeller = steward.getByLabel("Labeller", { exact: true });
    await labeller.selectOption({
      label: (await labeller.locator("option", { hasText: name }).textContent()) ?? "",
    });
    await steward.getByRole("button", { name: "Add member" }).click();
    await expect(steward.getByTestId("member-row").filter({ hasText: name })).toBeVisible();
  }
  await expect(steward.getByTestId("member-row")).toHaveCount(2);
  await shot(steward, "labelling-members");

  // ann: ten tasks by keyboard, with the key help and one undo on the way.
  await ann.goto("/labelling");
  await expect(ann.getByTestId("label-project-row").filter({ hasText: projectName })).toBeVisible();
  await ann.goto(`/labelling/${projectId}/work`);
  await expect(ann.getByTestId("task")).toBeVisible();
  await ann.keyboard.press("?");
  await expect(ann.getByTestId("key-help")).toContainText("undo your last answer");
  await ann.keyboard.press("?");
  await expect(ann.getByTestId("key-help")).toHaveCount(0);
  const annTasks = await labelWithKeyboard(
    ann,
    TASKS,
    () => false,
    async (i, taskId) => {
      if (i !== 2) return;
      // U brings the answer back for another look; answer it again the same way.
      await expect(ann.getByTestId("task")).not.toHaveAttribute("data-task-id", taskId);
      await ann.keyboard.press("u");
      await expect(ann.getByTestId("task")).toHaveAttribute("data-task-id", taskId);
      await ann.keyboard.press(String(gradeOf(taskId)));
      await ann.keyboard.press("Enter");
      await expect(ann.getByTestId("task")).not.toHaveAttribute("data-task-id", taskId);
    },
  );
  expect(new Set(annTasks).size).toBe(TASKS);
  await expect(ann.getByTestId("queue-empty")).toBeVisible();
  await expect(ann.getByTestId("my-labels")).toHaveText(String(TASKS));
  await expect(ann.getByTestId("labels-per-minute")).toHaveText(/^\d+\.\d$/);

  // bob: the same ten tasks; he grades every other one differently, so five tasks disagree.
  const bob = await signIn(browser, bobKey, "LABELLER");
  await bob.goto(`/labelling/${projectId}/work`);
  const bobTasks = await labelWithKeyboard(bob, TASKS, (i) => i % 2 === 1);
  expect([...bobTasks].sort()).toEqual([...annTasks].sort());
  await expect(bob.getByTestId("queue-empty")).toBeVisible();
  await expect(bob.getByTestId("my-labels")).toHaveText(String(TASKS));

  // Agreement appears on the project page.
  await steward.goto(`/labelling/${projectId}`);
  await expect(steward.getByTestId("fleiss-kappa")).toHaveText(/^-?\d\.\d{3}$/);
  await expect(steward.getByTestId("alpha-ordinal")).toHaveText(/^-?\d\.\d{3}$/);
  await expect(steward.getByTestId("agreement-pairs")).toContainText(`ann ${stamp}`);
  await expect(steward.getByTestId("agreement-pairs")).toContainText(`bob ${stamp}`);
  await expect(steward.getByTestId("labeller-row")).toHaveCount(2);
  await expect(steward.getByTestId("exportable")).toContainText(`${TASKS / 2} tasks`);

  // The reviewer adjudicates the five disagreements; accuracy against gold appears.
  const reviewer = await signIn(browser, reviewerKey, "STEWARD");
  await reviewer.goto(`/labelling/${projectId}/review`);
  await expect(reviewer.getByTestId("disagreement-count")).toHaveText(
    `${TASKS / 2} disagreements to adjudicate`,
  );
  for (let left = TASKS / 2; left > 0; left--) {
    const task = reviewer.getByTestId("review-task").first();
    await expect(task.getByTestId("review-labels")).toContainText(`ann ${stamp}`);
    const taskId = (await task.getAttribute("data-task-id")) as string;
    // The reviewer sides with ann.
    await task.getByTestId(`adjudicate-${gradeOf(taskId)}`).click();
    await expect(reviewer.getByTestId("disagreement-count")).toHaveText(
      `${left - 1} disagreements to adjudicate`,
    );
  }
  await expect(reviewer.getByTestId("no-disagreements")).toBeVisible();
  const accuracy = reviewer.getByTestId("labeller-row");
  await expect(accuracy.filter({ hasText: `ann ${stamp}` }).getByTestId("labeller-accuracy")).toHaveText(
    "100%",
  );
  await expect(accuracy.filter({ hasText: `bob ${stamp}` }).getByTestId("labeller-accuracy")).toHaveText(
    "0%",
  );

  // Export: the gold labels become a LABELS dataset version, traced in lineage and downloadable.
  await steward.goto(`/labelling/${projectId}`);
  await expect(steward.getByTestId("exportable")).toContainText(`${TASKS} tasks`);
  await steward.getByRole("button", { name: "Export gold labels" }).click();
  await expect(steward.getByTestId("export-job")).toContainText("COMPLETED", { timeout: 60_000 });
  const exported = steward.getByTestId("export-row").first();
  await expect(exported).toContainText("READY");
  await expect(exported).toContainText(String(TASKS));
  const jsonl = await steward.request.get(
    (await exported.getByRole("link", { name: "JSONL" }).getAttribute("href")) as string,
  );
  expect(jsonl.status()).toBe(200);
  const lines = (await jsonl.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { task_id: string; gold_source: string; value: number });
  expect(lines).toHaveLength(TASKS);
  expect(new Set(lines.map((line) => line.task_id))).toEqual(new Set(annTasks));
  for (const line of lines) expect(line.value).toBe(gradeOf(line.task_id));
  expect(lines.filter((line) => line.gold_source === "adjudicated")).toHaveLength(TASKS / 2);

  await exported.getByRole("link", { name: "lineage" }).click();
  const graph = steward.getByTestId("lineage-graph");
  await expect(graph).toBeVisible();
  await expect(graph.getByTestId("lineage-node-LABEL_PROJECT")).toBeVisible();
  await expect(graph.locator('[data-testid="lineage-edge"][data-relation="exported_from"]')).toHaveCount(1);
  await expect(graph.locator('[data-testid="lineage-edge"][data-relation="labels_of"]')).toHaveCount(1);
});
