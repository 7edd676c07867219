import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { firstParam } from "@/lib/format";
import { tryGql } from "@/lib/graphql";
import { QualityPanel } from "./QualityPanel";
import { DATASETS_QUERY, QUALITY_QUERY } from "./queries";

export const metadata: Metadata = { title: "Quality" };
export const dynamic = "force-dynamic";

export default async function QualityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const datasetId = firstParam((await searchParams).dataset);
  const list = await tryGql(DATASETS_QUERY);
  if (!list.ok) return <ErrorBox error={list.error} />;
  const datasets = list.data.datasets.edges.map((edge) => edge.node);

  const chooser = (
    <nav className="panel" aria-label="Choose a dataset">
      <h2>Datasets</h2>
      {datasets.length === 0 ? (
        <p className="empty">
          No datasets yet. <Link href="/datasets">Import one</Link>.
        </p>
      ) : (
        <ul className="link-list">
          {datasets.map((dataset) => (
            <li key={dataset.id}>
              <Link
                href={`/quality?dataset=${encodeURIComponent(dataset.id)}`}
                aria-current={dataset.id === datasetId ? "page" : undefined}
              >
                {dataset.id === datasetId ? <strong>{dataset.name}</strong> : dataset.name}
              </Link>{" "}
              <span className="muted">{dataset.kind}</span>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );

  if (!datasetId) {
    return (
      <>
        <div className="page-header">
          <h1>Quality</h1>
          <span className="muted">Choose a dataset to see its rules, runs and score per version.</span>
        </div>
        {chooser}
      </>
    );
  }

  const result = await tryGql(QUALITY_QUERY, { id: datasetId });
  return (
    <>
      <p className="breadcrumb">
        <Link href="/quality">Quality</Link> /{" "}
        {result.ok ? (result.data.dataset?.name ?? "unknown") : "error"}
      </p>
      <div className="page-header">
        <h1>Quality{result.ok && result.data.dataset ? ` · ${result.data.dataset.name}` : ""}</h1>
        {result.ok && result.data.dataset ? (
          <Link href={`/datasets/${result.data.dataset.id}`}>Dataset details</Link>
        ) : null}
      </div>
      {!result.ok ? (
        <ErrorBox error={result.error} />
      ) : result.data.dataset ? (
        <QualityPanel initial={result.data} datasets={datasets} />
      ) : (
        <ErrorBox error={{ code: "NOT_FOUND", message: `Dataset ${datasetId} not found` }} />
      )}
      {chooser}
    </>
  );
}
