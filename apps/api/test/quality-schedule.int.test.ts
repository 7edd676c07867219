import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { schedulerIdFor } from "../src/modules/quality/quality-schedule.service.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The real BullMQ job scheduler on the real Redis: a rule with a cron schedule fires quality runs on
// the dataset's latest READY version, tick after tick, until the schedule is removed.

const EVERY_SECOND = "* * * * * *";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-schedule-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const scheduledRuns = (versionId: string) =>
  stack.deps.db.qualityRun.findMany({
    where: { versionId, trigger: "schedule", status: { not: "RUNNING" } },
    orderBy: { startedAt: "asc" },
  });

describe("quality schedule", () => {
  it("fires runs on its ticks, re-arms itself, and stops when the schedule is removed", async () => {
    const file = path.join(dir, "orders.csv");
    await writeFile(file, "order_id,amount\n1,10\n2,\n3,30\n");
    const { dataset, version, job } = await importAndWait(stack, {
      name: "scheduled_orders",
      kind: "OTHER",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    expect(job.status).toBe("COMPLETED");

    const created = await stack.gql<{ createQualityRule: { id: string } }>(
      `mutation($datasetId: ID!, $input: QualityRuleInput!) { createQualityRule(datasetId: $datasetId, input: $input) { id } }`,
      {
        datasetId: dataset.id,
        input: {
          name: "amount present",
          type: "not_null",
          params: { column: "amount" },
          severity: "WARN",
          schedule: EVERY_SECOND,
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const schedulerId = schedulerIdFor(dataset.id, EVERY_SECOND);
    expect(await stack.deps.queues.quality.getJobScheduler(schedulerId)).toBeTruthy();

    // Two ticks: the first re-armed the scheduler, or there would be no second.
    const runs = await waitFor(
      async () => {
        const found = await scheduledRuns(version.id);
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 45_000, what: "two scheduled quality runs" },
    );
    expect(runs[0]?.status).toBe("FAILED");
    const results = await stack.deps.db.qualityResult.findMany({ where: { runId: runs[0]!.id } });
    expect(results.map((result) => [result.passed, Number(result.failingCount)])).toEqual([[false, 1]]);
    const ticks = await stack.deps.db.job.findMany({
      where: { name: "quality.schedule", status: "COMPLETED", inputIds: { has: dataset.id } },
    });
    expect(ticks.length).toBeGreaterThanOrEqual(2);

    const removed = await stack.gql(
      `mutation($id: ID!, $input: QualityRulePatch!) { updateQualityRule(id: $id, input: $input) { id } }`,
      { id: created.data!.createQualityRule.id, input: { schedule: "" } },
    );
    expect(removed.errors).toBeUndefined();
    expect(await stack.deps.queues.quality.getJobScheduler(schedulerId)).toBeFalsy();
    // Let a run that was already under way finish, then no new scheduled run may start.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const settled = (await scheduledRuns(version.id)).length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await scheduledRuns(version.id)).length).toBe(settled);
    const placeholders = await stack.deps.db.job.count({
      where: { name: "quality.schedule", status: "QUEUED", inputIds: { has: dataset.id } },
    });
    expect(placeholders).toBe(0);
  });
});
