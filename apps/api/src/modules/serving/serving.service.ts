// Serving: recommend and similarItems over the ACTIVE model held in this process, and trackEvents.

import { randomUUID } from "node:crypto";
import type { THistory, TReason, TScoredItem } from "@dam/recsys/artifact-scorer";
import { EVENT_TYPES, isEventType } from "@dam/vocabulary/event-types";
import { eventWeightOf } from "@dam/vocabulary/event-weights";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { attributeEvents } from "../experiments/experiment-attribution.ts";
import { experimentRouterOf } from "../experiments/experiment-router.ts";
import { attributeSearchClicks } from "../features/search-analytics.ts";
import { modelStoreOf } from "./model-store.ts";
import { findNewItemShare, mixNewItems } from "./new-items.service.ts";
import type { TServingModel } from "./serving-model.ts";
import {
  ALL_EVENT_TYPES_MASK,
  eventTypeMask,
  MAX_BATCH,
  maskOfEventTypes,
  readRecentEvents,
  storeEvents,
  type TTrackEventInput,
  validateEvents,
} from "./track-events.ts";

/** History items the scorer uses for neighbour sums (the most recent distinct ones). */
const SESSION_ITEMS = 50;
const MAX_FIRST = 100;

export type TRecommendFilter = {
  categories?: string[] | null;
  priceMin?: number | null;
  priceMax?: number | null;
};

const checkFirst = (first: number | null | undefined): number => {
  const value = first ?? 10;
  if (!Number.isInteger(value) || value < 1 || value > MAX_FIRST) {
    throw new AppError("BAD_USER_INPUT", `first must be between 1 and ${MAX_FIRST}, got ${value}`, {
      field: "first",
    });
  }
  return value;
};

// What a model says of itself, made once per loaded model: every recommend answer names its model,
// and the sorted category list need not be rebuilt per request. Only annReady changes afterwards.
const descriptions = new WeakMap<TServingModel, Omit<ReturnType<typeof describeOnce>, "annReady">>();
const describeOnce = (model: TServingModel) => ({
  id: model.id,
  name: model.name,
  version: model.version,
  algorithm: model.algorithm,
  itemCount: model.scorer.itemCount,
  userCount: model.scorer.userIndex.size,
  annIndex: model.scorer.usesAnn,
  annReady: model.scorer.annReady,
  catalogVersionId: model.catalogVersionId,
  loadedAt: model.loadedAt,
  categories: [...(model.catalog?.categories ?? [])].sort(),
  segmentSetId: model.scorer.artifact.segments?.setId ?? null,
  segmentCount: model.scorer.artifact.segments?.list.length ?? 0,
  sampleUserIds: model.scorer.artifact.userIds.slice(0, 12),
});

export const describeModel = (model: TServingModel) => {
  let described = descriptions.get(model);
  if (!described) {
    described = describeOnce(model);
    descriptions.set(model, described);
  }
  return { ...described, annReady: model.scorer.annReady };
};

const titleOf = (model: TServingModel, item: number) => model.catalog?.title[item] ?? null;

/** A segment position of the model's artifact as the API shows it. */
const segmentOut = (model: TServingModel, position: number) => {
  const segments = model.scorer.artifact.segments!;
  const segment = segments.list[position]!;
  return { id: segment.id, index: segment.index, name: segment.name, segmentSetId: segments.setId };
};

const reasonOut = (model: TServingModel, reason: TReason) => {
  const weight = Number(reason.weight.toFixed(6));
  switch (reason.kind) {
    case "HISTORY_ITEM":
    case "NEIGHBOUR_ITEM": {
      const itemId = model.scorer.artifact.itemIds[reason.item]!;
      const title = titleOf(model, reason.item);
      const name = title ? `"${title}" (${itemId})` : itemId;
      return {
        kind: reason.kind,
        itemId,
        title,
        factor: null,
        block: null,
        weight,
        label:
          reason.kind === "HISTORY_ITEM"
            ? `because you interacted with ${name}`
            : `often together with ${name}`,
      };
    }
    case "LATENT_FACTOR":
      return {
        kind: reason.kind,
        itemId: null,
        title: null,
        factor: reason.factor,
        block: null,
        weight,
        label: `latent factor ${reason.factor}`,
      };
    case "FEATURE_BLOCK": {
      const block = model.scorer.artifact.content?.blocks[reason.block]?.name ?? `block ${reason.block}`;
      return {
        kind: reason.kind,
        itemId: null,
        title: null,
        factor: null,
        block,
        weight,
        label: `its ${block} features match what you interacted with`,
      };
    }
    case "POPULARITY":
    case "SEGMENT_POPULARITY":
      return {
        kind: reason.kind,
        itemId: null,
        title: null,
        factor: null,
        block: null,
        weight,
        label:
          reason.kind === "POPULARITY"
            ? `popular: ${Math.round(reason.weight)} interactions in training`
            : `popular in segment "${segmentOut(model, reason.segment).name}": ${Math.round(reason.weight)} interactions`,
      };
    default: {
      const never: never = reason;
      throw new Error(`unknown reason ${JSON.stringify(never)}`);
    }
  }
};

const itemOut = (model: TServingModel, scored: TScoredItem) => {
  const price = model.catalog?.price[scored.item];
  const category = model.catalog ? model.catalog.category[scored.item]! : -1;
  return {
    itemId: model.scorer.artifact.itemIds[scored.item]!,
    title: titleOf(model, scored.item),
    category: category >= 0 ? model.catalog!.categories[category]! : null,
    price: price !== undefined && Number.isFinite(price) ? price : null,
    score: scored.score,
    reasons: scored.reasons.map((reason) => reasonOut(model, reason)),
  };
};

const filterOf = (model: TServingModel, filter: TRecommendFilter | null | undefined) => {
  if (!filter) return undefined;
  const { categories, priceMin, priceMax } = filter;
  const wantsCategory = categories !== null && categories !== undefined;
  const wantsPrice = (priceMin ?? null) !== null || (priceMax ?? null) !== null;
  if (!wantsCategory && !wantsPrice) return undefined;
  const catalog = model.catalog;
  if (!catalog) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Model ${model.name} v${model.version} has no catalogue version in its lineage, so it cannot filter by category or price`,
    );
  }
  const codes = new Set<number>();
  if (wantsCategory) {
    categories.forEach((name) => {
      const code = catalog.categories.indexOf(name);
      if (code >= 0) codes.add(code);
    });
  }
  const min = priceMin ?? Number.NEGATIVE_INFINITY;
  const max = priceMax ?? Number.POSITIVE_INFINITY;
  if (min > max) {
    throw new AppError("BAD_USER_INPUT", `filter.priceMin ${min} is above filter.priceMax ${max}`, {
      field: "filter.priceMin",
    });
  }
  return (item: number) => {
    if (wantsCategory && !codes.has(catalog.category[item]!)) return false;
    if (wantsPrice) {
      const price = catalog.price[item]!;
      if (!(price >= min && price <= max)) return false;
    }
    return true;
  };
};

/**
 * The event types whose items recommend leaves out: the request's, else the model's training setting
 * (excludeSeenTypes in its artifact, purchases only for models trained since), else every type (models
 * trained before the setting existed were evaluated that way).
 */
const excludeMaskOf = (model: TServingModel, requested: readonly string[] | null | undefined): number => {
  if (requested) {
    requested.forEach((type, index) => {
      if (!isEventType(type)) {
        throw new AppError(
          "BAD_USER_INPUT",
          `excludeSeenTypes[${index}] "${type}" is not one of ${EVENT_TYPES.join(", ")}`,
          {
            field: `excludeSeenTypes[${index}]`,
          },
        );
      }
    });
    return maskOfEventTypes(requested);
  }
  const trained = model.scorer.artifact.params?.excludeSeenTypes;
  if (Array.isArray(trained) && trained.every((type) => typeof type === "string"))
    return maskOfEventTypes(trained);
  return ALL_EVENT_TYPES_MASK;
};

/** The user's history for this model: training history, then tracked events, as distinct item weights. */
const userHistory = async (deps: TDeps, model: TServingModel, userId: string, excludeMask: number) => {
  const recent = await readRecentEvents(deps, userId);
  const training = model.training.get(userId);
  const seen = new Set<number>();
  if (training) {
    for (let t = 0; t < training.items.length; t++) {
      if ((training.types[t]! & excludeMask) !== 0) seen.add(training.items[t]!);
    }
  }
  // Tracked events, oldest first, so the most recent touch ends up last.
  const live = new Map<number, number>();
  for (let e = recent.length - 1; e >= 0; e--) {
    const item = model.scorer.itemIndex.get(recent[e]!.itemId);
    if (item === undefined) continue;
    if ((eventTypeMask(recent[e]!.type) & excludeMask) !== 0) seen.add(item);
    // Folded in with the weights the served model was trained with, so a live purchase counts as
    // much as a purchase in its training data; a type weighted 0 there is left out here too.
    const eventWeight = eventWeightOf(model.eventWeights, recent[e]!.type);
    if (eventWeight === 0) continue;
    const weight = Math.max(live.get(item) ?? 0, eventWeight);
    live.delete(item);
    live.set(item, weight);
  }
  const user = model.scorer.userIndex.get(userId) ?? -1;
  const combined = new Map<number, number>();
  // A trained user's factor vector already holds their training history: fold in only the new events.
  // The content model re-solves the user's column from the whole history (exact), so it gets it all.
  const { artifact } = model.scorer;
  const factorOnly = !!artifact.factors && !artifact.neighbours && !artifact.content && user >= 0;
  if (training && !factorOnly) {
    for (let t = 0; t < training.items.length; t++) combined.set(training.items[t]!, training.weights[t]!);
  }
  for (const [item, weight] of live) {
    const before = combined.get(item) ?? 0;
    combined.delete(item);
    combined.set(item, Math.max(before, weight));
  }
  const entries = [...combined.entries()].slice(-SESSION_ITEMS);
  const history: THistory = {
    items: Int32Array.from(entries, ([item]) => item),
    weights: Float32Array.from(entries, ([, weight]) => weight),
  };
  return { user, history, seen, used: entries.length };
};

export const recommend = async (
  deps: TDeps,
  input: {
    userId: string;
    first?: number | null;
    filter?: TRecommendFilter | null;
    excludeSeen?: boolean | null;
    excludeSeenTypes?: readonly string[] | null;
    model?: string | null;
  },
) => {
  const first = checkFirst(input.first);
  if (input.userId.trim() === "")
    throw new AppError("BAD_USER_INPUT", "userId is empty", { field: "userId" });
  const active = modelStoreOf(deps).get(input.model);
  // A running experiment on this model name answers with the user's variant (stateless hash).
  const router = experimentRouterOf(deps);
  const route = router.route(active.name, input.userId);
  const model = route?.model ?? active;
  const allow = filterOf(model, input.filter);
  const excludeMask = excludeMaskOf(model, input.excludeSeenTypes);
  const { user, history, seen, used } = await userHistory(deps, model, input.userId, excludeMask);
  const segment = model.scorer.segmentOf(input.userId);
  const request = {
    user,
    history,
    first,
    exclude: input.excludeSeen === false ? undefined : seen,
    allow,
    segment,
  };
  const answer = model.scorer.recommend(request);
  // Only models that can score new items read the steward's share (one primary-key read).
  const share = model.newItems ? (await findNewItemShare(deps, model.name)).share : 0;
  const mixed = mixNewItems(model, request, answer, share);
  const recommendationId = randomUUID();
  const items = mixed.items.map((scored) => ({
    ...itemOut(model, scored),
    fromNewItems: scored.fromNewItems,
  }));
  if (route) {
    router.exposures.record({
      recommendationId,
      experimentId: route.experiment.id,
      variantPosition: route.position,
      modelVersionId: model.id,
      userId: input.userId,
      itemIds: items.map((item) => item.itemId),
      ts: new Date(),
    });
  }
  return {
    userId: input.userId,
    recommendationId,
    experiment: route
      ? { id: route.experiment.id, variant: route.experiment.variants[route.position]!.key }
      : null,
    items,
    source: answer.source,
    segment: answer.source === "SEGMENT_POPULARITY" ? segmentOut(model, segment) : null,
    model: describeModel(model),
    historyLength: used,
    newItemShare: mixed.share,
  };
};

export const similarItems = async (
  deps: TDeps,
  input: { itemId: string; first?: number | null; model?: string | null },
) => {
  const first = checkFirst(input.first);
  const model = modelStoreOf(deps).get(input.model);
  const item = model.scorer.itemIndex.get(input.itemId);
  if (item === undefined) {
    throw new AppError("NOT_FOUND", `Item ${input.itemId} is not in model ${model.name} v${model.version}`, {
      field: "itemId",
    });
  }
  return {
    itemId: input.itemId,
    items: model.scorer
      .similarItems(item, first)
      .map((scored) => ({ ...itemOut(model, scored), fromNewItems: false })),
    model: describeModel(model),
  };
};

export const trackEvents = async (deps: TDeps, principal: TPrincipal, events: TTrackEventInput[]) => {
  if (events.length > MAX_BATCH) {
    throw new AppError("BAD_USER_INPUT", `A batch holds at most ${MAX_BATCH} events, got ${events.length}`, {
      field: "events",
    });
  }
  const { valid, errors, searchIds } = validateEvents(events, new Date());
  await storeEvents(deps, valid, principal.keyId);
  const attributedToSearches = await attributeSearchClicks(deps, searchIds);
  const attributed = await attributeEvents(deps, valid);
  return { accepted: valid.length, errors, attributed, attributedToSearches };
};

export const findUserEvents = async (deps: TDeps, userId: string, first: number | null | undefined) => {
  const count = checkFirst(first);
  const events = await readRecentEvents(deps, userId, count);
  let model: TServingModel | null = null;
  try {
    model = modelStoreOf(deps).get();
  } catch {
    model = null;
  }
  return events.map((event) => {
    const item = model?.scorer.itemIndex.get(event.itemId);
    return { ...event, title: model && item !== undefined ? titleOf(model, item) : null };
  });
};

export const listServingModels = (deps: TDeps) => modelStoreOf(deps).list().map(describeModel);
