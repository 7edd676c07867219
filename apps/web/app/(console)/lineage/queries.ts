import { graphql } from "@/lib/generated/gql";
import type {
  LineageGraphQuery,
  LineageImpactQuery,
  LineageNodeFieldsFragment,
} from "@/lib/generated/gql/graphql";

export type LineageNode = LineageNodeFieldsFragment;
export type LineageGraph = LineageGraphQuery["lineage"];
export type LineageEdge = LineageGraph["edges"][number];
export type ImpactReport = LineageImpactQuery["impact"];
export { LineageDirection, LineageNodeType } from "@/lib/generated/gql/graphql";

export const LineageNodeFieldsFragmentDoc = graphql(`
  fragment LineageNodeFields on LineageNode {
    id
  type
  refId
  label
  metadata
  depth
  createdAt
  version {
    versionId
    datasetId
    datasetName
    number
    status
    qualityScore
  }
  }
`);

export const LINEAGE_QUERY = graphql(`
  query LineageGraph($id: ID!, $direction: LineageDirection!, $depth: Int) {
    lineage(id: $id, direction: $direction, depth: $depth) {
      truncated
      nodes {
        ...LineageNodeFields
      }
      edges {
        id
        from
        to
        relation
        jobId
        createdAt
      }
    }
  }
`);

export const IMPACT_QUERY = graphql(`
  query LineageImpact($versionId: ID!) {
    impact(versionId: $versionId) {
      versionId
      total
      truncated
      root {
        ...LineageNodeFields
      }
      groups {
        type
        count
        nodes {
          ...LineageNodeFields
        }
      }
    }
  }
`);

// The picker lists versions of the first page of datasets; any other entity is reachable with ?id=.
export const VERSION_PICKER_QUERY = graphql(`
  query LineageVersionPicker($first: Int) {
    datasets(first: $first) {
      totalCount
      edges {
        node {
          id
          name
          versions {
            id
            number
            status
          }
        }
      }
    }
  }
`);

export const PICKER_DATASETS = 100;
export const MAX_DEPTH = 10;
export const DEFAULT_DEPTH = 3;
