import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { firstParam } from "@/lib/format";
import type { FeatureInputsQuery } from "@/lib/generated/gql/graphql";
import { tryGql } from "@/lib/graphql";
import { PipelinePanel } from "./PipelinePanel";
import { VERSIONS_QUERY, type VersionOption } from "./queries";
import { SegmentExplorer } from "./SegmentExplorer";
import { SegmentSetList } from "./SegmentSetList";

export const metadata: Metadata = { title: "Features & Segments" };
export const dynamic = "force-dynamic";

const readyVersions = (edges: FeatureInputsQuery["catalogs"]["edges"]): VersionOption[] =>
  edges.flatMap(({ node }) =>
    node.latestVersion?.status === "READY"
      ? [{ datasetName: node.name, versionId: node.latestVersion.id, number: node.latestVersion.number }]
      : [],
  );

export default async function FeaturesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const selected = firstParam((await searchParams).set);
  const answer = await tryGql(VERSIONS_QUERY);
  if (!answer.ok) return <ErrorBox error={answer.error} />;
  const sets = answer.data.segmentSets.edges.map((edge) => edge.node);
  return (
    <>
      <div className="page-header">
        <h1>Features &amp; Segments</h1>
        <span className="muted">
          Embed the catalogue, profile the shoppers, segment the profiles ·{" "}
          <Link href="/features/images">Product images</Link>
        </span>
      </div>
      <PipelinePanel
        catalogs={readyVersions(answer.data.catalogs.edges)}
        events={readyVersions(answer.data.events.edges)}
      />
      <SegmentSetList sets={sets} selected={selected ?? null} />
      {selected ? <SegmentExplorer segmentSetId={selected} /> : null}
    </>
  );
}
