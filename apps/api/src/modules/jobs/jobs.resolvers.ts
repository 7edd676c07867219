import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { findJobSubjects } from "./job-subjects.service.ts";
import { cancelJob, findJob, findJobs } from "./jobs.service.ts";
import { WORKER_REGISTRY } from "./worker-registry.ts";
import { giveUpUnstartedJob } from "./worker-runtime.ts";

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
      // A job cancelled while queued never reaches a worker, so this process runs its undo. The
      // resolver (imported only by the schema) brings the handlers; the service imports none.
      return cancelJob(deps, principal, args.id, (job) =>
        giveUpUnstartedJob(deps, WORKER_REGISTRY.handlers, job),
      );
    },
  },
  Job: {
    subjects: (job, _args, { deps }) => findJobSubjects(deps, job),
    durationSeconds: (job) =>
      job.startedAt && job.finishedAt ? (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000 : null,
  },
};
