import type { TColumnProfile, TVersionProfile } from "../column-stats/profile-schema.ts";

export type TSuggestedRule = {
  name: string;
  type: string;
  params: Record<string, unknown>;
  severity: "ERROR" | "WARN";
  reason: string;
};

export type TSuggestionInput = {
  profile: TVersionProfile;
  /** column -> role of the version being checked */
  roles: Record<string, string | null>;
  /** Other datasets' newest READY versions holding an id role, for referential integrity. */
  references: { datasetId: string; datasetName: string; kind: string; column: string; role: string }[];
  kind: string;
};

const KEY_ROLES = new Set(["itemId", "userId", "eventId", "orderId", "eventType", "timestamp"]);
const MAX_ALLOWED_VALUES = 10; // the profile keeps the 10 most frequent values
// Far-out fences of Tukey's box plot (Q1 - 3 IQR, Q3 + 3 IQR): Tukey, Exploratory Data Analysis, 1977.
const FAR_OUT = 3;
// A price ten times its group's median is the typical x10 / x100 data-entry slip.
const OUTLIER_RATIO = 10;

const quantile = (column: TColumnProfile, p: number) => column.quantiles.find((q) => q.p === p)?.value;

const roundOut = (value: number, direction: "down" | "up") => {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(Math.abs(value) || 1)) - 1);
  return direction === "down" ? Math.floor(value / scale) * scale : Math.ceil(value / scale) * scale;
};

/** The unique rule applies to the id that identifies a row of this kind of dataset. */
const isRowKey = (kind: string, role: string | null, name: string) =>
  (role === "itemId" && kind === "CATALOG") ||
  (role === "userId" && kind === "USERS") ||
  role === "eventId" ||
  (role === null && /(^|_)id$/i.test(name));

/**
 * Rules a steward is likely to want on a dataset, read off one version's profile and roles: what
 * holds today and would be news if it broke. Pure; the service filters out rules that already exist.
 */
export const suggestRules = ({ profile, roles, references, kind }: TSuggestionInput): TSuggestedRule[] => {
  const rows = profile.rowCount;
  if (rows === 0) return [];
  const out: TSuggestedRule[] = [];
  const categoryColumn = Object.entries(roles).find(([, role]) => role === "category")?.[0];
  for (const column of profile.columns) {
    const role = roles[column.name] ?? null;
    const key = role !== null && KEY_ROLES.has(role);
    if (column.nullCount === 0) {
      out.push({
        name: `${column.name} not null`,
        type: "not_null",
        params: { column: column.name },
        severity: key ? "ERROR" : "WARN",
        reason: role ? `no nulls in ${rows} rows; role ${role}` : `no nulls in ${rows} rows`,
      });
    }
    if (isRowKey(kind, role, column.name) && column.distinctCount === rows - column.nullCount) {
      out.push({
        name: `${column.name} unique`,
        type: "unique",
        params: { columns: [column.name] },
        severity: "ERROR",
        reason: `${column.distinctCount} distinct values in ${rows} rows`,
      });
    }
    const numeric = column.type === "integer" || column.type === "decimal";
    if (numeric && (role === "price" || role === "quantity")) {
      out.push({
        name: `${column.name} positive`,
        type: "range",
        params: { column: column.name, min: 0 },
        severity: role === "price" ? "ERROR" : "WARN",
        reason: `a ${role} below zero is a data error or a cancellation`,
      });
    } else if (numeric && !key) {
      const q1 = quantile(column, 0.25);
      const q3 = quantile(column, 0.75);
      if (q1 !== undefined && q3 !== undefined && q3 > q1) {
        const iqr = q3 - q1;
        out.push({
          name: `${column.name} range`,
          type: "range",
          params: {
            column: column.name,
            min: roundOut(q1 - FAR_OUT * iqr, "down"),
            max: roundOut(q3 + FAR_OUT * iqr, "up"),
          },
          severity: "WARN",
          reason: `Tukey's far-out fences from the quartiles ${q1} and ${q3}`,
        });
      }
    }
    if (
      column.type === "text" &&
      column.distinctCount > 1 &&
      column.distinctCount <= MAX_ALLOWED_VALUES &&
      column.distinctCount * 20 <= rows &&
      column.topValues.length === column.distinctCount
    ) {
      out.push({
        name: `${column.name} allowed values`,
        type: "allowed_set",
        params: { column: column.name, values: column.topValues.map((top) => top.value).sort() },
        severity: role === "eventType" ? "ERROR" : "WARN",
        reason: `${column.distinctCount} distinct values in ${rows} rows`,
      });
    }
    if (role === "price" && numeric && categoryColumn) {
      out.push({
        name: `${column.name} outliers by ${categoryColumn}`,
        type: "outlier",
        params: { column: column.name, groupBy: categoryColumn, maxRatio: OUTLIER_RATIO },
        severity: "WARN",
        reason: `a price ${OUTLIER_RATIO}x from its ${categoryColumn}'s median is likely a typing slip`,
      });
    }
    if (role === "itemId" || role === "userId") {
      const owner = role === "itemId" ? "CATALOG" : "USERS";
      if (kind !== owner) {
        for (const ref of references.filter((r) => r.role === role && r.kind === owner)) {
          out.push({
            name: `${column.name} in ${ref.datasetName}`,
            type: "ref_integrity",
            params: { column: column.name, refDatasetId: ref.datasetId, refColumn: ref.column },
            severity: "WARN",
            reason: `${role} matches ${ref.datasetName}.${ref.column}`,
          });
        }
      }
    }
  }
  return out;
};
