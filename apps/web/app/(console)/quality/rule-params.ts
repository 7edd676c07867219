// The add-rule form: which parameter fields each rule type takes, and how the typed text becomes params.

export type ParamField = {
  key: string;
  label: string;
  kind: "text" | "number" | "list" | "select" | "dataset";
  optional?: boolean;
  options?: string[];
  hint?: string;
};

export const RULE_FIELDS: Record<string, ParamField[]> = {
  not_null: [{ key: "column", label: "Column", kind: "text" }],
  unique: [
    { key: "columns", label: "Columns", kind: "list", hint: "comma-separated; several = composite key" },
  ],
  range: [
    { key: "column", label: "Column", kind: "text" },
    { key: "min", label: "Min", kind: "number", optional: true },
    { key: "max", label: "Max", kind: "number", optional: true },
  ],
  regex: [
    { key: "column", label: "Column", kind: "text" },
    { key: "pattern", label: "Pattern", kind: "text", hint: "PostgreSQL regular expression" },
  ],
  allowed_set: [
    { key: "column", label: "Column", kind: "text" },
    { key: "values", label: "Allowed values", kind: "list", hint: "comma-separated" },
  ],
  length: [
    { key: "column", label: "Column", kind: "text" },
    { key: "min", label: "Min length", kind: "number", optional: true },
    { key: "max", label: "Max length", kind: "number", optional: true },
  ],
  row_count: [
    { key: "min", label: "Min rows", kind: "number", optional: true },
    { key: "max", label: "Max rows", kind: "number", optional: true },
  ],
  freshness: [
    { key: "column", label: "Timestamp column", kind: "text" },
    { key: "maxAgeHours", label: "Max age (hours)", kind: "number" },
  ],
  ref_integrity: [
    { key: "column", label: "Column", kind: "text" },
    { key: "refDatasetId", label: "Referenced dataset", kind: "dataset" },
    { key: "refColumn", label: "Referenced column", kind: "text" },
  ],
  drift: [
    { key: "column", label: "Column", kind: "text" },
    { key: "method", label: "Method", kind: "select", options: ["psi", "chi_square"] },
    {
      key: "threshold",
      label: "Threshold",
      kind: "number",
      hint: "PSI above it, or p-value below it, fails",
    },
  ],
  custom_sql: [
    { key: "sql", label: "SQL", kind: "text", hint: "SELECT returning the failing rows; use {{table}}" },
  ],
  outlier: [
    { key: "column", label: "Number column", kind: "text" },
    { key: "groupBy", label: "Group by column", kind: "text", optional: true },
    { key: "maxRatio", label: "Max ratio to group median", kind: "number" },
  ],
};

export const RULE_TYPES = Object.keys(RULE_FIELDS);

/** Turns the form's strings into params; returns an error naming the field when a value is unusable. */
export function toParams(
  type: string,
  values: Record<string, string>,
): { ok: true; params: Record<string, unknown> } | { ok: false; message: string } {
  const params: Record<string, unknown> = {};
  for (const field of RULE_FIELDS[type] ?? []) {
    const raw = (values[field.key] ?? "").trim();
    if (raw === "") {
      if (field.optional) continue;
      return { ok: false, message: `${field.label}: required` };
    }
    if (field.kind === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `${field.label}: not a number` };
      params[field.key] = n;
    } else if (field.kind === "list") {
      params[field.key] = raw
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
    } else {
      params[field.key] = raw;
    }
  }
  return { ok: true, params };
}
