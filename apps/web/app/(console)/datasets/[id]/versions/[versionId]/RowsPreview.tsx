"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import type { VersionRowsQuery } from "@/lib/generated/gql/graphql";

const ROWS = graphql(`
  query VersionRows($versionId: ID!, $first: Int, $offset: Int, $sortBy: String, $descending: Boolean,
                    $filterColumn: String, $filter: String) {
    versionRows(versionId: $versionId, first: $first, offset: $offset, sortBy: $sortBy, descending: $descending,
                filterColumn: $filterColumn, filter: $filter) {
      totalCount offset columns { name type } rows { line cells }
    }
  }
`);

const PAGE = 25;

type TPage = VersionRowsQuery["versionRows"];

/** The console's own: what the reader asked for (page, sort and filter), sent as the query's variables. */
type TQuery = {
  offset: number;
  sortBy: string | null;
  descending: boolean;
  filterColumn: string;
  filter: string;
};

/** A page of the version's rows: click a heading to sort, filter one column by text, page through. */
export function RowsPreview({ versionId, columns }: { versionId: string; columns: string[] }) {
  const [query, setQuery] = useState<TQuery>({
    offset: 0,
    sortBy: null,
    descending: false,
    filterColumn: columns[0] ?? "",
    filter: "",
  });
  const [filterText, setFilterText] = useState("");
  const [page, setPage] = useState<TPage | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const load = useCallback(async () => {
    try {
      const data = await clientGql(ROWS, {
        versionId,
        first: PAGE,
        offset: query.offset,
        sortBy: query.sortBy,
        descending: query.descending,
        filterColumn: query.filter ? query.filterColumn : null,
        filter: query.filter || null,
      });
      setPage(data.versionRows);
      setError(null);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }, [versionId, query]);

  useEffect(() => {
    void load();
  }, [load]);

  function sortBy(name: string) {
    setQuery((q) => ({
      ...q,
      offset: 0,
      sortBy: name,
      descending: q.sortBy === name ? !q.descending : false,
    }));
  }

  function onFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQuery((q) => ({ ...q, offset: 0, filter: filterText.trim() }));
  }

  return (
    <div data-testid="rows-preview">
      <form className="toolbar" onSubmit={onFilter} aria-label="Filter rows">
        <select
          aria-label="Filter column"
          value={query.filterColumn}
          onChange={(e) => setQuery((q) => ({ ...q, filterColumn: e.target.value }))}
        >
          {columns.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <input
          type="text"
          aria-label="Filter text"
          placeholder="contains…"
          value={filterText}
          onChange={(e) => setFilterText(e.target.value)}
        />
        <button type="submit" className="button small">
          Filter
        </button>
        <a className="button small" href={`/api/versions/${versionId}/rows?format=csv`}>
          Download CSV
        </a>
        <a className="button small" href={`/api/versions/${versionId}/rows?format=jsonl`}>
          Download JSON Lines
        </a>
        <a className="button small" href={`/api/versions/${versionId}/rows?format=parquet`}>
          Download Parquet
        </a>
      </form>
      {error ? <ErrorBox error={error} title="The rows could not be read" /> : null}
      {page ? (
        <>
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr>
                  <th className="num">Line</th>
                  {page.columns.map((column) => (
                    <th key={column.name}>
                      <button type="button" className="link-button" onClick={() => sortBy(column.name)}>
                        {column.name}
                        {query.sortBy === column.name ? (query.descending ? " ↓" : " ↑") : ""}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr key={row.line}>
                    <td className="num muted">{row.line}</td>
                    {row.cells.map((cell, index) => (
                      <td key={page.columns[index]?.name ?? index} className="mono">
                        {cell ?? <span className="muted">null</span>}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.rows.length === 0 ? <p className="empty">No row matches.</p> : null}
          <p className="toolbar">
            <span className="muted">
              {page.totalCount === 0
                ? "0 rows"
                : `Rows ${formatCount(page.offset + 1)}–${formatCount(page.offset + page.rows.length)} of ${formatCount(page.totalCount)}`}
            </span>
            <button
              type="button"
              className="button small"
              disabled={page.offset === 0}
              onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, q.offset - PAGE) }))}
            >
              Previous
            </button>
            <button
              type="button"
              className="button small"
              disabled={page.offset + page.rows.length >= page.totalCount}
              onClick={() => setQuery((q) => ({ ...q, offset: q.offset + PAGE }))}
            >
              Next
            </button>
          </p>
        </>
      ) : null}
    </div>
  );
}
