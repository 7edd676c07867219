import { columnsOf, parseRule } from "@dam/quality/rule-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findNewestReadySchema } from "./quality-rules.repository.ts";

type TStoredColumn = { name: string };

/** The column names of a dataset's newest version that has a schema, with its number (null: none yet). */
const findCurrentColumns = async (deps: TDeps, datasetId: string) => {
  const version = await findNewestReadySchema(deps, datasetId);
  if (!version) return null;
  const columns = ((version.schema as TStoredColumn[] | null) ?? []).map((column) => column.name);
  return { label: `${version.dataset.name} v${version.number}`, columns };
};

const refuse = (field: string, column: string, where: { label: string; columns: string[] }) => {
  throw new AppError(
    "BAD_USER_INPUT",
    `${field}: "${column}" is not a column of ${where.label} (columns: ${where.columns.join(", ")})`,
    { field, column },
  );
};

/**
 * Refuses a rule that names a column the dataset's newest READY version lacks (and, for referential
 * integrity, a reference column the other dataset lacks): such a rule would error on every run and
 * drag the score down. A dataset with no READY version yet has no schema to check against.
 */
export const assertRuleColumns = async (
  deps: TDeps,
  datasetId: string,
  rule: { type: string; params: unknown },
): Promise<void> => {
  const parsed = parseRule({ id: "check", type: rule.type, params: rule.params, severity: "ERROR" });
  if (!parsed.ok) return;
  const current = await findCurrentColumns(deps, datasetId);
  if (current) {
    const fields =
      parsed.rule.type === "unique"
        ? parsed.rule.params.columns.map((column, index) => ({ field: `params.columns[${index}]`, column }))
        : columnsOf(parsed.rule).map((column, index) => ({
            field: index === 0 ? "params.column" : "params.groupBy",
            column,
          }));
    for (const { field, column } of fields)
      if (!current.columns.includes(column)) refuse(field, column, current);
  }
  if (parsed.rule.type === "ref_integrity") {
    const ref = await findCurrentColumns(deps, parsed.rule.params.refDatasetId);
    if (ref && !ref.columns.includes(parsed.rule.params.refColumn)) {
      refuse("params.refColumn", parsed.rule.params.refColumn, ref);
    }
  }
};
