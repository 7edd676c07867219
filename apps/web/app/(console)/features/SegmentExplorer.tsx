"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { EXPORT_AUDIENCE, SEGMENT_SET_QUERY, type SegmentSetDetail, segmentMetrics } from "./queries";
import { SegmentScatter, segmentColour } from "./SegmentScatter";

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const money = (value: number) => value.toLocaleString("en", { maximumFractionDigits: 2 });

export function SegmentExplorer({ segmentSetId }: { segmentSetId: string }) {
  const [set, setSet] = useState<SegmentSetDetail | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [exported, setExported] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    try {
      const data = await clientGql(SEGMENT_SET_QUERY, {
        id: segmentSetId,
      });
      setSet(data.segmentSet);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }, [segmentSetId]);
  useEffect(() => {
    void load();
  }, [load]);

  const exportAudience = async (segmentId: string) => {
    try {
      const data = await clientGql(EXPORT_AUDIENCE, {
        id: segmentId,
      });
      setExported((current) => ({ ...current, [segmentId]: data.exportSegmentAudience.status }));
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  if (error) return <ErrorBox error={error} />;
  if (!set) return <p className="muted">Loading the segment set...</p>;
  return (
    <section className="panel" aria-label="Segment explorer" data-testid="segment-explorer">
      <h2>
        Segment explorer: {set.segments.length} segments of {set.profileSet.userCount.toLocaleString("en")}{" "}
        users ({set.algorithm}
        {typeof segmentMetrics(set.metrics).silhouette === "number"
          ? `, silhouette ${segmentMetrics(set.metrics).silhouette?.toFixed(3)}`
          : ""}
        )
      </h2>
      <SegmentScatter set={set} />
      <div className="table-wrap">
        <table className="table" aria-label="Segments">
          <thead>
            <tr>
              <th>Segment</th>
              <th>Users</th>
              <th>Top categories</th>
              <th>Price bands</th>
              <th>Recency (median days)</th>
              <th>Orders (mean)</th>
              <th>Spend (mean)</th>
              <th>Audience</th>
            </tr>
          </thead>
          <tbody>
            {set.segments.map((segment) => (
              <tr key={segment.id} data-testid="segment-row">
                <td>
                  <span aria-hidden="true" style={{ color: segmentColour(segment.index) }}>
                    ●{" "}
                  </span>
                  <span data-testid="segment-name">{segment.name}</span>
                </td>
                <td>
                  {segment.size.toLocaleString("en")} ({percent(segment.share)})
                </td>
                <td>{segment.topCategories.map((c) => `${c.name} ${percent(c.share)}`).join(", ")}</td>
                <td>{segment.priceBands.map((b) => `${b.name} ${percent(b.share)}`).join(", ")}</td>
                <td>{segment.rfm.recencyDaysMedian.toFixed(1)}</td>
                <td>{segment.rfm.frequencyMean.toFixed(1)}</td>
                <td>{money(segment.rfm.monetaryMean)}</td>
                <td>
                  {exported[segment.id] ? (
                    <span className="muted">export {exported[segment.id]!.toLowerCase()}</span>
                  ) : (
                    <button
                      className="button small"
                      type="button"
                      onClick={() => void exportAudience(segment.id)}
                    >
                      Export
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
