"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import {
  type DecidePiiTagInput,
  MaskingMode,
  type PiiTagFieldsFragment as PiiTag,
} from "@/lib/generated/gql/graphql";

export const PiiTagFieldsFragmentDoc = graphql(`
  fragment PiiTagFields on PiiTag {
    id column piiType confidence source status maskingMode valueShare inheritedFromVersionId
  }
`);

const DECIDE = graphql(`
  mutation DecidePiiTag($input: DecidePiiTagInput!) {
    decidePiiTag(input: $input) { id status maskingMode }
  }
`);

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

/**
 * The PII tags of a version's columns: a badge per kind with its confidence and source; stewards confirm
 * (choosing the masking mode) or reject, and the decision applies to the column in every version.
 */
export function PiiTagsPanel({
  versionId,
  tags,
  canDecide,
  masked,
}: {
  versionId: string;
  tags: PiiTag[];
  canDecide: boolean;
  masked: boolean;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [modes, setModes] = useState<Record<string, MaskingMode>>({});
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function decide(tag: PiiTag, status: DecidePiiTagInput["status"]) {
    setPending(tag.id);
    setError(null);
    try {
      const maskingMode = status === "CONFIRMED" ? (modes[tag.id] ?? tag.maskingMode) : undefined;
      await clientGql(DECIDE, {
        input: { versionId, column: tag.column, piiType: tag.piiType, status, maskingMode },
      });
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(null);
    }
  }

  if (tags.length === 0) return <p className="empty">No personal data found in this version's columns.</p>;
  return (
    <div data-testid="pii-tags">
      <p className="muted">
        {masked
          ? "Values of tagged columns are masked for you (your role lacks pii:read)."
          : "You see values as stored; roles without pii:read see tagged columns masked."}
      </p>
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th>Column</th>
              <th>Personal data</th>
              <th className="num">Confidence</th>
              <th>Source</th>
              <th>Status</th>
              <th>Masking</th>
              {canDecide ? <th>Decision</th> : null}
            </tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <tr key={tag.id} data-testid={`pii-tag-${tag.column}`}>
                <td className="mono">{tag.column}</td>
                <td>
                  <span className={`pii-badge pii-${tag.status.toLowerCase()}`}>
                    {tag.piiType.replace("_", " ")}
                  </span>
                </td>
                <td className="num">{percent.format(tag.confidence)}</td>
                <td>{tag.source.toLowerCase()}</td>
                <td>{tag.status.toLowerCase()}</td>
                <td>
                  {canDecide ? (
                    <select
                      aria-label={`Masking mode of ${tag.column}`}
                      value={modes[tag.id] ?? tag.maskingMode}
                      onChange={(e) => setModes({ ...modes, [tag.id]: e.target.value as MaskingMode })}
                    >
                      {Object.values(MaskingMode).map((mode) => (
                        <option key={mode} value={mode}>
                          {mode.toLowerCase()}
                        </option>
                      ))}
                    </select>
                  ) : (
                    tag.maskingMode.toLowerCase()
                  )}
                </td>
                {canDecide ? (
                  <td>
                    <button
                      type="button"
                      className="button small"
                      disabled={pending === tag.id}
                      onClick={() => decide(tag, "CONFIRMED")}
                    >
                      Confirm
                    </button>{" "}
                    <button
                      type="button"
                      className="button small secondary"
                      disabled={pending === tag.id}
                      onClick={() => decide(tag, "REJECTED")}
                    >
                      Reject
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error ? (
        <p className="error-text">
          {error.code}: {error.message}
        </p>
      ) : null}
    </div>
  );
}
