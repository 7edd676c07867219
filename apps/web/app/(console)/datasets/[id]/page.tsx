import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ErrorBox } from "@/components/ErrorBox";
import { StatusBadge } from "@/components/StatusBadge";
import { formatCount, formatScore, formatTime } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import { tryGql } from "@/lib/graphql";
import { EditDatasetForm } from "./EditDatasetForm";

export const metadata: Metadata = { title: "Dataset" };
export const dynamic = "force-dynamic";

export const DatasetVersionFieldsFragmentDoc = graphql(`
  fragment DatasetVersionFields on DatasetVersion {
    id
  number
  status
  rowCount
  rejectedCount
  qualityScore
  createdAt
  readyAt
  columns {
    name
    type
    nullable
    role
  }
  }
`);

const DATASET_QUERY = graphql(`
  query DatasetDetail($id: ID!) {
    dataset(id: $id) {
      id
      name
      description
      kind
      tags
      owner
      createdAt
      latestVersion {
        ...DatasetVersionFields
      }
      versions {
        ...DatasetVersionFields
      }
    }
  }
`);

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await tryGql(DATASET_QUERY, { id: decodeURIComponent(id) });

  if (!result.ok) {
    if (result.error.code === "NOT_FOUND") notFound();
    return (
      <>
        <p className="breadcrumb">
          <Link href="/datasets">Datasets</Link> /
        </p>
        <ErrorBox error={result.error} />
      </>
    );
  }
  const dataset = result.data.dataset;
  if (!dataset) notFound();

  return (
    <>
      <p className="breadcrumb">
        <Link href="/datasets">Datasets</Link> / {dataset.name}
      </p>
      <div className="page-header">
        <h1>{dataset.name}</h1>
        <span className="kind">{dataset.kind}</span>
        <Link href={`/datasets/${dataset.id}/cleaning`}>Cleaning recipes</Link>
      </div>

      <section className="panel">
        <dl className="details">
          <dt>Description</dt>
          <dd>{dataset.description || <span className="muted">No description.</span>}</dd>
          <dt>Tags</dt>
          <dd>
            {dataset.tags.length > 0 ? (
              <span className="tags">
                {dataset.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          <dt>Owner</dt>
          <dd>{dataset.owner ?? <span className="muted">—</span>}</dd>
          <dt>Created</dt>
          <dd>{formatTime(dataset.createdAt)}</dd>
          <dt>Latest READY version</dt>
          <dd>
            {dataset.latestVersion
              ? `v${dataset.latestVersion.number} · ${formatCount(dataset.latestVersion.rowCount)} rows`
              : "none"}
          </dd>
          <dt>Id</dt>
          <dd className="mono">{dataset.id}</dd>
        </dl>
        <EditDatasetForm datasetId={dataset.id} description={dataset.description} tags={dataset.tags} />
      </section>

      <section className="panel">
        <h2>Versions ({dataset.versions.length})</h2>
        {dataset.versions.length === 0 ? (
          <p className="empty">This dataset has no versions yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="versions-table">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Status</th>
                  <th className="num">Rows</th>
                  <th className="num">Rejected</th>
                  <th className="num">Quality</th>
                  <th>Created</th>
                  <th>Ready</th>
                  <th aria-label="Profile" />
                </tr>
              </thead>
              <tbody>
                {dataset.versions.map((v) => (
                  <tr key={v.id}>
                    <td className="strong">
                      <Link
                        href={`/datasets/${dataset.id}/versions/${v.id}`}
                        title="Profile, schema changes, rejects"
                      >
                        v{v.number}
                      </Link>
                    </td>
                    <td>
                      <StatusBadge status={v.status} />
                    </td>
                    <td className="num">{formatCount(v.rowCount)}</td>
                    <td className="num">{formatCount(v.rejectedCount)}</td>
                    <td className="num">{formatScore(v.qualityScore)}</td>
                    <td>{formatTime(v.createdAt)}</td>
                    <td>{formatTime(v.readyAt)}</td>
                    <td>
                      <Link href={`/datasets/${dataset.id}/versions/${v.id}`} className="button small">
                        Profile
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {dataset.versions.map((v, index) => (
        <details key={v.id} className="panel columns-panel" open={index === 0}>
          <summary>
            Columns of v{v.number} ({v.columns.length})
          </summary>
          {v.columns.length === 0 ? (
            <p className="empty">No columns recorded.</p>
          ) : (
            <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th>Column</th>
                    <th>Type</th>
                    <th>Nullable</th>
                    <th>ML role</th>
                  </tr>
                </thead>
                <tbody>
                  {v.columns.map((c) => (
                    <tr key={c.name}>
                      <td className="mono">{c.name}</td>
                      <td>{c.type}</td>
                      <td>{c.nullable ? "yes" : "no"}</td>
                      <td>
                        {c.role ? <span className="tag">{c.role}</span> : <span className="muted">—</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </details>
      ))}
    </>
  );
}
