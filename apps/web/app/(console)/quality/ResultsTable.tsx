import { formatCount } from "@/lib/format";
import { asRecord, asRecords } from "@/lib/json";
import type { QualityResult } from "./queries";

function SamplesTable({ rows }: { rows: Record<string, unknown>[] }) {
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="table-wrap">
      <table className="table compact">
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header === "_line" ? "line" : header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={String(row._line ?? i)}>
              {headers.map((header) => (
                <td key={header}>
                  {row[header] === null ? <span className="muted">null</span> : String(row[header] ?? "")}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const summary = (observed: Record<string, unknown>): string => {
  if (typeof observed.error === "string") return observed.error;
  if (typeof observed.skipped === "string") return observed.skipped;
  if (typeof observed.psi === "number") return `PSI ${observed.psi.toFixed(3)}`;
  if (typeof observed.pValue === "number") return `p = ${observed.pValue.toExponential(2)}`;
  return Object.entries(observed)
    .filter(([, value]) => typeof value !== "object" || value === null)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(", ");
};

/** Per-rule results of one run: pass/fail, failing count, what was observed, and failing-row samples. */
export function ResultsTable({ results }: { results: QualityResult[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Latest results">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Result</th>
            <th scope="col" className="num">
              Failing
            </th>
            <th scope="col" className="num">
              Checked
            </th>
            <th scope="col">Observed</th>
            <th scope="col">Samples</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={result.id} data-testid={`quality-result-${result.rule.name}`}>
              <td>
                {result.rule.name}{" "}
                <span className="muted">
                  ({result.rule.type}, {result.rule.severity})
                </span>
              </td>
              <td>
                <span className={result.passed ? "status status-completed" : "status status-failed"}>
                  {result.passed ? "pass" : "fail"}
                </span>
              </td>
              <td className="num">{formatCount(result.failingCount)}</td>
              <td className="num">{formatCount(result.checkedCount)}</td>
              <td className="wrap">{summary(asRecord(result.observed))}</td>
              <td>
                {asRecords(result.samples).length > 0 ? (
                  <details>
                    <summary>{asRecords(result.samples).length} rows</summary>
                    <SamplesTable rows={asRecords(result.samples)} />
                  </details>
                ) : (
                  <span className="muted">-</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
