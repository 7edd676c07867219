import { expect } from "@playwright/test";
import { gqlAsAdmin } from "./console";

// Setting the scene through the API for specs about what comes after training: the demo shop's READY
// versions, a trained and promoted model, a job waited for.

const DEMO_TIMEOUT = 240_000;

type TDatasets = {
  datasets: { edges: { node: { name: string; latestVersion: { id: string; status: string } | null } }[] };
};

const readyDemoVersions = async () => {
  const data = await gqlAsAdmin<TDatasets>(
    "query { datasets(first: 50) { edges { node { name latestVersion { id status } } } } }",
  );
  const ready = (name: string) =>
    data.datasets.edges.find((e) => e.node.name === name && e.node.latestVersion?.status === "READY")?.node
      .latestVersion?.id;
  const events = ready("demo_events");
  const catalog = ready("demo_products");
  return events && catalog ? { events, catalog } : null;
};

/** The demo shop's events and catalogue version ids, once its imports are READY. */
export const demoVersions = async (): Promise<{ events: string; catalog: string }> => {
  await expect.poll(readyDemoVersions, { timeout: DEMO_TIMEOUT, intervals: [2_000] }).not.toBeNull();
  return (await readyDemoVersions())!;
};

/** Waits for a job to finish and fails with its error unless it COMPLETED. */
export const waitForJob = async (id: string, timeout = 240_000): Promise<void> => {
  let last: { status: string; error: string | null } | null = null;
  await expect
    .poll(
      async () => {
        last = (
          await gqlAsAdmin<{ job: { status: string; error: string | null } }>(
            "query($id: ID!) { job(id: $id) { status error } }",
            { id },
          )
        ).job;
        return ["COMPLETED", "FAILED", "CANCELLED"].includes(last.status);
      },
      { timeout, intervals: [2_000] },
    )
    .toBe(true);
  expect(last, `job ${id}`).toMatchObject({ status: "COMPLETED" });
};

/** Trains `algorithm` under `name` on the demo shop and returns the READY version's id. */
export const trainModel = async (
  name: string,
  algorithm: string,
  params: Record<string, unknown> = {},
): Promise<string> => {
  const { events, catalog } = await demoVersions();
  const job = await gqlAsAdmin<{ trainModel: { id: string } }>(
    `mutation($e: ID!, $c: ID!, $p: JSON) { trainModel(input: { name: "${name}", algorithm: ${algorithm},
      eventsVersionId: $e, catalogVersionId: $c, params: $p }) { id } }`,
    { e: events, c: catalog, p: params },
  );
  await waitForJob(job.trainModel.id);
  const versions = await gqlAsAdmin<{
    modelVersions: { edges: { node: { id: string; algorithm: string } }[] };
  }>(`query { modelVersions(name: "${name}", first: 20) { edges { node { id algorithm } } } }`);
  const version = versions.modelVersions.edges.find((e) => e.node.algorithm === algorithm);
  if (!version) throw new Error(`no ${algorithm} version of ${name} after training`);
  return version.node.id;
};

/** Promotes a version past the offline comparison (the scene needs it ACTIVE, not better). */
export const promote = (id: string) =>
  gqlAsAdmin(`mutation($id: ID!) { promoteModel(id: $id, force: true) { id } }`, { id });
