import type { Metadata } from "next";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { ErasurePanel } from "./ErasurePanel";
import { ERASURE_QUERY, POLICY_QUERY, RETENTION_QUERY } from "./queries";
import { RetentionPanel } from "./RetentionPanel";

export const metadata: Metadata = { title: "Privacy" };
export const dynamic = "force-dynamic";

const MODE_TEXT: Record<string, string> = {
  REDACT: "replaced by [redacted]",
  PARTIAL: "partly shown (j***@example.com, **** 1234)",
  HASH: "keyed pseudonym (pii_…)",
};

export default async function PrivacyPage() {
  const [policy, erasures, retention] = await Promise.all([
    tryGql(POLICY_QUERY),
    tryGql(ERASURE_QUERY),
    tryGql(RETENTION_QUERY),
  ]);
  return (
    <>
      <div className="page-header">
        <h1>Privacy</h1>
      </div>

      <section className="panel">
        <h2>Masking policy</h2>
        <p className="muted">
          Roles without <span className="mono">pii:read</span> (viewers, labellers, API clients) see the
          values of tagged columns masked everywhere: profiles, previews and downloads, rejects, quality
          samples, label tasks, exports, search and recommendations. Stewards confirm or reject tags and
          choose the mode per column on a version's page.
        </p>
        {!policy.ok ? (
          <ErrorBox error={policy.error} />
        ) : (
          <div className="table-wrap">
            <table className="table compact" data-testid="masking-policy">
              <thead>
                <tr>
                  <th>Personal data</th>
                  <th>Default mode</th>
                  <th className="num">Tagged columns</th>
                  <th className="num">Confirmed</th>
                  <th className="num">Rejected</th>
                  <th>Modes in use</th>
                </tr>
              </thead>
              <tbody>
                {policy.data.maskingPolicy.map((entry) => (
                  <tr key={entry.piiType}>
                    <td>
                      <span className="pii-badge pii-confirmed">{entry.piiType.replace("_", " ")}</span>
                    </td>
                    <td>
                      <span className="tag">{entry.defaultMode}</span>{" "}
                      <span className="muted">{MODE_TEXT[entry.defaultMode]}</span>
                    </td>
                    <td className="num">{entry.taggedColumns}</td>
                    <td className="num">{entry.confirmed}</td>
                    <td className="num">{entry.rejected}</td>
                    <td>
                      {entry.modes.length === 0
                        ? "–"
                        : entry.modes.map((m) => `${m.mode} ${m.count}`).join(", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel">
        <h2>Erasure requests</h2>
        {erasures.ok ? (
          <ErasurePanel requests={erasures.data.erasureRequests} />
        ) : erasures.error.code === "FORBIDDEN" ? (
          <p className="empty">Only admins erase people (pii:erase).</p>
        ) : (
          <ErrorBox error={erasures.error} />
        )}
      </section>

      <section className="panel">
        <h2>Retention</h2>
        {retention.ok ? (
          <RetentionPanel
            datasets={retention.data.datasets.edges.map(({ node }) => node)}
            runs={retention.data.retentionRuns}
          />
        ) : retention.error.code === "FORBIDDEN" ? (
          <p className="empty">Stewards and admins set retention (pii:manage).</p>
        ) : (
          <ErrorBox error={retention.error} />
        )}
      </section>
    </>
  );
}
