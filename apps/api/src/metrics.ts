import { type GraphQLSchema, Kind, type OperationDefinitionNode } from "graphql";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { TDeps } from "./deps.ts";
import { QUEUE_NAMES } from "./modules/jobs/queue-names.ts";

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
    help: "GraphQL operations handled, by root field (or other) and outcome (ok or error).",
    labelNames: ["operation", "outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "dam_graphql_request_duration_seconds",
    help: "GraphQL operation latency, by root field (or other).",
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

export const OTHER_OPERATION = "other";

/**
 * The `operation` label of a request: the schema field it asks for (`recommend`, `createApiKey`...),
 * or `other` for anything else (several root fields, fragments at the root, unknown or unparsable
 * operations). Clients choose operation names freely; labelling by them would let any client create
 * unbounded series, so the label set is the schema's root fields plus `other`.
 */
export const operationLabelOf = (
  schema: GraphQLSchema,
  operation: OperationDefinitionNode | undefined | null,
): string => {
  if (!operation) return OTHER_OPERATION;
  const root = schema.getRootType(operation.operation);
  if (!root) return OTHER_OPERATION;
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return OTHER_OPERATION;
    if (selection.name.value !== "__typename") names.add(selection.name.value);
  }
  const [name] = names;
  return names.size === 1 && name !== undefined && root.getFields()[name] ? name : OTHER_OPERATION;
};
