import type { Metadata } from "next";
import { firstParam } from "@/lib/format";
import { JobStatus } from "@/lib/generated/gql/graphql";
import { tryGql } from "@/lib/graphql";
import { JobsBoard } from "./JobsBoard";
import { JOBS_PAGE_SIZE, JOBS_QUERY } from "./queries";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const raw = firstParam(params.status) ?? "";
  const status = (Object.values(JobStatus) as string[]).includes(raw) ? (raw as JobStatus) : null;
  const initial = await tryGql(JOBS_QUERY, {
    first: JOBS_PAGE_SIZE,
    status,
  });

  return (
    <>
      <div className="page-header">
        <h1>Jobs</h1>
        <span className="muted">Refreshes every second</span>
      </div>
      <JobsBoard
        initialStatus={status}
        initialJobs={initial.ok ? initial.data.jobs.edges.map((e) => e.node) : null}
        initialTotal={initial.ok ? initial.data.jobs.totalCount : null}
        initialError={initial.ok ? null : initial.error}
      />
    </>
  );
}
