"use client";

import { COLUMN_TYPES, CONDITION_OPS, IMPUTE_STRATEGIES, STEP_OPS } from "@dam/cleaning/recipe-vocabulary";
import { type FormEvent, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { DryRunButton } from "./DryRunButton";
import { type CleaningRecipe, CREATE_RECIPE, type VersionColumn } from "./queries";
import { ReferencePicker } from "./ReferencePicker";
import { type ConditionDraft, emptyDraft, type Op, type StepDraft, stepOf } from "./step-draft";

type Props = {
  datasetId: string;
  versionId: string;
  columns: VersionColumn[];
  onCreated: (recipe: CleaningRecipe) => void;
};

export function RecipeBuilder({ datasetId, versionId, columns, onCreated }: Props) {
  const first = columns[0]?.name ?? "";
  const [name, setName] = useState("");
  const [steps, setSteps] = useState<Record<string, unknown>[]>([]);
  const [draft, setDraft] = useState<StepDraft>(emptyDraft(first));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const set = <K extends keyof StepDraft>(key: K, value: StepDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setCondition = (index: number, patch: Partial<ConditionDraft>) =>
    setDraft((d) => ({
      ...d,
      conditions: d.conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)),
    }));

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const data = await clientGql(CREATE_RECIPE, { input: { datasetId, name: name.trim(), steps } });
      onCreated(data.createCleaningRecipe);
      setName("");
      setSteps([]);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  const columnSelect = (value: string, onChange: (value: string) => void, label: string) => (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  );

  return (
    <section className="panel" data-testid="recipe-builder">
      <h2>New recipe</h2>
      <div className="toolbar">
        <label className="toolbar-label" htmlFor="step-op">
          Step
        </label>
        <select id="step-op" value={draft.op} onChange={(e) => set("op", e.target.value as Op)}>
          {STEP_OPS.map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
        {draft.op === "dedupe" ? (
          <>
            <span className="muted">keys (none = whole row):</span>
            {columns.map((c) => (
              <label key={c.name} className="nowrap">
                <input
                  type="checkbox"
                  checked={draft.keys.includes(c.name)}
                  onChange={(e) =>
                    set(
                      "keys",
                      e.target.checked ? [...draft.keys, c.name] : draft.keys.filter((k) => k !== c.name),
                    )
                  }
                />{" "}
                {c.name}
              </label>
            ))}
            <select
              aria-label="Keep"
              value={draft.keep}
              onChange={(e) => set("keep", e.target.value as "first")}
            >
              <option value="first">keep first</option>
              <option value="last">keep last</option>
            </select>
          </>
        ) : null}
        {draft.op === "drop_where" ? (
          <>
            <select
              aria-label="Combine"
              value={draft.combine}
              onChange={(e) => set("combine", e.target.value as "all")}
            >
              <option value="all">all of</option>
              <option value="any">any of</option>
            </select>
            <label className="nowrap">
              <input
                type="checkbox"
                checked={draft.negate}
                onChange={(e) => set("negate", e.target.checked)}
              />{" "}
              not
            </label>
          </>
        ) : null}
        {draft.op !== "dedupe" && draft.op !== "drop_where"
          ? columnSelect(draft.column, (value) => set("column", value), "Column")
          : null}
        {draft.op === "impute" ? (
          <>
            <select
              aria-label="Strategy"
              value={draft.strategy}
              onChange={(e) => set("strategy", e.target.value as "mean")}
            >
              {IMPUTE_STRATEGIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            {draft.strategy === "constant" ? (
              <input
                type="text"
                aria-label="Value"
                value={draft.value}
                onChange={(e) => set("value", e.target.value)}
              />
            ) : null}
          </>
        ) : null}
        {draft.op === "clip_outliers" || draft.op === "drop_outliers" ? (
          <>
            <select
              aria-label="Method"
              value={draft.method}
              onChange={(e) => set("method", e.target.value as "iqr")}
            >
              <option value="iqr">IQR (Tukey fences)</option>
              <option value="zscore">z-score</option>
            </select>
            <input
              type="text"
              aria-label="k"
              size={4}
              value={draft.k}
              onChange={(e) => set("k", e.target.value)}
            />
          </>
        ) : null}
        {draft.op === "normalise_text" ? (
          <>
            <label className="nowrap">
              <input type="checkbox" checked={draft.trim} onChange={(e) => set("trim", e.target.checked)} />{" "}
              trim
            </label>
            <label className="nowrap">
              <input
                type="checkbox"
                checked={draft.collapseSpaces}
                onChange={(e) => set("collapseSpaces", e.target.checked)}
              />{" "}
              collapse spaces
            </label>
            <select
              aria-label="Case"
              value={draft.caseMode}
              onChange={(e) => set("caseMode", e.target.value as "none")}
            >
              {["none", "lower", "upper"].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </>
        ) : null}
        {draft.op === "match_dataset" ? (
          <>
            <select
              aria-label="Keep"
              value={draft.matchKeep}
              onChange={(e) => set("matchKeep", e.target.value as "matched")}
            >
              <option value="matched">keep rows found in</option>
              <option value="unmatched">drop rows found in</option>
            </select>
            <ReferencePicker
              datasetId={datasetId}
              refDatasetId={draft.refDatasetId}
              refColumn={draft.refColumn}
              onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
            />
          </>
        ) : null}
        {draft.op === "drop_group_outliers" ? (
          <>
            <select
              aria-label="Group by"
              value={draft.groupBy}
              onChange={(e) => set("groupBy", e.target.value)}
            >
              <option value="">no groups</option>
              {columns.map((c) => (
                <option key={c.name} value={c.name}>
                  per {c.name}
                </option>
              ))}
            </select>
            <label className="nowrap">
              max ratio to the median{" "}
              <input
                type="text"
                aria-label="Max ratio"
                size={4}
                value={draft.maxRatio}
                onChange={(e) => set("maxRatio", e.target.value)}
              />
            </label>
          </>
        ) : null}
        {draft.op === "pseudonymise" ? (
          <select
            aria-label="Pseudonymise how"
            value={draft.pseudonymMode}
            onChange={(e) => set("pseudonymMode", e.target.value as "hash" | "drop")}
          >
            <option value="hash">hash (keyed pseudonym)</option>
            <option value="drop">drop the column</option>
          </select>
        ) : null}
        {draft.op === "cast" ? (
          <select
            aria-label="To type"
            value={draft.to}
            onChange={(e) => set("to", e.target.value as "integer")}
          >
            {COLUMN_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        ) : null}
      </div>
      {draft.op === "drop_where"
        ? draft.conditions.map((condition, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their position
            <div className="toolbar" key={index}>
              <span className="muted">drop rows where</span>
              {columnSelect(
                condition.column,
                (value) => setCondition(index, { column: value }),
                "Condition column",
              )}
              <select
                aria-label="Condition operator"
                value={condition.op}
                onChange={(e) => setCondition(index, { op: e.target.value as ConditionDraft["op"] })}
              >
                {CONDITION_OPS.map((op) => (
                  <option key={op}>{op}</option>
                ))}
              </select>
              {condition.op === "is_null" || condition.op === "not_null" ? null : (
                <input
                  type="text"
                  aria-label="Condition value"
                  placeholder={condition.op.endsWith("in") ? "a, b, c" : "value"}
                  value={condition.value}
                  onChange={(e) => setCondition(index, { value: e.target.value })}
                />
              )}
              {draft.conditions.length > 1 ? (
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    set(
                      "conditions",
                      draft.conditions.filter((_, i) => i !== index),
                    )
                  }
                >
                  Remove
                </button>
              ) : null}
            </div>
          ))
        : null}
      <div className="toolbar">
        {draft.op === "drop_where" ? (
          <button
            type="button"
            className="button small"
            onClick={() => set("conditions", [...draft.conditions, { column: first, op: "eq", value: "" }])}
          >
            Add condition
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => setSteps([...steps, stepOf(draft)])}>
          Add step
        </button>
      </div>

      {steps.length > 0 ? (
        <ol data-testid="draft-steps">
          {steps.map((step, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are identified by their position
            <li key={index}>
              <code>{JSON.stringify(step)}</code>{" "}
              <button
                type="button"
                className="button small"
                onClick={() => setSteps(steps.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">No steps yet: pick an operation above and add it.</p>
      )}
      <DryRunButton versionId={versionId} steps={steps} />
      <details>
        <summary>JSON preview</summary>
        <pre className="mono" data-testid="recipe-json">
          {JSON.stringify(steps, null, 2)}
        </pre>
      </details>
      {error ? <ErrorBox error={error} title="The recipe was not saved" /> : null}
      <form className="toolbar" onSubmit={onSave}>
        <input
          type="text"
          aria-label="Recipe name"
          placeholder="Recipe name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <button
          type="submit"
          className="button primary"
          disabled={pending || steps.length === 0 || !name.trim()}
        >
          {pending ? "Saving…" : "Save recipe"}
        </button>
      </form>
    </section>
  );
}
