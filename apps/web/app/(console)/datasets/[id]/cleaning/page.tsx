import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ErrorBox } from "@/components/ErrorBox";
import { formatCount } from "@/lib/format";
import { tryGql } from "@/lib/graphql";
import { CleaningPanel } from "./CleaningPanel";
import { CLEANING_PAGE_QUERY } from "./queries";

export const metadata: Metadata = { title: "Cleaning" };
export const dynamic = "force-dynamic";

export default async function CleaningPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const datasetId = decodeURIComponent(id);
  const result = await tryGql(CLEANING_PAGE_QUERY, { id: datasetId });
  if (!result.ok) {
    return (
      <>
        <p className="breadcrumb">
          <Link href="/datasets">Datasets</Link> / <Link href={`/datasets/${id}`}>dataset</Link> / cleaning
        </p>
        <ErrorBox error={result.error} />
      </>
    );
  }
  const { dataset, cleaningRecipes } = result.data;
  if (!dataset) notFound();
  const latest = dataset.latestVersion;

  return (
    <>
      <p className="breadcrumb">
        <Link href="/datasets">Datasets</Link> / <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>{" "}
        / cleaning
      </p>
      <div className="page-header">
        <h1>Cleaning · {dataset.name}</h1>
        <span className="muted">
          {latest
            ? `Runs clean v${latest.number} (${formatCount(latest.rowCount)} rows) into a new version`
            : "No READY version to clean yet"}
        </span>
      </div>
      <CleaningPanel dataset={dataset} initialRecipes={cleaningRecipes.edges.map((edge) => edge.node)} />
    </>
  );
}
