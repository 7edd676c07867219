import type { Prisma, Severity } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import type { TAuditedTransaction } from "../audit/audit.service.ts";

export const findDatasetById = (deps: TDeps, id: string) => deps.db.dataset.findUnique({ where: { id } });

export const findRuleById = (deps: TDeps, id: string) => deps.db.qualityRule.findUnique({ where: { id } });

/** Every rule of a dataset, by name. */
export const findRulesOfDataset = (deps: TDeps, datasetId: string) =>
  deps.db.qualityRule.findMany({ where: { datasetId }, orderBy: { name: "asc" } });

/** The enabled rules of a dataset, by name. */
export const findEnabledRules = (deps: TDeps, datasetId: string) =>
  deps.db.qualityRule.findMany({ where: { datasetId, enabled: true }, orderBy: { name: "asc" } });

/** The enabled rules of one type of a dataset. */
export const findEnabledRulesOfType = (deps: TDeps, datasetId: string, type: string) =>
  deps.db.qualityRule.findMany({ where: { datasetId, enabled: true, type } });

/** The schedules of a dataset's enabled scheduled rules. */
export const findRuleSchedules = (deps: TDeps, datasetId: string) =>
  deps.db.qualityRule.findMany({
    where: { datasetId, enabled: true, schedule: { not: null } },
    select: { schedule: true },
  });

export const countEnabledRulesWithSchedule = (deps: TDeps, datasetId: string, cron: string) =>
  deps.db.qualityRule.count({ where: { datasetId, enabled: true, schedule: cron } });

export type TRuleWrite = {
  name: string;
  params: Prisma.InputJsonValue;
  severity?: Severity;
  enabled?: boolean;
  schedule?: string | null;
};

export const insertRule = (
  tx: TAuditedTransaction,
  datasetId: string,
  rule: TRuleWrite & { type: string; severity: Severity; enabled: boolean; schedule: string | null },
) => tx.qualityRule.create({ data: { datasetId, ...rule } });

export const updateRule = (tx: TAuditedTransaction, id: string, data: TRuleWrite) =>
  tx.qualityRule.update({ where: { id }, data });

export const deleteRule = async (tx: TAuditedTransaction, id: string): Promise<void> => {
  await tx.qualityRule.delete({ where: { id } });
};

/** Number and schema of a dataset's newest READY version, with the dataset's name. */
export const findNewestReadySchema = (deps: TDeps, datasetId: string) =>
  deps.db.datasetVersion.findFirst({
    where: { datasetId, status: "READY" },
    orderBy: { number: "desc" },
    select: { number: true, schema: true, dataset: { select: { name: true } } },
  });

/** Catalogue and user datasets other than `datasetId`, by name, with their newest READY schema. */
export const findReferenceDatasets = (deps: TDeps, datasetId: string) =>
  deps.db.dataset.findMany({
    where: { id: { not: datasetId }, kind: { in: ["CATALOG", "USERS"] } },
    select: {
      id: true,
      name: true,
      kind: true,
      versions: {
        where: { status: "READY" },
        orderBy: { number: "desc" },
        take: 1,
        select: { schema: true },
      },
    },
    orderBy: { name: "asc" },
  });

/** A version with its dataset and the dataset's rules. */
export const findVersionWithRules = (deps: TDeps, versionId: string) =>
  deps.db.datasetVersion.findUnique({
    where: { id: versionId },
    include: { dataset: { include: { rules: true } } },
  });

export const findVersionByIdOrThrow = (deps: TDeps, versionId: string) =>
  deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
