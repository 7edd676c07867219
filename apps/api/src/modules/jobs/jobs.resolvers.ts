import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { cancelJob, findJob, findJobs } from "./jobs.service.ts";

export const jobsResolvers: Resolvers = {
  Query: {
    jobs: (_parent, args, { principal, deps }) => {
      assertCan(principal, "jobs:read");
      return findJobs(deps, {
        first: checkPageSize(args.first),
        after: args.after,
        status: args.status,
        queue: args.queue,
      });
    },
    job: (_parent, args, { principal, deps }) => {
      assertCan(principal, "jobs:read");
      return findJob(deps, args.id);
    },
  },
  Mutation: {
    cancelJob: (_parent, args, { principal, deps }) => {
      assertCan(principal, "jobs:cancel");
      return cancelJob(deps, principal, args.id);
    },
  },
  Job: {
    durationSeconds: (job) =>
      job.startedAt && job.finishedAt ? (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000 : null,
  },
};
