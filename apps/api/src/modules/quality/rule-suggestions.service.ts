import { columnsOf, parseRule } from "@dam/quality/rule-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { parseStoredProfile } from "../column-stats/profile-schema.ts";
import { createQualityRule } from "./quality.service.ts";
import {
  findReferenceDatasets,
  findVersionByIdOrThrow,
  findVersionWithRules,
} from "./quality-rules.repository.ts";
import { suggestRules, type TSuggestedRule } from "./rule-suggestions.ts";

type TStoredColumn = { name: string; role?: string | null };

const ruleKey = (type: string, params: unknown) => {
  const parsed = parseRule({ id: "key", type, params, severity: "ERROR" });
  return parsed.ok ? `${type}:${columnsOf(parsed.rule).join(",")}` : `${type}:?`;
};

/** Id columns (itemId, userId) of the newest READY version of every other dataset. */
const findReferences = async (deps: TDeps, datasetId: string) => {
  const datasets = await findReferenceDatasets(deps, datasetId);
  return datasets.flatMap((dataset) =>
    ((dataset.versions[0]?.schema as TStoredColumn[] | null) ?? [])
      .filter((column) => column.role === "itemId" || column.role === "userId")
      .map((column) => ({
        datasetId: dataset.id,
        datasetName: dataset.name,
        kind: dataset.kind,
        column: column.name,
        role: column.role as string,
      })),
  );
};

/**
 * Rules suggested from a version's profile, minus those the dataset already has (by name, or by
 * type and columns).
 */
export const findSuggestedRules = async (deps: TDeps, versionId: string): Promise<TSuggestedRule[]> => {
  const version = await findVersionWithRules(deps, versionId);
  if (!version) throw new AppError("NOT_FOUND", `versionId: no version ${versionId}`, { field: "versionId" });
  const profile = parseStoredProfile(version.profile);
  if (!profile) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Version ${version.number} of ${version.dataset.name} has no profile yet; suggestions come from it`,
      { field: "versionId" },
    );
  }
  const roles = Object.fromEntries(
    ((version.schema as TStoredColumn[] | null) ?? []).map((column) => [column.name, column.role ?? null]),
  );
  const existingNames = new Set(version.dataset.rules.map((rule) => rule.name));
  const existingKeys = new Set(version.dataset.rules.map((rule) => ruleKey(rule.type, rule.params)));
  return suggestRules({
    profile,
    roles,
    references: await findReferences(deps, version.datasetId),
    kind: version.dataset.kind,
  }).filter((rule) => !existingNames.has(rule.name) && !existingKeys.has(ruleKey(rule.type, rule.params)));
};

/** Creates the named suggestions as rules of the version's dataset (each audited as a rule creation). */
export const acceptSuggestedRules = async (
  deps: TDeps,
  actor: TPrincipal,
  versionId: string,
  names: string[],
) => {
  if (names.length === 0)
    throw new AppError("BAD_USER_INPUT", "names: name at least one suggestion", { field: "names" });
  const suggestions = await findSuggestedRules(deps, versionId);
  const chosen = names.map((name, index) => {
    const found = suggestions.find((rule) => rule.name === name);
    if (!found) {
      throw new AppError(
        "BAD_USER_INPUT",
        `names[${index}]: "${name}" is not a current suggestion (suggested: ${suggestions.map((rule) => rule.name).join(", ") || "none"})`,
        { field: `names[${index}]` },
      );
    }
    return found;
  });
  const version = await findVersionByIdOrThrow(deps, versionId);
  const created = [];
  for (const rule of chosen) {
    created.push(
      await createQualityRule(deps, actor, version.datasetId, {
        name: rule.name,
        type: rule.type,
        params: rule.params,
        severity: rule.severity,
      }),
    );
  }
  return created;
};
