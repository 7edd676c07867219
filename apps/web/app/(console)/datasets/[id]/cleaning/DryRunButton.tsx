"use client";

import { useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import type { CleaningDryRunQuery } from "@/lib/generated/gql/graphql";
import { describeStep } from "./step-draft";

const DRY_RUN = graphql(`
  query CleaningDryRun($versionId: ID!, $steps: JSON) {
    cleaningDryRun(versionId: $versionId, steps: $steps) { step op rowsIn rowsOut changed }
  }
`);

type TReport = CleaningDryRunQuery["cleaningDryRun"][number];

/** Counts what the unsaved steps would do to the latest version, step by step, writing nothing. */
export function DryRunButton({ versionId, steps }: { versionId: string; steps: Record<string, unknown>[] }) {
  const [report, setReport] = useState<TReport[] | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function onClick() {
    setPending(true);
    setError(null);
    try {
      const data = await clientGql(DRY_RUN, { versionId, steps });
      setReport(data.cleaningDryRun);
    } catch (e) {
      setReport(null);
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <div data-testid="dry-run">
      <button type="button" className="button" onClick={onClick} disabled={pending || steps.length === 0}>
        {pending ? "Counting…" : "Dry run"}
      </button>
      {error ? <ErrorBox error={error} title="The dry run failed" /> : null}
      {report ? (
        <table className="table compact" aria-label="Dry run">
          <thead>
            <tr>
              <th>Step</th>
              <th className="num">Rows in</th>
              <th className="num">Rows out</th>
              <th className="num">Dropped</th>
              <th className="num">Values changed</th>
            </tr>
          </thead>
          <tbody>
            {report.map((row) => (
              <tr key={row.step}>
                <td className="mono">{describeStep(steps[row.step])}</td>
                <td className="num">{formatCount(row.rowsIn)}</td>
                <td className="num">{formatCount(row.rowsOut)}</td>
                <td className="num">{formatCount(row.rowsIn - row.rowsOut)}</td>
                <td className="num">{row.changed === null ? "—" : formatCount(row.changed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
