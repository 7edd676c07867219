import Link from "next/link";
import { StatusBadge } from "@/components/StatusBadge";
import { formatScore } from "@/lib/format";
import { nodeLabel } from "./graph-layout";
import type { ImpactReport } from "./queries";

/** What a change to the version would affect: every downstream entity, grouped by kind. */
export function ImpactList({ report }: { report: ImpactReport }) {
  if (report.total === 0) {
    return <p className="empty">Nothing downstream has been made from this version yet.</p>;
  }
  return (
    <div data-testid="impact-list">
      <p className="muted">
        {report.total} downstream item{report.total === 1 ? "" : "s"}
        {report.truncated ? " (limit reached: the nearest are listed)" : ""}
      </p>
      {report.groups.map((group) => (
        <section key={group.type} data-testid={`impact-group-${group.type}`}>
          <h3 style={{ fontSize: 13, margin: "12px 0 4px" }}>
            {group.type} <span className="muted">({group.count})</span>
          </h3>
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {group.nodes.map((node) => (
              <li key={node.id} style={{ padding: "3px 0" }}>
                {node.version ? (
                  <>
                    <Link href={`/datasets/${encodeURIComponent(node.version.datasetId)}`} className="strong">
                      {node.version.datasetName} v{node.version.number}
                    </Link>{" "}
                    <StatusBadge status={node.version.status} />{" "}
                    <span className="muted">quality {formatScore(node.version.qualityScore)}</span>
                  </>
                ) : (
                  <span className="strong" title={node.refId}>
                    {nodeLabel(node)}
                  </span>
                )}
                <span className="muted">
                  {" "}
                  · {node.depth} hop{node.depth === 1 ? "" : "s"}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
