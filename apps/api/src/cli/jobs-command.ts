import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, parseIntOption, printResult } from "./cli-output.ts";

export const JOBS_USAGE = `usage: npm run dam -- jobs <list|watch|cancel> ...
  jobs list [--status QUEUED|RUNNING|COMPLETED|FAILED|CANCELLED] [--queue name] [--first 20]
  jobs watch <job id>     (progress on stderr until the job ends)
  jobs cancel <job id>`;

export const runJobs = async (client: TApiClient, argv: string[]): Promise<number> => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { status: { type: "string" }, queue: { type: "string" }, first: { type: "string" } },
  });
  switch (sub) {
    case "list": {
      const { jobs } = await client.graphql<{ jobs: { totalCount: number; edges: { node: unknown }[] } }>(
        `query($first: Int, $status: JobStatus, $queue: String) {
           jobs(first: $first, status: $status, queue: $queue) { totalCount edges { node { ${JOB_FIELDS} queue createdAt } } } }`,
        {
          first: parseIntOption(values.first, "--first", 20),
          status: values.status?.toUpperCase(),
          queue: values.queue,
        },
      );
      printResult({ totalCount: jobs.totalCount, jobs: jobs.edges.map((edge) => edge.node) });
      return 0;
    }
    case "watch": {
      const id = positionals[0];
      if (!id) throw new Error(JOBS_USAGE);
      const job = await followJob(client, id);
      printResult(job);
      return job.status === "COMPLETED" ? 0 : 1;
    }
    case "cancel": {
      const id = positionals[0];
      if (!id) throw new Error(JOBS_USAGE);
      const { cancelJob } = await client.graphql<{ cancelJob: unknown }>(
        `mutation($id: ID!) { cancelJob(id: $id) { ${JOB_FIELDS} } }`,
        { id },
      );
      printResult(cancelJob);
      return 0;
    }
    default:
      throw new Error(JOBS_USAGE);
  }
};
