import { graphql } from "@/lib/generated/gql";
// GraphQL documents and answer types of the experiments pages.

export type ExperimentMetric = "CLICK_THROUGH" | "ADD_TO_CART" | "CONVERSION" | "REVENUE_PER_USER";

export const METRIC_LABELS: Record<ExperimentMetric, string> = {
  CLICK_THROUGH: "Click-through",
  ADD_TO_CART: "Add-to-cart",
  CONVERSION: "Conversion",
  REVENUE_PER_USER: "Revenue per user",
};

export type ExperimentRow = {
  id: string;
  name: string;
  description: string;
  modelName: string;
  status: "DRAFT" | "RUNNING" | "STOPPED";
  primaryMetric: ExperimentMetric;
  guardrailMetrics: ExperimentMetric[];
  alpha: number;
  sequential: boolean;
  plannedUsersPerVariant: number;
  startedAt: string | null;
  stoppedAt: string | null;
  winnerVariantKey: string | null;
  createdAt: string;
  variants: {
    key: string;
    modelVersionId: string;
    modelVersion: number | null;
    share: number;
    isControl: boolean;
  }[];
};

export const ExperimentFieldsFragmentDoc = graphql(`
  fragment ExperimentFields on Experiment {
    id name description modelName status primaryMetric guardrailMetrics alpha sequential
  plannedUsersPerVariant startedAt stoppedAt winnerVariantKey createdAt
  variants { key modelVersionId modelVersion share isControl }
  }
`);

export const EXPERIMENTS_QUERY = graphql(`query Experiments { experiments { ...ExperimentFields } }`);
export type ExperimentsAnswer = { experiments: ExperimentRow[] };

export type VariantValue = {
  variant: string;
  metric: ExperimentMetric;
  value: number;
  low: number;
  high: number;
};
export type Comparison = {
  variant: string;
  metric: ExperimentMetric;
  difference: number;
  lift: number | null;
  liftLow: number | null;
  liftHigh: number | null;
  pValue: number;
  adjustedPValue: number;
  sequentialPValue: number;
  adjustedSequentialPValue: number;
  significant: boolean;
};
export type Traffic = { variant: string; users: number; exposures: number; attributedEvents: number };

export type ExperimentResults = {
  experiment: ExperimentRow;
  traffic: Traffic[];
  values: VariantValue[];
  comparisons: Comparison[];
  sampleRatio: { chiSquare: number; pValue: number; mismatch: boolean };
  verdict: "SRM" | "TOO_EARLY" | "WINNER" | "GUARDRAIL_HARM" | "NO_DIFFERENCE" | "CONTROL_BETTER";
  winner: string | null;
  summary: string;
  timelineUnit: "MINUTE" | "HOUR" | "DAY";
  timeline: { day: string; values: VariantValue[]; users: { variant: string; users: number }[] }[];
};

export const RESULTS_QUERY = graphql(`query ExperimentResults($id: ID!) { experimentResults(id: $id) {
  experiment { ...ExperimentFields }
  traffic { variant users exposures attributedEvents }
  values { variant metric value low high }
  comparisons { variant metric difference lift liftLow liftHigh pValue adjustedPValue sequentialPValue adjustedSequentialPValue significant }
  sampleRatio { chiSquare pValue mismatch }
  verdict winner summary timelineUnit
  timeline { day values { variant metric value low high } users { variant users } }
} }`);
export type ResultsAnswer = { experimentResults: ExperimentResults };

export const formatMetric = (metric: ExperimentMetric, value: number): string =>
  metric === "REVENUE_PER_USER" ? value.toFixed(2) : `${(value * 100).toFixed(2)}%`;

export const formatP = (p: number): string => (p < 0.0001 ? "< 0.0001" : p.toFixed(4));
