// GraphQL documents of the experiments pages; answer types come from the generated client.
import { graphql } from "@/lib/generated/gql";
import type { ExperimentMetric, ExperimentResultsQuery } from "@/lib/generated/gql/graphql";

export type { ExperimentMetric } from "@/lib/generated/gql/graphql";

export const METRIC_LABELS: Record<ExperimentMetric, string> = {
  CLICK_THROUGH: "Click-through",
  ADD_TO_CART: "Add-to-cart",
  CONVERSION: "Conversion",
  REVENUE_PER_USER: "Revenue per user",
};

export const ExperimentFieldsFragmentDoc = graphql(`
  fragment ExperimentFields on Experiment {
    id name description modelName status primaryMetric guardrailMetrics alpha sequential
  plannedUsersPerVariant startedAt stoppedAt winnerVariantKey createdAt
  variants { key modelVersionId modelVersion share isControl }
  }
`);

export const EXPERIMENTS_QUERY = graphql(`query Experiments($first: Int, $after: String) {
  experiments(first: $first, after: $after) {
    totalCount
    edges { node { ...ExperimentFields } }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const RESULTS_QUERY = graphql(`query ExperimentResults($id: ID!) { experimentResults(id: $id) {
  experiment { ...ExperimentFields }
  traffic { variant users exposures attributedEvents }
  values { variant metric value low high }
  comparisons { variant metric difference lift liftLow liftHigh pValue adjustedPValue sequentialPValue adjustedSequentialPValue significant }
  sampleRatio { chiSquare pValue mismatch }
  verdict winner summary timelineUnit
  timeline { day values { variant metric value low high } users { variant users } }
} }`);

export type ExperimentResults = ExperimentResultsQuery["experimentResults"];

export const formatMetric = (metric: ExperimentMetric, value: number): string =>
  metric === "REVENUE_PER_USER" ? value.toFixed(2) : `${(value * 100).toFixed(2)}%`;

export const formatP = (p: number): string => (p < 0.0001 ? "< 0.0001" : p.toFixed(4));
