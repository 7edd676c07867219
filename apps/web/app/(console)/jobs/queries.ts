export const JOB_FIELDS = /* GraphQL */ `
  id
  queue
  name
  status
  progress
  message
  error
  attempts
  createdAt
  startedAt
  finishedAt
  durationSeconds
`;

export const JOBS_QUERY = /* GraphQL */ `
  query JobList($first: Int, $status: JobStatus) {
    jobs(first: $first, status: $status) {
      totalCount
      edges {
        cursor
        node {
          ${JOB_FIELDS}
        }
      }
    }
  }
`;

export const CANCEL_JOB_MUTATION = /* GraphQL */ `
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      ${JOB_FIELDS}
    }
  }
`;

export const JOBS_PAGE_SIZE = 50;
