"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import type { ColumnRole, VersionProfileQuery } from "@/lib/generated/gql/graphql";

const UPDATE_ROLES = graphql(`
  mutation UpdateColumnRoles($input: UpdateColumnRolesInput!) {
    updateColumnRoles(input: $input) { id columns { name role } }
  }
`);

type TColumn = NonNullable<VersionProfileQuery["datasetVersion"]>["columns"][number];
/** A column's role in the draft; "" while it has none. */
type TDraftRole = ColumnRole | "";

/** The version's columns with a role picker each; Save sends only the changed roles (audited by the API). */
export function ColumnRolesEditor({
  versionId,
  columns,
  roles,
  canEdit,
}: {
  versionId: string;
  columns: TColumn[];
  roles: ColumnRole[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<Record<string, TDraftRole>>(
    Object.fromEntries(columns.map((column) => [column.name, column.role ?? ""])),
  );
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const changed = columns.filter((column) => (column.role ?? "") !== draft[column.name]);

  function choose(name: string, value: string) {
    const role: TDraftRole = roles.find((known) => known === value) ?? "";
    setSaved(false);
    // A role binds one column: picking it here takes it from the column that had it.
    setDraft((current) =>
      Object.fromEntries(
        Object.entries(current).map(([column, held]) => [
          column,
          column === name ? role : role !== "" && held === role ? "" : held,
        ]),
      ),
    );
  }

  async function onSave() {
    setPending(true);
    setError(null);
    try {
      await clientGql(UPDATE_ROLES, {
        input: {
          versionId,
          roles: changed.map((column) => ({ column: column.name, role: draft[column.name] || null })),
        },
      });
      setSaved(true);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <div data-testid="column-roles">
      <div className="table-wrap">
        <table className="table compact">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => (
              <tr key={column.name}>
                <td className="mono">{column.name}</td>
                <td>{column.type}</td>
                <td>
                  {canEdit ? (
                    <select
                      aria-label={`Role of ${column.name}`}
                      value={draft[column.name] ?? ""}
                      onChange={(e) => choose(column.name, e.target.value)}
                    >
                      <option value="">(none)</option>
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    (column.role ?? <span className="muted">none</span>)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canEdit ? (
        <p className="toolbar">
          <button
            type="button"
            className="button"
            onClick={onSave}
            disabled={pending || changed.length === 0}
          >
            {pending ? "Saving…" : `Save roles${changed.length > 0 ? ` (${changed.length} changed)` : ""}`}
          </button>
          {saved ? <span className="muted">Saved. Jobs started from now on read the new roles.</span> : null}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} title="The roles were not saved" /> : null}
    </div>
  );
}
