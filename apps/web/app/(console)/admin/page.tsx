import type { Metadata } from "next";
import { ErrorBox, ForbiddenBox } from "@/components/ErrorBox";
import { formatTime } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import { tryGql } from "@/lib/graphql";
import { ApiKeysPanel } from "./ApiKeysPanel";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const KEYS_QUERY = graphql(`
  query AdminKeys {
    apiKeys(first: 100, includeRevoked: true) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          prefix
          role
          createdAt
          lastUsedAt
          revokedAt
        }
      }
    }
  }
`);

const AUDIT_QUERY = graphql(`
  query AdminAudit {
    auditEvents(first: 50) {
      totalCount
      edges {
        cursor
        node {
          id
          at
          actorKeyId
          action
          targetType
          targetId
          details
        }
      }
    }
  }
`);

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return "";
  const text = typeof details === "string" ? details : JSON.stringify(details);
  return text === "{}" ? "" : text;
}

export default async function AdminPage() {
  const [keys, audit] = await Promise.all([tryGql(KEYS_QUERY), tryGql(AUDIT_QUERY)]);

  const forbidden =
    (!keys.ok && keys.error.code === "FORBIDDEN") || (!audit.ok && audit.error.code === "FORBIDDEN");
  if (forbidden) {
    const error = !keys.ok ? keys.error : !audit.ok ? audit.error : undefined;
    return (
      <>
        <div className="page-header">
          <h1>Admin</h1>
        </div>
        <ForbiddenBox requiredRole="ADMIN" error={error} />
      </>
    );
  }

  return (
    <>
      <div className="page-header">
        <h1>Admin</h1>
      </div>

      <section className="panel">
        <h2>API keys</h2>
        {keys.ok ? (
          <ApiKeysPanel
            keys={keys.data.apiKeys.edges.map((e) => e.node)}
            total={keys.data.apiKeys.totalCount}
          />
        ) : (
          <ErrorBox error={keys.error} />
        )}
      </section>

      <section className="panel">
        <h2>Latest audit events</h2>
        {!audit.ok ? (
          <ErrorBox error={audit.error} />
        ) : audit.data.auditEvents.edges.length === 0 ? (
          <p className="empty">No audit events yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table compact" data-testid="audit-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Actor key</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.auditEvents.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td className="nowrap">{formatTime(node.at)}</td>
                    <td className="mono">{node.actorKeyId ?? <span className="muted">system</span>}</td>
                    <td>
                      <span className="tag">{node.action}</span>
                    </td>
                    <td>
                      {node.targetType} <span className="mono muted">{node.targetId}</span>
                    </td>
                    <td className="mono details-cell" title={detailsText(node.details)}>
                      {detailsText(node.details)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
