import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { appendPagePosition, type PagePosition, Pager, pagerLinks } from "@/components/Pager";
import { StatusBadge } from "@/components/StatusBadge";
import { allParams, firstParam } from "@/lib/format";
import { tryGql } from "@/lib/graphql";
import { EXPERIMENTS_QUERY, METRIC_LABELS } from "./queries";

export const metadata: Metadata = { title: "Experiments" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;

const experimentsHref = (position: PagePosition): string => {
  const query = appendPagePosition(new URLSearchParams(), position).toString();
  return query ? `/experiments?${query}` : "/experiments";
};

export default async function ExperimentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const position = { after: firstParam(params.after) || undefined, prev: allParams(params.prev) };
  const answer = await tryGql(EXPERIMENTS_QUERY, { first: PAGE_SIZE, after: position.after ?? null });
  return (
    <>
      <div className="page-header">
        <h1>Experiments</h1>
        <span className="muted">
          Online A/B tests of model versions on real shoppers: users are split by a stable hash, exposures and
          attributed events are logged, results come with intervals, an SRM check and an always-valid test.
        </span>
      </div>
      {!answer.ok ? (
        <ErrorBox error={answer.error} />
      ) : answer.data.experiments.totalCount === 0 ? (
        <div className="empty" data-testid="experiments-empty">
          <p>
            <strong>No experiments yet.</strong> Create one with the{" "}
            <code className="code">createExperiment</code> mutation: a model name, two or more of its versions
            with traffic shares (one the control) and a primary metric. Start it, and{" "}
            <code className="code">recommend</code> answers each user with their variant.
          </p>
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="experiments-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Model</th>
                  <th>Status</th>
                  <th>Variants</th>
                  <th>Primary metric</th>
                  <th>Decision test</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody>
                {answer.data.experiments.edges.map(({ node: experiment }) => (
                  <tr key={experiment.id}>
                    <td>
                      <Link href={`/experiments/${experiment.id}`}>{experiment.name}</Link>
                    </td>
                    <td className="mono">{experiment.modelName}</td>
                    <td>
                      <StatusBadge status={experiment.status} />
                    </td>
                    <td>
                      {experiment.variants
                        .map(
                          (v) =>
                            `${v.key}${v.isControl ? " (control)" : ""} v${v.modelVersion ?? "?"} ${Math.round(v.share * 100)}%`,
                        )
                        .join(" · ")}
                    </td>
                    <td>{METRIC_LABELS[experiment.primaryMetric]}</td>
                    <td>{experiment.sequential ? "always-valid (mSPRT)" : "fixed horizon"}</td>
                    <td className="nowrap">
                      {experiment.startedAt ? experiment.startedAt.slice(0, 16).replace("T", " ") : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...pagerLinks(experimentsHref, position, answer.data.experiments.pageInfo)} />
        </>
      )}
    </>
  );
}
