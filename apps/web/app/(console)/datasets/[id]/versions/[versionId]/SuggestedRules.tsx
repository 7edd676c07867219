"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import type { SuggestedRulesQuery } from "@/lib/generated/gql/graphql";

const ACCEPT = graphql(`
  mutation AcceptSuggestedRules($versionId: ID!, $names: [String!]!) {
    acceptSuggestedQualityRules(versionId: $versionId, names: $names) { id name }
  }
`);

type TSuggestedRule = SuggestedRulesQuery["suggestedQualityRules"][number];

/** Rules proposed from the profile; one click adds one, another adds them all. */
export function SuggestedRules({ versionId, initial }: { versionId: string; initial: TSuggestedRule[] }) {
  const router = useRouter();
  const [rules, setRules] = useState(initial);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function accept(names: string[]) {
    setPending(names.length === 1 ? (names[0] ?? null) : "*");
    setError(null);
    try {
      await clientGql(ACCEPT, { versionId, names });
      setRules((current) => current.filter((rule) => !names.includes(rule.name)));
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(null);
    }
  }

  if (rules.length === 0) {
    return (
      <p className="empty">No suggestions left: the dataset already has every rule its profile suggests.</p>
    );
  }
  return (
    <div data-testid="suggested-rules">
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Type</th>
              <th>Parameters</th>
              <th>Severity</th>
              <th>Why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.name}>
                <td>{rule.name}</td>
                <td className="mono">{rule.type}</td>
                <td className="mono wrap">{JSON.stringify(rule.params)}</td>
                <td>{rule.severity}</td>
                <td className="muted">{rule.reason}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    disabled={pending !== null}
                    onClick={() => accept([rule.name])}
                  >
                    {pending === rule.name ? "Adding…" : "Accept"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="toolbar">
        <button
          type="button"
          className="button"
          disabled={pending !== null}
          onClick={() => accept(rules.map((rule) => rule.name))}
        >
          {pending === "*" ? "Adding…" : `Accept all ${rules.length}`}
        </button>
      </p>
      {error ? <ErrorBox error={error} title="The rule was not added" /> : null}
    </div>
  );
}
