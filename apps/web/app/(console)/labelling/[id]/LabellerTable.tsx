import type { LabellerProgress } from "../queries";

/** Each labeller's counts and, for reviewers, accuracy against the gold labels. */
export function LabellerTable({
  rows,
  overlap,
  tasks,
}: {
  rows: LabellerProgress[];
  overlap: number;
  tasks: number;
}) {
  if (rows.length === 0) return <p className="muted">Nobody has labelled yet.</p>;
  return (
    <div className="panel">
      <table className="table" data-testid="labeller-progress">
        <thead>
          <tr>
            <th>Labeller</th>
            <th>Labels</th>
            <th>Skipped</th>
            <th>Leases held</th>
            <th>Compared with gold</th>
            <th>Accuracy against gold</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.labeller.userId} data-testid="labeller-row" data-labeller={row.labeller.name}>
              <td className="strong">{row.labeller.name}</td>
              <td>
                {row.labels} <span className="muted">of {tasks} tasks</span>
              </td>
              <td>{row.skipped}</td>
              <td>{row.activeLeases}</td>
              <td>{row.goldCompared}</td>
              <td data-testid="labeller-accuracy">
                {row.accuracy === null ? "—" : `${(100 * row.accuracy).toFixed(0)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Each task is labelled by {overlap} labellers; accuracy counts tasks with a gold label.
      </p>
    </div>
  );
}
