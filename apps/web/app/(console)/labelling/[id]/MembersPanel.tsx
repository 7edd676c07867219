"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import {
  ADD_MEMBER_MUTATION,
  type LabellerCandidate,
  type LabelProjectMember,
  REMOVE_MEMBER_MUTATION,
} from "../queries";

/**
 * Who may label this project. Labellers see only the projects they are members of; stewards and admins
 * see every project and need no membership.
 */
export function MembersPanel({
  projectId,
  members,
  candidates,
}: {
  projectId: string;
  members: LabelProjectMember[];
  candidates: LabellerCandidate[];
}) {
  const router = useRouter();
  const [keyId, setKeyId] = useState("");
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const chosen = candidates.some((candidate) => candidate.keyId === keyId) ? keyId : "";

  async function run(what: string, work: () => Promise<unknown>) {
    setPending(what);
    setError(null);
    try {
      await work();
      setKeyId("");
      router.refresh();
    } catch (e) {
      const info = toErrorInfo(e);
      if (what === "add" && info.code === "NOT_FOUND") {
        // The key was revoked (or the project deleted) since the page loaded: say so, and reload the list.
        setError({
          code: info.code,
          message: "That key was revoked since this page loaded; the list is now up to date.",
        });
        router.refresh();
      } else {
        setError(info);
      }
    } finally {
      setPending(null);
    }
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!chosen) return;
    void run("add", () => clientGql(ADD_MEMBER_MUTATION, { projectId, keyId: chosen }));
  }

  return (
    <div className="panel" data-testid="members-panel">
      {members.length === 0 ? (
        <p className="empty muted" data-testid="no-members">
          No labellers are members yet, so no labeller sees this project. Add them below.
        </p>
      ) : (
        <table className="table" data-testid="members">
          <thead>
            <tr>
              <th>Labeller</th>
              <th>Member since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.labeller.userId} data-testid="member-row">
                <td>{member.labeller.name}</td>
                <td className="nowrap">{formatTime(member.addedAt)}</td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="button small"
                    disabled={pending !== null}
                    aria-label={`Remove ${member.labeller.name}`}
                    onClick={() =>
                      run(`remove:${member.labeller.userId}`, () =>
                        clientGql(REMOVE_MEMBER_MUTATION, { projectId, labellerId: member.labeller.userId }),
                      )
                    }
                  >
                    {pending === `remove:${member.labeller.userId}` ? "Removing…" : "Remove"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {candidates.length === 0 ? (
        <p className="muted" data-testid="no-candidates">
          Every active labeller key is a member already. An admin creates labeller keys on the Admin page.
        </p>
      ) : (
        <form className="toolbar members-add" onSubmit={add} aria-label="Add member">
          <label htmlFor="member-key">Labeller</label>
          <select id="member-key" value={chosen} onChange={(e) => setKeyId(e.target.value)}>
            <option value="">Choose a labeller key…</option>
            {candidates.map((candidate) => (
              <option key={candidate.keyId} value={candidate.keyId}>
                {candidate.name} ({candidate.keyPrefix}…)
              </option>
            ))}
          </select>
          <button type="submit" className="button primary" disabled={!chosen || pending !== null}>
            {pending === "add" ? "Adding…" : "Add member"}
          </button>
        </form>
      )}
      <p className="muted">Stewards and admins see every project and need no membership.</p>
      {error ? <ErrorBox error={error} title="The membership did not change" /> : null}
    </div>
  );
}
