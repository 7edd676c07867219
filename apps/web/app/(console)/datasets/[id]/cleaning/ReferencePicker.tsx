"use client";

import { useEffect, useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import type { ReferenceDatasetsQuery } from "@/lib/generated/gql/graphql";

const DATASETS = graphql(`
  query ReferenceDatasets {
    datasets(first: 200) { edges { node { id name latestVersion { columns { name type } } } } }
  }
`);

type TDatasetNode = ReferenceDatasetsQuery["datasets"]["edges"][number]["node"];
/** A dataset with the columns of its latest version, flattened for the picker. */
type TReference = Pick<TDatasetNode, "id" | "name"> & {
  columns: NonNullable<TDatasetNode["latestVersion"]>["columns"];
};

type Props = {
  datasetId: string;
  refDatasetId: string;
  refColumn: string;
  onChange: (next: { refDatasetId: string; refColumn: string }) => void;
};

/** Picks another dataset and one of its columns (for the match_dataset step), from the catalogue. */
export function ReferencePicker({ datasetId, refDatasetId, refColumn, onChange }: Props) {
  const [datasets, setDatasets] = useState<TReference[] | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  useEffect(() => {
    clientGql(DATASETS)
      .then((data) =>
        setDatasets(
          data.datasets.edges
            .map(({ node }) => ({ id: node.id, name: node.name, columns: node.latestVersion?.columns ?? [] }))
            .filter((node) => node.id !== datasetId && node.columns.length > 0),
        ),
      )
      .catch((e) => setError(toErrorInfo(e)));
  }, [datasetId]);

  if (error) return <span className="error-text">{error.message}</span>;
  if (!datasets) return <span className="muted">Loading datasets…</span>;
  if (datasets.length === 0) return <span className="muted">No other dataset with a READY version.</span>;
  const selected = datasets.find((dataset) => dataset.id === refDatasetId);
  return (
    <>
      <select
        aria-label="Other dataset"
        value={refDatasetId}
        onChange={(e) => {
          const next = datasets.find((dataset) => dataset.id === e.target.value);
          onChange({ refDatasetId: e.target.value, refColumn: next?.columns[0]?.name ?? "" });
        }}
      >
        <option value="">other dataset…</option>
        {datasets.map((dataset) => (
          <option key={dataset.id} value={dataset.id}>
            {dataset.name}
          </option>
        ))}
      </select>
      {selected ? (
        <select
          aria-label="Other column"
          value={refColumn}
          onChange={(e) => onChange({ refDatasetId, refColumn: e.target.value })}
        >
          {selected.columns.map((column) => (
            <option key={column.name} value={column.name}>
              {column.name} ({column.type})
            </option>
          ))}
        </select>
      ) : null}
    </>
  );
}
