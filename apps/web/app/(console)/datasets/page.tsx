import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { appendPagePosition, type PagePosition, Pager, pagerLinks } from "@/components/Pager";
import { StatusBadge } from "@/components/StatusBadge";
import { allParams, firstParam, formatCount } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import { DatasetKind } from "@/lib/generated/gql/graphql";
import { tryGql } from "@/lib/graphql";

export const metadata: Metadata = { title: "Datasets" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;

const DATASETS_QUERY = graphql(`
  query DatasetList($first: Int, $after: String, $search: String, $kind: DatasetKind) {
    datasets(first: $first, after: $after, search: $search, kind: $kind) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          kind
          tags
          latestVersion {
            id
            number
            status
            rowCount
            rejectedCount
          }
          versions {
            id
            number
            status
            rowCount
            rejectedCount
          }
        }
      }
    }
  }
`);

/** Builds a /datasets URL with the filters and a page position. */
function datasetsHref(filters: { q?: string; kind?: string }, position: PagePosition): string {
  const sp = new URLSearchParams();
  if (filters.q) sp.set("q", filters.q);
  if (filters.kind) sp.set("kind", filters.kind);
  const s = appendPagePosition(sp, position).toString();
  return s ? `/datasets?${s}` : "/datasets";
}

export default async function DatasetsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const q = firstParam(params.q)?.trim() ?? "";
  const kindParam = firstParam(params.kind) ?? "";
  const kind = (Object.values(DatasetKind) as string[]).includes(kindParam)
    ? (kindParam as DatasetKind)
    : undefined;
  const after = firstParam(params.after) || undefined;
  const prev = allParams(params.prev);

  const result = await tryGql(DATASETS_QUERY, {
    first: PAGE_SIZE,
    after: after ?? null,
    search: q || null,
    kind: kind ?? null,
  });

  return (
    <>
      <div className="page-header">
        <h1>Datasets</h1>
        {result.ok ? (
          <span className="muted">{formatCount(result.data.datasets.totalCount)} matching</span>
        ) : null}
        <Link href="/datasets/import" className="button" data-testid="import-link">
          Import a dataset
        </Link>
      </div>

      <Form className="toolbar" action="/datasets" aria-label="Filter datasets">
        <input
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search name, description, tags"
          aria-label="Search datasets"
        />
        <select name="kind" defaultValue={kind ?? ""} aria-label="Kind">
          <option value="">All kinds</option>
          {Object.values(DatasetKind).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary">
          Apply
        </button>
        {q || kind ? (
          <Link href="/datasets" className="button">
            Clear
          </Link>
        ) : null}
      </Form>

      {!result.ok ? (
        <ErrorBox error={result.error} />
      ) : result.data.datasets.edges.length === 0 ? (
        <p className="empty">{q || kind ? "No dataset matches these filters." : "No datasets yet."}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="datasets-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Kind</th>
                  <th>Tags</th>
                  <th>Latest version</th>
                  <th className="num">Rows</th>
                  <th className="num">Rejected</th>
                </tr>
              </thead>
              <tbody>
                {result.data.datasets.edges.map(({ node }) => {
                  const newest = node.versions[0] ?? null;
                  const ready = node.latestVersion;
                  const counts = ready ?? newest;
                  return (
                    <tr key={node.id}>
                      <td>
                        <Link href={`/datasets/${encodeURIComponent(node.id)}`} className="strong">
                          {node.name}
                        </Link>
                      </td>
                      <td>
                        <span className="kind">{node.kind}</span>
                      </td>
                      <td>
                        {node.tags.length > 0 ? (
                          <span className="tags">
                            {node.tags.map((t) => (
                              <span key={t} className="tag">
                                {t}
                              </span>
                            ))}
                          </span>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {newest ? (
                          <span className="version-cell">
                            v{newest.number} <StatusBadge status={newest.status} />
                            {ready && ready.id !== newest.id ? (
                              <span className="muted"> (v{ready.number} READY)</span>
                            ) : null}
                          </span>
                        ) : (
                          <span className="muted">no versions</span>
                        )}
                      </td>
                      <td className="num">{counts ? formatCount(counts.rowCount) : "—"}</td>
                      <td className="num">{counts ? formatCount(counts.rejectedCount) : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager
            {...pagerLinks(
              (position) => datasetsHref({ q, kind }, position),
              { after, prev },
              result.data.datasets.pageInfo,
            )}
          />
        </>
      )}
    </>
  );
}
