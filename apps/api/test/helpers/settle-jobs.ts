import type { TTestStack } from "./test-stack.ts";
import { waitFor } from "./wait-for.ts";

/**
 * Waits until no job that names `versionId` is queued or running on `queues`, the queues the test's
 * workers serve. A version becoming READY queues follow-up work on several queues (profiling and
 * quality on `quality`, the search index of a catalogue on `features`); a job on a queue nobody
 * serves in the test would wait forever, so only the served queues are waited for.
 */
export const settleVersionJobs = (
  stack: Pick<TTestStack, "deps">,
  versionId: string,
  queues: readonly string[],
  timeoutMs = 45_000,
) =>
  waitFor(
    async () => {
      const busy = await stack.deps.db.job.count({
        where: {
          inputIds: { has: versionId },
          queue: { in: [...queues] },
          status: { in: ["QUEUED", "RUNNING"] },
        },
      });
      return busy === 0 ? true : undefined;
    },
    { what: `jobs of version ${versionId} on ${queues.join(", ")}`, timeoutMs },
  );
