import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { AudienceBuilder } from "./AudienceBuilder";
import { AUDIENCE_INPUTS_QUERY, type SegmentOption } from "./queries";

export const metadata: Metadata = { title: "Audiences" };
export const dynamic = "force-dynamic";

export default async function AudiencesPage() {
  const answer = await tryGql(AUDIENCE_INPUTS_QUERY);
  const models = answer.ok ? answer.data.servingModels : [];
  // Seeds come from the READY segment sets, newest first.
  const segments: SegmentOption[] = answer.ok
    ? answer.data.segmentSets.edges
        .map((edge) => edge.node)
        .filter((set) => set.status === "READY")
        .flatMap((set) =>
          set.segments.map((segment) => ({ ...segment, setId: set.id, algorithm: set.algorithm })),
        )
    : [];
  return (
    <>
      <div className="page-header">
        <h1>Audiences</h1>
        <span className="muted">
          Ad-targeting audiences: the users most likely to want some items or a category, by the ACTIVE
          model&apos;s predictions (recent buyers left out), or lookalikes of a segment or an uploaded user
          list by profile similarity. Estimate the reach by size, then export the audience as a USERS dataset
          version with its lineage.
        </span>
      </div>
      {!answer.ok ? (
        <ErrorBox error={answer.error} title="The models and segments could not be read" />
      ) : models.length === 0 && segments.length === 0 ? (
        <div className="empty" data-testid="audiences-empty">
          <p>
            <strong>Nothing to build an audience from yet.</strong> Interest audiences need an ACTIVE model:{" "}
            <Link href="/models">train one and promote it</Link>. Lookalikes need user profiles and segments:{" "}
            <Link href="/features">run the feature pipeline</Link>.
          </p>
        </div>
      ) : (
        <AudienceBuilder models={models} segments={segments} />
      )}
    </>
  );
}
