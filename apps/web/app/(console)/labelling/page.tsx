import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { formatTime } from "@/lib/format";
import { tryGql } from "@/lib/graphql";
import { CreateProjectForm } from "./CreateProjectForm";
import { PROJECTS_QUERY } from "./queries";
import "./labelling.css";

export const metadata: Metadata = { title: "Labelling" };
export const dynamic = "force-dynamic";

export default async function LabellingPage() {
  const result = await tryGql(PROJECTS_QUERY);
  if (!result.ok) return <ErrorBox error={result.error} />;
  const steward = ["ADMIN", "STEWARD"].includes(result.data.viewer.role);
  const projects = result.data.labelProjects.edges.map((edge) => edge.node);
  return (
    <>
      <div className="page-header">
        <h1>Labelling</h1>
        <span className="muted">
          {steward
            ? "Projects, agreement, review and export"
            : "Your queues: pick a project and label with the keyboard"}
        </span>
      </div>
      {steward ? <CreateProjectForm /> : null}
      <div className="panel">
        {projects.length === 0 ? (
          <p className="empty" data-testid="no-projects">
            {steward
              ? "No label projects yet: create one above."
              : "You are not a member of any label project yet. A steward adds you to a project; it then appears here."}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="label-projects">
              <thead>
                <tr>
                  <th>Project</th>
                  <th>Schema</th>
                  <th>Overlap</th>
                  <th className="progress-col">Labels</th>
                  <th>Tasks complete</th>
                  <th>Gold</th>
                  <th>Created</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {projects.map((project) => (
                  <tr key={project.id} data-testid="label-project-row" data-project-name={project.name}>
                    <td className="strong">
                      {steward ? <Link href={`/labelling/${project.id}`}>{project.name}</Link> : project.name}
                    </td>
                    <td>
                      {project.schema.name} <span className="muted">{project.schema.type}</span>
                    </td>
                    <td>{project.overlap}</td>
                    <td className="progress-col">
                      <ProgressBar
                        value={
                          project.progress.slots === 0
                            ? 0
                            : (100 * project.progress.labels) / project.progress.slots
                        }
                        label={`${project.name} labels`}
                      />
                    </td>
                    <td>
                      {project.progress.completeTasks} / {project.progress.tasks}
                    </td>
                    <td>{project.progress.goldTasks}</td>
                    <td className="nowrap">{formatTime(project.createdAt)}</td>
                    <td className="nowrap">
                      <Link className="button small primary" href={`/labelling/${project.id}/work`}>
                        Label
                      </Link>{" "}
                      {steward ? (
                        <Link className="button small" href={`/labelling/${project.id}/review`}>
                          Review
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
