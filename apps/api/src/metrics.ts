import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { TDeps } from "./deps.ts";
import { QUEUE_NAMES } from "./jobs/queue-names.ts";

const JOB_STATES = ["waiting", "active", "delayed", "completed", "failed", "prioritized"] as const;

export type TMetrics = {
  registry: Registry;
  requests: Counter<"operation" | "outcome">;
  latency: Histogram<"operation">;
};

export const createMetrics = (deps: TDeps): TMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "dam_api_" });
  const requests = new Counter({
    name: "dam_graphql_requests_total",
    help: "GraphQL operations handled, by operation name and outcome (ok or error).",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "dam_graphql_request_duration_seconds",
    help: "GraphQL operation latency, by operation name.",
    labelNames: ["operation"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "dam_jobs",
    help: "Jobs per queue and BullMQ state, read from Redis at scrape time.",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        QUEUE_NAMES.map(async (queue) => {
          const counts = await deps.queues[queue].getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  return { registry, requests, latency };
};
