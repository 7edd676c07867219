import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { formatCount } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import {
  type DashboardMyQueuesQuery,
  type DashboardStatsQuery,
  JobStatus,
} from "@/lib/generated/gql/graphql";
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
    eventsChart {
      version { versionId datasetId datasetName number }
      days { day eventType count }
    }
  }
`);

const VIEWER_ROLE_QUERY = graphql(`
  query DashboardViewer { viewer { role name } }
`);

const MY_QUEUES_QUERY = graphql(`
  query DashboardMyQueues {
    labelProjects(first: 50) {
      totalCount
      edges { node { id name status schema { name type } progress { tasks slots labels completeTasks } } }
    }
  }
`);

export default async function DashboardPage() {
  const viewer = await tryGql(VIEWER_ROLE_QUERY);
  const labeller = viewer.ok && viewer.data.viewer.role === "LABELLER";
  // Each card asks on its own: one card's error (or a role it lacks) shows in that card only.
  const [stats, events, queues] = await Promise.all([
    tryGql(STATS_QUERY),
    labeller ? null : tryGql(EVENTS_QUERY),
    labeller ? tryGql(MY_QUEUES_QUERY) : null,
  ]);

  return (
    <>
      <div className="page-header">
        <h1>{labeller ? "My labelling" : "Dashboard"}</h1>
      </div>

      {queues ? (
        <section className="panel" data-testid="my-queues">
          <h2>My labelling queues</h2>
          {queues.ok ? (
            <MyQueues projects={queues.data.labelProjects.edges.map((e) => e.node)} />
          ) : (
            <ErrorBox error={queues.error} />
          )}
        </section>
      ) : null}

      {stats.ok ? (
        <StatCards stats={stats.data.platformStats} />
      ) : (
        <ErrorBox title="Platform statistics are unavailable" error={stats.error} />
      )}

      {events ? (
        <section className="panel" data-testid="events-panel">
          <h2>
            Events per day by type
            {events.ok && events.data.eventsChart.version ? (
              <span className="muted" data-testid="events-source">
                {" "}
                · from{" "}
                <Link
                  href={`/datasets/${events.data.eventsChart.version.datasetId}/versions/${events.data.eventsChart.version.versionId}`}
                >
                  {events.data.eventsChart.version.datasetName} v{events.data.eventsChart.version.number}
                </Link>
              </span>
            ) : null}
          </h2>
          {!events.ok ? (
            <ErrorBox title="The events chart is unavailable" error={events.error} />
          ) : events.data.eventsChart.days.length > 0 ? (
            <EventsChart data={events.data.eventsChart.days} />
          ) : (
            <p className="empty" data-testid="events-empty">
              No events to chart: no READY version of an EVENTS dataset has columns with the{" "}
              <code>timestamp</code> and <code>eventType</code> roles. Load one from{" "}
              <Link href="/datasets?kind=EVENTS">Datasets</Link>, or set the roles on a version&apos;s page.
            </p>
          )}
        </section>
      ) : null}
    </>
  );
}

type TQueue = DashboardMyQueuesQuery["labelProjects"]["edges"][number]["node"];

/** A labeller's projects with how far each has come, and the way into the workbench. */
function MyQueues({ projects }: { projects: TQueue[] }) {
  if (projects.length === 0) {
    return (
      <p className="empty" data-testid="queues-empty">
        No labelling project has you as a member yet. A steward adds you on the project&apos;s page.
      </p>
    );
  }
  return (
    <table className="table" data-testid="queues-table">
      <thead>
        <tr>
          <th>Project</th>
          <th>Schema</th>
          <th className="progress-col">Progress</th>
          <th className="num">Tasks complete</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {projects.map((project) => (
          <tr key={project.id}>
            <td>{project.name}</td>
            <td>
              {project.schema.name} <span className="muted">({project.schema.type})</span>
            </td>
            <td>
              <ProgressBar
                value={
                  project.progress.slots === 0 ? 0 : (100 * project.progress.labels) / project.progress.slots
                }
                label={`${project.name} progress`}
              />
            </td>
            <td className="num">
              {formatCount(project.progress.completeTasks)} of {formatCount(project.progress.tasks)}
            </td>
            <td>
              {project.status === "OPEN" ? (
                <Link className="button small primary" href={`/labelling/${project.id}/work`}>
                  Start labelling
                </Link>
              ) : (
                <span className="muted">{project.status}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
