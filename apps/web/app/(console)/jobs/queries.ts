import { graphql } from "@/lib/generated/gql";
export const JobFieldsFragmentDoc = graphql(`
  fragment JobFields on Job {
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
  subjects { id role kind name }
  }
`);

export const JOBS_QUERY = graphql(`
  query JobList($first: Int, $status: JobStatus) {
    jobs(first: $first, status: $status) {
      totalCount
      edges {
        cursor
        node {
          ...JobFields
        }
      }
    }
  }
`);

export const CANCEL_JOB_MUTATION = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      ...JobFields
    }
  }
`);

export const JOBS_PAGE_SIZE = 50;
