import type { Metadata } from "next";
import { Suspense } from "react";
import { tryGql } from "@/lib/graphql";
import { LineageExplorer, type PickerVersion } from "./LineageExplorer";
import { PICKER_DATASETS, VERSION_PICKER_QUERY } from "./queries";

export const metadata: Metadata = { title: "Lineage" };
export const dynamic = "force-dynamic";

export default async function LineagePage() {
  const result = await tryGql(VERSION_PICKER_QUERY, { first: PICKER_DATASETS });
  const versions: PickerVersion[] = result.ok
    ? result.data.datasets.edges.flatMap(({ node }) =>
        node.versions.map((version) => ({
          id: version.id,
          datasetName: node.name,
          label: `${node.name} v${version.number} (${version.status})`,
        })),
      )
    : [];
  return (
    <>
      <div className="page-header">
        <h1>Lineage</h1>
        {result.ok && result.data.datasets.totalCount > PICKER_DATASETS ? (
          <span className="muted">
            Listing the first {PICKER_DATASETS} datasets; open any other with ?id=&lt;version id&gt;
          </span>
        ) : null}
      </div>
      <Suspense fallback={<p className="empty">Loading lineage…</p>}>
        <LineageExplorer versions={versions} pickerError={result.ok ? null : result.error} />
      </Suspense>
    </>
  );
}
