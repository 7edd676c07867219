"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { nodeLabel } from "./graph-layout";
import { ImpactList } from "./ImpactList";
import { LineageGraphView } from "./LineageGraphView";
import {
  DEFAULT_DEPTH,
  IMPACT_QUERY,
  type ImpactReport,
  LINEAGE_QUERY,
  LineageDirection,
  type LineageGraph,
  type LineageNode,
  MAX_DEPTH,
} from "./queries";

/** The console's own: one option of the version picker, grouped by dataset. */
export type PickerVersion = { id: string; label: string; datasetName: string };

interface Props {
  versions: PickerVersion[];
  pickerError: ApiErrorInfo | null;
}

type Loaded<T> = { key: string; data: T } | { key: string; error: ApiErrorInfo };

function readDirection(value: string | null): LineageDirection {
  return (Object.values(LineageDirection) as readonly string[]).includes(value ?? "")
    ? (value as LineageDirection)
    : "BOTH";
}

function readDepth(value: string | null): number {
  const depth = Number(value ?? DEFAULT_DEPTH);
  return Number.isInteger(depth) && depth >= 1 && depth <= MAX_DEPTH ? depth : DEFAULT_DEPTH;
}

/** Lineage explorer: the URL (?id, ?direction, ?depth) is the state, so every view can be shared. */
export function LineageExplorer({ versions, pickerError }: Props) {
  const router = useRouter();
  const params = useSearchParams();
  const id = params.get("id")?.trim() ?? "";
  const direction = readDirection(params.get("direction"));
  const depth = readDepth(params.get("depth"));
  const graphKey = `${id}|${direction}|${depth}`;

  const [graph, setGraph] = useState<Loaded<LineageGraph> | null>(null);
  const [impact, setImpact] = useState<Loaded<ImpactReport> | null>(null);

  useEffect(() => {
    if (!id) return;
    let current = true;
    clientGql(LINEAGE_QUERY, { id, direction, depth })
      .then((data) => current && setGraph({ key: graphKey, data: data.lineage }))
      .catch((error: unknown) => current && setGraph({ key: graphKey, error: toErrorInfo(error) }));
    return () => {
      current = false;
    };
  }, [id, direction, depth, graphKey]);

  const shown = graph && graph.key === graphKey ? graph : null;
  const start = shown && "data" in shown ? shown.data.nodes.find((node) => node.depth === 0) : undefined;
  const impactVersionId = start?.type === "DATASET_VERSION" ? start.refId : null;

  useEffect(() => {
    if (!impactVersionId) return;
    let current = true;
    clientGql(IMPACT_QUERY, { versionId: impactVersionId })
      .then((data) => current && setImpact({ key: impactVersionId, data: data.impact }))
      .catch((error: unknown) => current && setImpact({ key: impactVersionId, error: toErrorInfo(error) }));
    return () => {
      current = false;
    };
  }, [impactVersionId]);
  const shownImpact = impact && impact.key === impactVersionId ? impact : null;

  function navigate(next: { id?: string; direction?: LineageDirection; depth?: number }, push = false) {
    const sp = new URLSearchParams();
    const nextId = next.id ?? id;
    if (nextId) sp.set("id", nextId);
    sp.set("direction", next.direction ?? direction);
    sp.set("depth", String(next.depth ?? depth));
    // Next's router syncs useSearchParams with the History API, so no server round trip is needed.
    if (push) window.history.pushState(null, "", `/lineage?${sp.toString()}`);
    else window.history.replaceState(null, "", `/lineage?${sp.toString()}`);
  }

  function select(node: LineageNode) {
    if (node.type === "DATASET_VERSION" && node.version) {
      router.push(`/datasets/${encodeURIComponent(node.version.datasetId)}`);
    } else {
      navigate({ id: node.id }, true);
    }
  }

  const known = versions.some((version) => version.id === id);
  const byDataset = new Map<string, PickerVersion[]>();
  for (const version of versions) {
    byDataset.set(version.datasetName, [...(byDataset.get(version.datasetName) ?? []), version]);
  }

  return (
    <>
      <div className="toolbar">
        <label htmlFor="lineage-version" className="toolbar-label">
          Dataset version
        </label>
        <select
          id="lineage-version"
          value={id}
          onChange={(event) => navigate({ id: event.target.value }, true)}
        >
          <option value="">Choose a version…</option>
          {id && !known ? <option value={id}>{start ? start.label : id}</option> : null}
          {[...byDataset.entries()].map(([name, list]) => (
            <optgroup key={name} label={name}>
              {list.map((version) => (
                <option key={version.id} value={version.id}>
                  {version.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <label htmlFor="lineage-direction" className="toolbar-label">
          Direction
        </label>
        <select
          id="lineage-direction"
          value={direction}
          onChange={(event) => navigate({ direction: readDirection(event.target.value) })}
        >
          {Object.values(LineageDirection).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <label htmlFor="lineage-depth" className="toolbar-label">
          Depth
        </label>
        <select
          id="lineage-depth"
          value={depth}
          onChange={(event) => navigate({ depth: readDepth(event.target.value) })}
        >
          {Array.from({ length: MAX_DEPTH }, (_, i) => i + 1).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>

      {pickerError ? <ErrorBox error={pickerError} title="Could not list the dataset versions" /> : null}

      {!id ? (
        <p className="empty">Choose a dataset version to see where it came from and what was made from it.</p>
      ) : !shown ? (
        <p className="empty">Loading lineage…</p>
      ) : "error" in shown ? (
        <ErrorBox error={shown.error} />
      ) : (
        <div
          style={{
            display: "grid",
            gridTemplateColumns: "minmax(0, 1fr) 320px",
            gap: 16,
            alignItems: "start",
          }}
        >
          <section className="panel">
            <h2>
              Lineage of {start ? nodeLabel(start) : id}{" "}
              <span className="muted">
                ({shown.data.nodes.length} nodes, {shown.data.edges.length} edges
                {shown.data.truncated ? ", limit reached: farthest nodes left out" : ""})
              </span>
            </h2>
            <LineageGraphView nodes={shown.data.nodes} edges={shown.data.edges} onSelect={select} />
            <p className="muted">
              Click a dataset version to open its dataset; click any other node to centre the lineage on it.
            </p>
          </section>
          <aside className="panel">
            <h2>Impact</h2>
            {!impactVersionId ? (
              <p className="empty">Impact analysis starts from a dataset version.</p>
            ) : !shownImpact ? (
              <p className="empty">Loading impact…</p>
            ) : "error" in shownImpact ? (
              <ErrorBox error={shownImpact.error} />
            ) : (
              <ImpactList report={shownImpact.data} />
            )}
          </aside>
        </div>
      )}
    </>
  );
}
