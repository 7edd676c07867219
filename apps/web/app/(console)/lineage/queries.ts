const NODE_FIELDS = /* GraphQL */ `
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
`;

export const LINEAGE_QUERY = /* GraphQL */ `
  query LineageGraph($id: ID!, $direction: LineageDirection!, $depth: Int) {
    lineage(id: $id, direction: $direction, depth: $depth) {
      truncated
      nodes {
        ${NODE_FIELDS}
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
`;

export const IMPACT_QUERY = /* GraphQL */ `
  query LineageImpact($versionId: ID!) {
    impact(versionId: $versionId) {
      versionId
      total
      truncated
      root {
        ${NODE_FIELDS}
      }
      groups {
        type
        count
        nodes {
          ${NODE_FIELDS}
        }
      }
    }
  }
`;

// The picker lists versions of the first page of datasets; any other entity is reachable with ?id=.
export const VERSION_PICKER_QUERY = /* GraphQL */ `
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
`;

export const PICKER_DATASETS = 100;
export const MAX_DEPTH = 10;
export const DEFAULT_DEPTH = 3;
