"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import { graphql } from "@/lib/generated/gql";
import {
  type ApiKeyFieldsFragment as ApiKey,
  type CreateApiKeyMutation,
  Role,
} from "@/lib/generated/gql/graphql";

export const ApiKeyFieldsFragmentDoc = graphql(`
  fragment ApiKeyFields on ApiKey {
    id name prefix role createdAt lastUsedAt revokedAt
  }
`);

const CREATE_KEY = graphql(`
  mutation CreateApiKey($name: String!, $role: Role!) {
    createApiKey(name: $name, role: $role) {
      key
      apiKey { ...ApiKeyFields }
    }
  }
`);

const REVOKE_KEY = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ...ApiKeyFields }
  }
`);

export function ApiKeysPanel({ keys, total }: { keys: ApiKey[]; total: number }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("VIEWER");
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreateApiKeyMutation["createApiKey"] | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setCreated(null);
    setCopied(false);
    try {
      const data = await clientGql(CREATE_KEY, { name: name.trim(), role });
      setCreated(data.createApiKey);
      setName("");
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  async function onRevoke(key: ApiKey) {
    if (!window.confirm(`Revoke the key "${key.name}" (${key.prefix}…)? It stops working at once.`)) return;
    setRevoking(key.id);
    setError(null);
    try {
      await clientGql(REVOKE_KEY, { id: key.id });
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setRevoking(null);
    }
  }

  async function copySecret() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <>
      <form className="toolbar" onSubmit={onCreate} aria-label="Create API key">
        <input
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Key name, e.g. shop-backend"
          aria-label="Key name"
          required
          maxLength={120}
        />
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="Role">
          {Object.values(Role).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary" disabled={pending || name.trim() === ""}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>

      {created ? (
        <div className="secret-box" role="status" data-testid="created-secret">
          <strong>
            Key “{created.apiKey.name}” created ({created.apiKey.role}). Copy the secret now — it is shown
            only once.
          </strong>
          <div className="secret-row">
            <code className="secret">{created.key}</code>
            <button type="button" className="button small" onClick={copySecret}>
              {copied ? "Copied" : "Copy"}
            </button>
            <button type="button" className="button small" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}

      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}

      <div className="table-wrap">
        <table className="table" data-testid="keys-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Role</th>
              <th>Created</th>
              <th>Last used</th>
              <th>State</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} className={key.revokedAt ? "revoked" : undefined}>
                <td className="strong">{key.name}</td>
                <td className="mono">{key.prefix}…</td>
                <td>
                  <span className={`role role-${key.role.toLowerCase()}`}>{key.role}</span>
                </td>
                <td className="nowrap">{formatTime(key.createdAt)}</td>
                <td className="nowrap">{formatTime(key.lastUsedAt)}</td>
                <td>
                  {key.revokedAt ? (
                    <span title={formatTime(key.revokedAt)}>
                      <StatusBadge status="REVOKED" />
                    </span>
                  ) : (
                    <StatusBadge status="ACTIVE" />
                  )}
                </td>
                <td>
                  {key.revokedAt ? null : (
                    <button
                      type="button"
                      className="button small danger"
                      onClick={() => onRevoke(key)}
                      disabled={revoking === key.id}
                    >
                      {revoking === key.id ? "Revoking…" : "Revoke"}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > keys.length ? (
        <p className="muted">
          Showing {keys.length} of {total} keys.
        </p>
      ) : null}
    </>
  );
}
