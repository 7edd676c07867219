import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { ImagesPanel } from "./ImagesPanel";
import { CATALOGS_QUERY } from "./queries";

export const metadata: Metadata = { title: "Product images" };
export const dynamic = "force-dynamic";

export default async function ProductImagesPage() {
  const answer = await tryGql(CATALOGS_QUERY);
  if (!answer.ok) return <ErrorBox error={answer.error} />;
  const catalogs = answer.data.datasets.edges.flatMap(({ node }) =>
    node.latestVersion?.status === "READY"
      ? [{ value: node.latestVersion.id, label: `${node.name} v${node.latestVersion.number}` }]
      : [],
  );
  return (
    <>
      <div className="page-header">
        <h1>Product images</h1>
        <span className="muted">
          Pictures of catalogue items, their embeddings and visual neighbours ·{" "}
          <Link href="/features">Features &amp; Segments</Link>
        </span>
      </div>
      <ImagesPanel catalogs={catalogs} />
    </>
  );
}
