"use client";

import { useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import type { RejectedRowsPageFieldsFragment } from "@/lib/generated/gql/graphql";

export const RejectedRowsPageFieldsFragmentDoc = graphql(`
  fragment RejectedRowsPageFields on RejectedRowConnection {
    totalCount
    edges { cursor node { id file line column reason raw } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
`);

const REJECTS_PAGE = graphql(`
  query RejectedRowsPage($id: ID!, $after: String) {
    datasetVersion(id: $id) {
      rejectedRows(first: 50, after: $after) { ...RejectedRowsPageFields }
    }
  }
`);

export function RejectedRowsTable({
  versionId,
  initial,
  downloadHref,
}: {
  versionId: string;
  initial: RejectedRowsPageFieldsFragment;
  downloadHref: string;
}) {
  const [rows, setRows] = useState(initial.edges.map((edge) => edge.node));
  const [pageInfo, setPageInfo] = useState(initial.pageInfo);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function loadMore() {
    setLoading(true);
    setError(null);
    try {
      const data = await clientGql(REJECTS_PAGE, { id: versionId, after: pageInfo.endCursor });
      const page = data.datasetVersion?.rejectedRows;
      if (page) {
        setRows((current) => [...current, ...page.edges.map((edge) => edge.node)]);
        setPageInfo(page.pageInfo);
      }
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setLoading(false);
    }
  }

  if (initial.totalCount === 0) return <p className="empty">No rows were rejected.</p>;
  return (
    <>
      <div className="toolbar">
        <span className="muted">
          Showing {rows.length} of {initial.totalCount} rejected rows.
        </span>
        <a className="button small" href={downloadHref} download data-testid="rejects-download">
          Download CSV
        </a>
      </div>
      <div className="table-wrap">
        <table className="table compact" data-testid="rejects-table">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Line</th>
              <th>Column</th>
              <th>Reason</th>
              <th>Raw row</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="mono">{row.file ?? "—"}</td>
                <td className="num">{row.line}</td>
                <td className="mono">{row.column ?? <span className="muted">whole row</span>}</td>
                <td>{row.reason}</td>
                <td className="mono">{row.raw}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
      {pageInfo.hasNextPage ? (
        <button type="button" className="button" onClick={loadMore} disabled={loading}>
          {loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </>
  );
}
