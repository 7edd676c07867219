import type { TKappa, TRatingsTable } from "@dam/agreement/agreement-types";
import { categoryAgreement } from "@dam/agreement/category-agreement";
import { fleissKappa } from "@dam/agreement/fleiss-kappa";
import { krippendorffAlpha } from "@dam/agreement/krippendorff-alpha";
import { pairwiseCohenKappa } from "@dam/agreement/pairwise-kappa";
import type { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { connectionOf, decodeUuidCursor, type TConnection } from "../core/pagination.ts";
import {
  findProjectLabels,
  findTaskProjectId,
  findTasksWithLabels,
  replaceGoldLabel,
} from "./label-records.repository.ts";
import { agreementCategory, isLabelSchemaType, RELEVANCE_GRADES } from "./label-value.ts";
import { getLabelProject, resolveLabellerId } from "./labelling.service.ts";
import { normaliseForProject, type TLabelModel } from "./labelling-queue.service.ts";
import { countDisagreements, findDisagreementIds } from "./labelling-review.repository.ts";

type TAgreementValue = {
  value: number | null;
  undefinedReason: string | null;
  message: string | null;
  items: number;
};
type TLabeller = { userId: string; name: string };

export type TReviewTask = {
  id: string;
  payload: unknown;
  labels: TLabelModel[];
  goldValue: unknown;
  distinctValues: number;
};

export type TLabelAgreement = {
  projectId: string;
  items: number;
  labellers: number;
  labels: number;
  fleissKappa: TAgreementValue;
  krippendorffAlphaNominal: TAgreementValue;
  krippendorffAlphaOrdinal: TAgreementValue | null;
  meanCohenKappa: number | null;
  pairs: { labellerA: TLabeller; labellerB: TLabeller; kappa: TAgreementValue }[];
  categories: { category: string; ratings: number; specificAgreement: number | null; kappa: number | null }[];
};

const fromKappa = (kappa: TKappa): TAgreementValue => ({
  value: kappa.value,
  undefinedReason: kappa.reason,
  message: kappa.message,
  items: kappa.items,
});

/** Builds the items x labellers table of the project's (non-gold) labels and runs @dam/agreement on it. */
export const projectAgreement = async (deps: TDeps, projectId: string): Promise<TLabelAgreement> => {
  const project = await getLabelProject(deps, projectId);
  const type = project.schema.type;
  if (!isLabelSchemaType(type)) throw new Error(`Label schema ${project.schema.id} has unknown type ${type}`);
  const labels = await findProjectLabels(deps, project.id);
  const labellers = [
    ...new Map(labels.map((l) => [l.userId, { userId: l.userId, name: l.user.name }])).values(),
  ].sort((a, b) => a.userId.localeCompare(b.userId));
  const column = new Map(labellers.map((labeller, i) => [labeller.userId, i]));
  const rows = new Map<string, (string | number | null)[]>();
  for (const label of labels) {
    const row = rows.get(label.taskId) ?? Array<string | number | null>(labellers.length).fill(null);
    row[column.get(label.userId) as number] = agreementCategory(type, label.value);
    rows.set(label.taskId, row);
  }
  const table: TRatingsTable = [...rows.values()];
  const scale = type === "RELEVANCE" ? { categories: [...RELEVANCE_GRADES] } : {};
  const fleiss = fleissKappa(table);
  const nominal = krippendorffAlpha(table, { level: "nominal", ...scale });
  const ordinal = type === "RELEVANCE" ? krippendorffAlpha(table, { level: "ordinal", ...scale }) : null;
  const pairwise = pairwiseCohenKappa(table, scale);
  const perCategory = categoryAgreement(table, scale);
  const alpha = (value: typeof nominal): TAgreementValue => ({
    value: value.value,
    undefinedReason: value.reason,
    message: value.message,
    items: value.units,
  });
  return {
    projectId: project.id,
    items: table.length,
    labellers: labellers.length,
    labels: labels.length,
    fleissKappa: fromKappa(fleiss),
    krippendorffAlphaNominal: alpha(nominal),
    krippendorffAlphaOrdinal: ordinal ? alpha(ordinal) : null,
    meanCohenKappa: pairwise.meanKappa,
    pairs: pairwise.pairs.map((pair) => ({
      labellerA: labellers[pair.raterA] as TLabeller,
      labellerB: labellers[pair.raterB] as TLabeller,
      kappa: fromKappa(pair.kappa),
    })),
    categories: perCategory.rows.map((row) => ({ ...row, category: String(row.category) })),
  };
};

const loadReviewTasks = async (deps: TDeps, ids: string[]): Promise<TReviewTask[]> => {
  const tasks = await findTasksWithLabels(deps, ids);
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return ids.flatMap((id) => {
    const task = byId.get(id);
    if (!task) return [];
    const labels = task.labels.map((label) => ({
      ...label,
      labeller: { userId: label.userId, name: label.user.name },
    }));
    const distinctValues = new Set(task.labels.map((label) => JSON.stringify(label.value))).size;
    return [{ id: task.id, payload: task.payload, goldValue: task.goldValue, labels, distinctValues }];
  });
};

/** Tasks whose labels differ (values are stored normalised, so jsonb equality is answer equality), by id. */
export const findDisagreements = async (
  deps: TDeps,
  args: { projectId: string; includeAdjudicated: boolean; first: number; after?: string | null },
): Promise<TConnection<TReviewTask>> => {
  const project = await getLabelProject(deps, args.projectId);
  const cursor = decodeUuidCursor(args.after);
  const filter = { projectId: project.id, includeAdjudicated: args.includeAdjudicated };
  const [page, total] = await Promise.all([
    findDisagreementIds(deps, { ...filter, after: cursor, limit: args.first + 1 }),
    countDisagreements(deps, filter),
  ]);
  const ids = page.slice(0, args.first);
  const nodes = await loadReviewTasks(deps, ids);
  return connectionOf(nodes, page.length > args.first, total, Boolean(cursor));
};

/** Sets a task's gold label: one gold Label row (the adjudicator's) and LabelTask.goldValue, replaced together. */
export const adjudicate = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { taskId: string; value: unknown },
): Promise<TReviewTask> => {
  const projectId = await findTaskProjectId(deps, input.taskId);
  if (!projectId)
    throw new AppError("NOT_FOUND", `Label task ${input.taskId} not found`, { field: "taskId" });
  const project = await getLabelProject(deps, projectId);
  const value = normaliseForProject(project.schema, input.value) as Prisma.InputJsonValue;
  const userId = await resolveLabellerId(deps, actor);
  await inAuditedTransaction(deps.db, async (tx) => {
    await replaceGoldLabel(tx, { taskId: input.taskId, userId, value });
    await recordAudit(tx, actor, "labelTask.adjudicate", "LabelTask", input.taskId, { value });
  });
  const [reviewed] = await loadReviewTasks(deps, [input.taskId]);
  return reviewed as TReviewTask;
};
