import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { StatusBadge } from "@/components/StatusBadge";
import { formatCount } from "@/lib/format";
import { graphql } from "@/lib/gql";
import { type DashboardStatsQuery, JobStatus } from "@/lib/gql/graphql";
import { tryGql } from "@/lib/graphql";
import { EventsChart } from "./EventsChart";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

const STATS_QUERY = graphql(`
  query DashboardStats {
    platformStats {
      datasetCount
      versionCount
      rowCount
      jobCounts {
        status
        count
      }
    }
  }
`);

const EVENTS_QUERY = graphql(`
  query DashboardEvents {
    eventsPerDay {
      day
      eventType
      count
    }
  }
`);

export default async function DashboardPage() {
  const [stats, events] = await Promise.all([tryGql(STATS_QUERY), tryGql(EVENTS_QUERY)]);

  return (
    <>
      <div className="page-header">
        <h1>Dashboard</h1>
      </div>

      {stats.ok ? (
        <StatCards stats={stats.data.platformStats} />
      ) : (
        <ErrorBox title="Platform statistics are unavailable" error={stats.error} />
      )}

      <section className="panel">
        <h2>Events per day by type</h2>
        {events.ok ? (
          events.data.eventsPerDay.length > 0 ? (
            <EventsChart data={events.data.eventsPerDay} />
          ) : (
            <p className="empty" data-testid="events-empty">
              No events yet: there is no READY version of an EVENTS dataset. Load one from{" "}
              <Link href="/datasets?kind=EVENTS">Datasets</Link>.
            </p>
          )
        ) : events.error.code === "NOT_FOUND" ? (
          <p className="empty" data-testid="events-empty">
            No events dataset yet. {events.error.message}
          </p>
        ) : (
          <ErrorBox error={events.error} />
        )}
      </section>
    </>
  );
}

function StatCards({ stats }: { stats: DashboardStatsQuery["platformStats"] }) {
  const counts = new Map(stats.jobCounts.map((c) => [c.status, c.count]));
  return (
    <div className="cards">
      <div className="card" data-testid="stat-datasets">
        <div className="card-label">Datasets</div>
        <div className="card-value" data-testid="stat-datasets-value">
          {formatCount(stats.datasetCount)}
        </div>
      </div>
      <div className="card" data-testid="stat-versions">
        <div className="card-label">READY versions</div>
        <div className="card-value">{formatCount(stats.versionCount)}</div>
      </div>
      <div className="card" data-testid="stat-rows">
        <div className="card-label">Rows (latest READY versions)</div>
        <div className="card-value">{formatCount(stats.rowCount)}</div>
      </div>
      <div className="card card-wide" data-testid="stat-jobs">
        <div className="card-label">
          <Link href="/jobs">Jobs</Link> by status
        </div>
        <ul className="job-counts">
          {Object.values(JobStatus).map((status) => (
            <li key={status}>
              <StatusBadge status={status} />
              <span className="job-count">{formatCount(counts.get(status) ?? 0)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
