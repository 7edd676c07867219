import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ErrorBox } from "@/components/ErrorBox";
import { StatusBadge } from "@/components/StatusBadge";
import { formatCount, formatTime } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import type { VersionProfileQuery } from "@/lib/generated/gql/graphql";
import { tryGql } from "@/lib/graphql";
import { ColumnRolesEditor } from "./ColumnRolesEditor";
import { formatMeasure } from "./format-measure";
import { PiiTagsPanel } from "./PiiTagsPanel";
import { ColumnHistogram, TopValuesChart } from "./ProfileCharts";
import { RejectedRowsTable } from "./RejectedRowsTable";
import { ReprofileButton } from "./ReprofileButton";
import { RowsPreview } from "./RowsPreview";
import { SuggestedRules } from "./SuggestedRules";

export const metadata: Metadata = { title: "Version profile" };

const SUGGESTIONS_QUERY = graphql(`
  query SuggestedRules($id: ID!) {
    suggestedQualityRules(versionId: $id) { name type params severity reason }
  }
`);
export const dynamic = "force-dynamic";

const VERSION_QUERY = graphql(`
  query VersionProfile($id: ID!, $datasetId: ID!) {
    viewer { role }
    columnRoles
    dataset(id: $datasetId) { id name }
    datasetVersion(id: $id) {
      id
      datasetId
      number
      status
      rowCount
      rejectedCount
      readyAt
      columns { name type role }
      profile {
        rowCount
        computedAt
        seconds
        columns {
          name type nullFraction nullCount distinctCount min max mean stddev
          quantiles { p value }
          histogram { ...HistogramBinFields }
          topValues { ...ValueCountFields }
          minLength maxLength meanLength
        }
      }
      schemaDiff {
        previousVersionNumber
        added { name type nullable role }
        removed { name type nullable role }
        changed { name fromType toType }
      }
      piiMasked
      erasures { erasureRequestId rowsRemoved columns at }
      piiTags { ...PiiTagFields }
      rejectedRows(first: 50) { ...RejectedRowsPageFields }
    }
  }
`);

type TVersion = NonNullable<VersionProfileQuery["datasetVersion"]>;
type ColumnProfile = NonNullable<TVersion["profile"]>["columns"][number];
type SchemaDiff = TVersion["schemaDiff"];

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

/** Mean, stddev and quantiles of timestamps come in epoch seconds: show them as dates and durations. */
function measure(value: number | null, column: ColumnProfile, spread = false): string {
  if (value === null) return "—";
  if (column.type !== "timestamp") return decimal.format(value);
  return spread ? `${decimal.format(value / 86_400)} days` : formatMeasure(value, "timestamp");
}

function StatsTable({ columns }: { columns: ColumnProfile[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="profile-stats">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th className="num">Null</th>
            <th className="num">Distinct</th>
            <th>Min</th>
            <th>Max</th>
            <th className="num">Mean</th>
            <th className="num">Std dev</th>
            <th className="num">Median</th>
            <th className="num">Length (min/mean/max)</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => (
            <tr key={column.name}>
              <td className="mono">{column.name}</td>
              <td>{column.type}</td>
              <td className="num">{percent.format(column.nullFraction)}</td>
              <td className="num">{formatCount(column.distinctCount)}</td>
              <td className="mono">{column.min ?? "—"}</td>
              <td className="mono">{column.max ?? "—"}</td>
              <td className="num">{measure(column.mean, column)}</td>
              <td className="num">{measure(column.stddev, column, true)}</td>
              <td className="num">
                {measure(column.quantiles.find((q) => q.p === 0.5)?.value ?? null, column)}
              </td>
              <td className="num">
                {column.minLength === null
                  ? "—"
                  : `${column.minLength} / ${decimal.format(column.meanLength ?? 0)} / ${column.maxLength}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SchemaDiffPanel({ diff }: { diff: SchemaDiff | null }) {
  if (!diff) return <p className="empty">First version: nothing to compare with.</p>;
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <div data-testid="schema-diff">
      <p className="muted">Compared with v{diff.previousVersionNumber}.</p>
      {none ? <p className="empty">Same columns and types.</p> : null}
      <ul>
        {diff.added.map((c) => (
          <li key={`+${c.name}`}>
            <strong>added</strong> <span className="mono">{c.name}</span> ({c.type})
          </li>
        ))}
        {diff.removed.map((c) => (
          <li key={`-${c.name}`}>
            <strong>removed</strong> <span className="mono">{c.name}</span> ({c.type})
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`~${c.name}`}>
            <strong>retyped</strong> <span className="mono">{c.name}</span>: {c.fromType} → {c.toType}
          </li>
        ))}
      </ul>
    </div>
  );
}

export default async function VersionProfilePage({
  params,
}: {
  params: Promise<{ id: string; versionId: string }>;
}) {
  const { id, versionId } = await params;
  const datasetId = decodeURIComponent(id);
  const result = await tryGql(VERSION_QUERY, { id: decodeURIComponent(versionId), datasetId });
  if (!result.ok) {
    return (
      <>
        <p className="breadcrumb">
          <Link href="/datasets">Datasets</Link> /
        </p>
        <ErrorBox error={result.error} />
      </>
    );
  }
  const { dataset, datasetVersion: version } = result.data;
  if (!dataset || !version || version.datasetId !== dataset.id) notFound();
  const profile = version.profile;
  const canEdit = result.data.viewer.role === "ADMIN" || result.data.viewer.role === "STEWARD";
  const suggestions = profile ? await tryGql(SUGGESTIONS_QUERY, { id: version.id }) : null;

  return (
    <>
      <p className="breadcrumb">
        <Link href="/datasets">Datasets</Link> / <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>{" "}
        / v{version.number}
      </p>
      <div className="page-header">
        <h1>
          {dataset.name} v{version.number}
        </h1>
        <StatusBadge status={version.status} />
      </div>

      <section className="panel">
        <h2>Columns and roles</h2>
        <p className="muted">
          Roles tell the pipeline which column is the item id, the user id, the title, the price… They were
          inferred on import; change them here without re-importing.
        </p>
        <ColumnRolesEditor
          versionId={version.id}
          columns={version.columns}
          roles={result.data.columnRoles}
          canEdit={canEdit}
        />
      </section>

      {version.erasures.length > 0 ? (
        <p className="notice" role="status" data-testid="version-erasures">
          Erasure (the one exception to immutability):{" "}
          {version.erasures
            .map(
              (e) =>
                `${e.rowsRemoved} row(s) removed ${formatTime(e.at)} (request ${e.erasureRequestId.slice(0, 8)})`,
            )
            .join("; ")}
          .
        </p>
      ) : null}

      {version.status === "READY" ? (
        <section className="panel">
          <h2>Rows</h2>
          <RowsPreview versionId={version.id} columns={version.columns.map((column) => column.name)} />
        </section>
      ) : null}

      {suggestions && canEdit ? (
        <section className="panel">
          <h2>Suggested quality rules</h2>
          {suggestions.ok ? (
            <SuggestedRules versionId={version.id} initial={suggestions.data.suggestedQualityRules} />
          ) : (
            <ErrorBox error={suggestions.error} />
          )}
        </section>
      ) : null}

      <section className="panel">
        <h2>Profile</h2>
        {profile ? (
          <p className="muted">
            {formatCount(profile.rowCount)} rows · computed {formatTime(profile.computedAt)} in{" "}
            {decimal.format(profile.seconds)} s <ReprofileButton versionId={version.id} />
          </p>
        ) : (
          <p className="empty">
            {version.status === "READY" ? "Not profiled yet." : `The version is ${version.status}.`}{" "}
            {version.status === "READY" ? <ReprofileButton versionId={version.id} /> : null}
          </p>
        )}
        {profile ? <StatsTable columns={profile.columns} /> : null}
      </section>

      {profile ? (
        <section
          className="panel"
          style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(360px, 1fr))", gap: 16 }}
        >
          {profile.columns.map((column) => (
            <div key={column.name} data-testid={`column-profile-${column.name}`}>
              <h3 className="mono">
                {column.name} <span className="muted">({column.type})</span>
              </h3>
              {column.histogram.length > 0 ? (
                <ColumnHistogram column={column.name} type={column.type} bins={column.histogram} />
              ) : null}
              {column.topValues.length > 0 ? (
                <TopValuesChart column={column.name} values={column.topValues} />
              ) : null}
            </div>
          ))}
        </section>
      ) : null}

      <section className="panel">
        <h2>Personal data</h2>
        <PiiTagsPanel
          versionId={version.id}
          tags={version.piiTags}
          canDecide={!version.piiMasked}
          masked={version.piiMasked}
        />
      </section>

      <section className="panel">
        <h2>Schema changes</h2>
        <SchemaDiffPanel diff={version.schemaDiff} />
      </section>

      <section className="panel">
        <h2>Rejected rows ({formatCount(version.rejectedCount)})</h2>
        <RejectedRowsTable
          versionId={version.id}
          initial={version.rejectedRows}
          downloadHref={`/api/versions/${version.id}/rejects`}
        />
      </section>
    </>
  );
}
