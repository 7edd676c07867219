import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, printResult, type TJobView } from "./cli-output.ts";

export const LABELLING_USAGE = `usage: npm run dam -- labelling export <project id> [--dataset-name name]
  (exports the project's gold labels as a new dataset version; progress on stderr)`;

export type TLabellingArgs = { sub: "export"; projectId: string; datasetName?: string };

export const parseLabellingArgs = (argv: string[]): TLabellingArgs => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { "dataset-name": { type: "string" } },
  });
  const projectId = positionals[0];
  if (sub !== "export" || !projectId) throw new Error(LABELLING_USAGE);
  return { sub, projectId, datasetName: values["dataset-name"] };
};

export const runLabelling = async (client: TApiClient, argv: string[]): Promise<number> => {
  const args = parseLabellingArgs(argv);
  const { exportGoldLabels } = await client.graphql<{ exportGoldLabels: TJobView }>(
    `mutation($p: ID!, $d: String) { exportGoldLabels(projectId: $p, datasetName: $d) { ${JOB_FIELDS} } }`,
    { p: args.projectId, d: args.datasetName },
  );
  const job = await followJob(client, exportGoldLabels.id);
  printResult({
    jobId: job.id,
    status: job.status,
    versionId: job.outputIds[0] ?? null,
    result: job.result,
    ...(job.error ? { error: job.error } : {}),
  });
  return job.status === "COMPLETED" ? 0 : 1;
};
