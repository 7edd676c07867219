"use client";

import { type FormEvent, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { CREATE_RULE, type QualitySeverity } from "./queries";
import { RULE_FIELDS, RULE_TYPES, toParams } from "./rule-params";

type Props = {
  datasetId: string;
  datasets: { id: string; name: string }[];
  /** The columns of the dataset's newest version, offered for every column field (the API refuses others). */
  columns?: string[];
  onCreated: () => Promise<void>;
};

/** Column fields of the rule types (the timestamp column of freshness included). */
const COLUMN_KEYS = new Set(["column", "columns"]);

/** Add a rule: type select, the type's parameter fields, severity and an optional cron schedule. */
export function RuleForm({ datasetId, datasets, columns = [], onCreated }: Props) {
  const [type, setType] = useState("not_null");
  const [name, setName] = useState("");
  const [severity, setSeverity] = useState<QualitySeverity>("ERROR");
  const [schedule, setSchedule] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const parsed = toParams(type, values);
    if (!parsed.ok) {
      setError({ code: "BAD_USER_INPUT", message: parsed.message });
      return;
    }
    setBusy(true);
    try {
      await clientGql(CREATE_RULE, {
        datasetId,
        input: {
          name: name.trim(),
          type,
          params: parsed.params,
          severity,
          schedule: schedule.trim() || null,
        },
      });
      setName("");
      setValues({});
      await onCreated();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  }

  const fields = RULE_FIELDS[type] ?? [];
  return (
    <form className="form-grid" onSubmit={submit} aria-label="Add quality rule">
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="price present" />
      </label>
      <label>
        Type
        <select
          value={type}
          onChange={(e) => {
            setType(e.target.value);
            setValues({});
          }}
        >
          {RULE_TYPES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      {fields.map((field) => {
        const id = `rule-${type}-${field.key}`;
        const value = values[field.key] ?? "";
        const set = (next: string) => setValues({ ...values, [field.key]: next });
        const choices =
          field.kind === "select"
            ? (field.options ?? []).map((option) => ({ value: option, label: option }))
            : datasets.map((dataset) => ({ value: dataset.id, label: dataset.name }));
        return (
          <div key={id} className="field">
            <label htmlFor={id}>
              {field.label}
              {field.optional ? " (optional)" : ""}
            </label>
            {field.kind === "select" || field.kind === "dataset" ? (
              <select id={id} required={!field.optional} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">choose...</option>
                {choices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                required={!field.optional}
                inputMode={field.kind === "number" ? "decimal" : undefined}
                value={value}
                onChange={(e) => set(e.target.value)}
                title={field.hint}
                placeholder={
                  field.hint ??
                  (COLUMN_KEYS.has(field.key) && columns.length > 0 ? "pick a column" : undefined)
                }
                list={COLUMN_KEYS.has(field.key) && columns.length > 0 ? "rule-columns" : undefined}
              />
            )}
          </div>
        );
      })}
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value as QualitySeverity)}>
          <option value="ERROR">ERROR (blocks downstream use)</option>
          <option value="WARN">WARN (lowers the score)</option>
        </select>
      </label>
      <label>
        Schedule (optional cron, UTC)
        <input value={schedule} onChange={(e) => setSchedule(e.target.value)} placeholder="0 3 * * *" />
      </label>
      <div>
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? "Adding..." : "Add rule"}
        </button>
      </div>
      {error ? <ErrorBox error={error} title="The rule was not added" /> : null}
      <datalist id="rule-columns" data-testid="rule-columns">
        {columns.map((column) => (
          <option key={column} value={column} />
        ))}
      </datalist>
    </form>
  );
}
