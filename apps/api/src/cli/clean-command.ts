import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, parseJsonOption, printResult, type TJobView } from "./cli-output.ts";
import { resolveDatasetId } from "./datasets-command.ts";

export const CLEAN_USAGE = `usage: npm run dam -- clean <recipe id> [--version <version id>] [--dry-run]
       npm run dam -- clean create <dataset id or name> --name <recipe> --steps '<json array of steps>'
  --dry-run   print each step's counts on the version without writing a new one
  create      save a recipe (the API validates each step and names the bad one)`;

const createRecipe = async (client: TApiClient, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: "string" }, steps: { type: "string" } },
  });
  const dataset = positionals[0];
  const name = values.name?.trim();
  if (!dataset || !name || values.steps === undefined) throw new Error(CLEAN_USAGE);
  const steps = parseJsonOption(values.steps, "--steps");
  if (!Array.isArray(steps)) throw new Error("--steps: not a JSON array of steps");
  const datasetId = await resolveDatasetId(client, dataset);
  const { createCleaningRecipe } = await client.graphql<{ createCleaningRecipe: unknown }>(
    `mutation($input: CreateCleaningRecipeInput!) { createCleaningRecipe(input: $input) { id name datasetId steps } }`,
    { input: { datasetId, name, steps } },
  );
  printResult(createCleaningRecipe);
  return 0;
};

export const runClean = async (client: TApiClient, argv: string[]): Promise<number> => {
  if (argv[0] === "create") return createRecipe(client, argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { version: { type: "string" }, "dry-run": { type: "boolean" } },
  });
  const recipeId = positionals[0];
  if (!recipeId) throw new Error(CLEAN_USAGE);
  if (values["dry-run"]) {
    let versionId = values.version;
    if (!versionId) {
      const { cleaningRecipe } = await client.graphql<{
        cleaningRecipe: { datasetId: string } | null;
      }>(`query($id: ID!) { cleaningRecipe(id: $id) { datasetId } }`, { id: recipeId });
      if (!cleaningRecipe) throw new Error(`no cleaning recipe ${recipeId}`);
      const { dataset } = await client.graphql<{ dataset: { latestVersion: { id: string } | null } }>(
        `query($id: ID!) { dataset(id: $id) { latestVersion { id } } }`,
        { id: cleaningRecipe.datasetId },
      );
      versionId = dataset.latestVersion?.id;
      if (!versionId) throw new Error("the recipe's dataset has no READY version");
    }
    const { cleaningDryRun } = await client.graphql<{ cleaningDryRun: unknown[] }>(
      `query($v: ID!, $r: ID) { cleaningDryRun(versionId: $v, recipeId: $r) { step op rowsIn rowsOut changed } }`,
      { v: versionId, r: recipeId },
    );
    printResult({ recipeId, versionId, dryRun: true, steps: cleaningDryRun });
    return 0;
  }
  const { runCleaningRecipe } = await client.graphql<{ runCleaningRecipe: TJobView }>(
    `mutation($r: ID!, $v: ID) { runCleaningRecipe(recipeId: $r, versionId: $v) { ${JOB_FIELDS} } }`,
    { r: recipeId, v: values.version },
  );
  const job = await followJob(client, runCleaningRecipe.id);
  const versionId = job.outputIds[0] ?? null;
  const report = versionId
    ? (
        await client.graphql<{ datasetVersion: { rowCount: number; cleaningReport: unknown } | null }>(
          `query($v: ID!) { datasetVersion(id: $v) { rowCount cleaningReport { step op rowsIn rowsOut changed } } }`,
          { v: versionId },
        )
      ).datasetVersion
    : null;
  printResult({
    recipeId,
    jobId: job.id,
    status: job.status,
    versionId,
    rowCount: report?.rowCount ?? null,
    steps: report?.cleaningReport ?? null,
    ...(job.error ? { error: job.error } : {}),
  });
  return job.status === "COMPLETED" ? 0 : 1;
};
