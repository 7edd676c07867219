import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, parseJsonOption, printResult, type TJobView } from "./cli-output.ts";

export const TRAIN_USAGE = `usage: npm run dam -- train --name <model> --algorithm <ALGORITHM> --events <version id>
         [--catalog <version id>] [--params <json>] [--protocol RANDOM_8_1_1|...] [--seed n]`;

export const runTrain = async (client: TApiClient, argv: string[]): Promise<number> => {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: "string" },
      algorithm: { type: "string" },
      events: { type: "string" },
      catalog: { type: "string" },
      params: { type: "string" },
      protocol: { type: "string" },
      seed: { type: "string" },
    },
  });
  if (!values.name || !values.algorithm || !values.events) throw new Error(TRAIN_USAGE);
  const { trainModel } = await client.graphql<{ trainModel: TJobView }>(
    `mutation($input: TrainModelInput!) { trainModel(input: $input) { ${JOB_FIELDS} } }`,
    {
      input: {
        name: values.name,
        algorithm: values.algorithm.toUpperCase(),
        eventsVersionId: values.events,
        catalogVersionId: values.catalog,
        params: parseJsonOption(values.params, "--params"),
        ...(values.protocol ? { protocol: values.protocol.toUpperCase() } : {}),
        ...(values.seed ? { seed: Number(values.seed) } : {}),
      },
    },
  );
  const job = await followJob(client, trainModel.id);
  printResult({
    jobId: job.id,
    status: job.status,
    modelVersionId: job.outputIds[0] ?? null,
    result: job.result,
    ...(job.error ? { error: job.error } : {}),
  });
  return job.status === "COMPLETED" ? 0 : 1;
};
