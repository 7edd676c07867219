import { indexKeyColumns } from "@dam/db/data-plane";
import { parseRule } from "@dam/quality/rule-types";
import type { TDeps } from "../../deps.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { findEnabledRulesOfType } from "./quality-rules.repository.ts";

/**
 * Indexes the version table on the key columns its dataset declares (the column sets of its enabled
 * `unique` rules), so the duplicate check is an ordered read of an index. Runs when a version becomes
 * READY (at ingest or after cleaning) and before a quality run, which then finds it already done.
 */
export const indexDeclaredKeys = async (deps: TDeps, versionId: string): Promise<number> => {
  const version = await findVersionById(deps, versionId);
  if (version?.status !== "READY") return 0;
  const rules = await findEnabledRulesOfType(deps, version.datasetId, "unique");
  const columns = new Set((version.schema as { name: string }[] | null)?.map((column) => column.name) ?? []);
  const keys: string[][] = [];
  for (const row of rules) {
    const parsed = parseRule(row);
    if (!parsed.ok || parsed.rule.type !== "unique") continue;
    // A rule naming a column this version lacks is reported by the run; there is nothing to index.
    if (parsed.rule.params.columns.every((column) => columns.has(column)))
      keys.push(parsed.rule.params.columns);
  }
  return keys.length > 0 ? indexKeyColumns(deps.pool, version.tableName, keys) : 0;
};
