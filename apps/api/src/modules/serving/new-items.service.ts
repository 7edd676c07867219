// The new-item path of `recommend`: a steward-set share of each answer is reserved for items nobody has
// interacted with yet, which only a model reading item features (CONTENT_RIDGE) can score. The best of
// them for the user are placed at evenly spaced positions and marked, so a client can tell them apart.
import type { TRecommendAnswer, TRecommendRequest, TScoredItem } from "@dam/recsys/artifact-scorer";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findNewItemSetting, saveNewItemShare } from "./serving.repository.ts";
import type { TServingModel } from "./serving-model.ts";

export const MAX_MODEL_NAME = 64;

const checkName = (modelName: string) => {
  if (modelName.trim() === "" || modelName.length > MAX_MODEL_NAME) {
    throw new AppError("BAD_USER_INPUT", `modelName must have 1 to ${MAX_MODEL_NAME} characters`, {
      field: "modelName",
    });
  }
};

export const findNewItemShare = async (deps: TDeps, modelName: string) => {
  checkName(modelName);
  const row = await findNewItemSetting(deps, modelName);
  return { modelName, share: row?.share ?? 0, updatedAt: row?.updatedAt ?? null };
};

export const setNewItemShare = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { modelName: string; share: number },
) => {
  checkName(input.modelName);
  if (!Number.isFinite(input.share) || input.share < 0 || input.share > 1) {
    throw new AppError("BAD_USER_INPUT", `share must be between 0 and 1, got ${input.share}`, {
      field: "share",
    });
  }
  // The setting and its audit entry commit together.
  const row = await saveNewItemShare(deps, input, (tx, previous) =>
    recordAudit(tx, actor, "serving.newItemShare", "ModelName", input.modelName, {
      share: input.share,
      previous: previous ?? 0,
    }),
  );
  return { modelName: row.modelName, share: row.share, updatedAt: row.updatedAt };
};

export type TMixedItem = TScoredItem & { fromNewItems: boolean };

/**
 * The answer with round(first * share) (at least 1 when share > 0) of its places given to the user's
 * best-scored new items, at evenly spaced positions; the other places keep the model's order. Only
 * when the model scored the user from their features (a content answer): a popularity answer has
 * nothing to rank new items by.
 */
export const mixNewItems = (
  model: TServingModel,
  request: TRecommendRequest,
  answer: TRecommendAnswer,
  share: number,
): { items: TMixedItem[]; share: number } => {
  const plain = answer.items.map((item) => ({ ...item, fromNewItems: false }));
  const pool = model.newItems;
  const content = answer.source === "CONTENT_FOLD_IN" || answer.source === "CONTENT_USER";
  if (share <= 0 || !pool || !content || request.first <= 0) return { items: plain, share: 0 };
  const slots = Math.min(request.first, Math.max(1, Math.round(request.first * share)));
  const allow = request.allow;
  const fresh = model.scorer.recommend({
    ...request,
    first: slots,
    allow: (item) => pool[item] === 1 && (!allow || allow(item)),
  });
  const freshItems = fresh.items.map((item) => ({ ...item, fromNewItems: true }));
  const taken = new Set(freshItems.map((item) => item.item));
  const rest = plain.filter((item) => !taken.has(item.item)).slice(0, request.first - freshItems.length);
  // New item j goes to position round((j + 1) / share) - 1 (capped), e.g. share 0.2: positions 4 and 9.
  const out: TMixedItem[] = [];
  let r = 0;
  let f = 0;
  const total = rest.length + freshItems.length;
  for (let position = 0; position < total; position++) {
    const due = f < freshItems.length && (position >= Math.round((f + 1) / share) - 1 || r >= rest.length);
    if (due) out.push(freshItems[f++]!);
    else out.push(rest[r++]!);
  }
  return { items: out, share };
};
