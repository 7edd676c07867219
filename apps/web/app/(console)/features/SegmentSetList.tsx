import Link from "next/link";
import { StatusBadge } from "@/components/StatusBadge";
import { formatTime } from "@/lib/format";
import { type SegmentSetSummary, segmentMetrics } from "./queries";

export function SegmentSetList({ sets, selected }: { sets: SegmentSetSummary[]; selected: string | null }) {
  return (
    <section className="panel" aria-label="Segment sets">
      <h2>Segment sets</h2>
      {sets.length === 0 ? (
        <p className="empty">No segmentation yet: start the pipeline above.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Created</th>
                <th>Algorithm</th>
                <th>Status</th>
                <th>Users</th>
                <th>Segments</th>
                <th>Silhouette</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sets.map((set) => (
                <tr key={set.id} aria-current={set.id === selected ? "true" : undefined}>
                  <td>{formatTime(set.createdAt)}</td>
                  <td>{set.algorithm}</td>
                  <td>
                    <StatusBadge status={set.status} />
                  </td>
                  <td>{set.profileSet.userCount.toLocaleString("en")}</td>
                  <td>{segmentMetrics(set.metrics).k ?? "-"}</td>
                  <td>{segmentMetrics(set.metrics).silhouette?.toFixed(3) ?? "-"}</td>
                  <td>
                    {set.status === "READY" ? <Link href={`/features?set=${set.id}`}>Explore</Link> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
