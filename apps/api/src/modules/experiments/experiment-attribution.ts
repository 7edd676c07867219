// Credits tracked events to experiment exposures. An event that names its recommendationId is credited
// to that exposure (when it is the same user's). Without one, an event on an item the user was shown is
// credited to the user's latest exposure that showed it within the experiment's attribution window.

import type { TDeps } from "../../deps.ts";
import type { TStoredEvent } from "../serving/track-events.ts";
import { PURCHASE_TYPE } from "./experiment-metrics.ts";
import { experimentRouterOf } from "./experiment-router.ts";
import {
  findExposuresByRecommendationIds,
  findExposuresOfUsersSince,
  insertExperimentEvents,
  type TExperimentEventRow,
} from "./experiments.repository.ts";
import type { TExposure } from "./exposure-log.ts";

const CLOCK_SLACK_MS = 60_000;

type TCredit = TExperimentEventRow;

const priceOf = (deps: TDeps, exposure: TExposure, itemId: string): number => {
  const model = experimentRouterOf(deps).modelById(exposure.modelVersionId);
  const item = model?.scorer.itemIndex.get(itemId);
  const price = item === undefined ? undefined : model?.catalog?.price[item];
  return price !== undefined && Number.isFinite(price) ? price : 0;
};

const creditOf = (deps: TDeps, event: TStoredEvent, exposure: TExposure): TCredit => {
  const index = exposure.itemIds.indexOf(event.itemId);
  const value = event.type === PURCHASE_TYPE ? (event.value ?? priceOf(deps, exposure, event.itemId)) : 0;
  return {
    experimentId: exposure.experimentId,
    variantPosition: exposure.variantPosition,
    recommendationId: exposure.recommendationId,
    userId: event.userId,
    itemId: event.itemId,
    position: index >= 0 ? index : null,
    type: event.type,
    value,
    ts: event.ts,
  };
};

/** Finds and stores the credits of a batch of stored events; returns how many events were credited. */
export const attributeEvents = async (deps: TDeps, events: readonly TStoredEvent[]): Promise<number> => {
  const router = experimentRouterOf(deps);
  const named = events.filter((e) => e.recommendationId);
  const unnamed = events.filter((e) => !e.recommendationId);
  if (named.length === 0 && !router.hasRunning()) return 0;
  const pending = router.exposures.pending();
  const credits: TCredit[] = [];

  if (named.length > 0) {
    const ids = [...new Set(named.map((e) => e.recommendationId!))];
    const stored = await findExposuresByRecommendationIds(deps, ids);
    const byId = new Map<string, TExposure>(stored.map((row) => [row.recommendationId, row]));
    for (const exposure of pending)
      if (ids.includes(exposure.recommendationId)) byId.set(exposure.recommendationId, exposure);
    for (const event of named) {
      const exposure = byId.get(event.recommendationId!);
      if (exposure && exposure.userId === event.userId) credits.push(creditOf(deps, event, exposure));
    }
  }

  const candidates = unnamed.filter((e) => router.hasRunning() && e.userId);
  if (candidates.length > 0) {
    const users = [...new Set(candidates.map((e) => e.userId))];
    const earliest = Math.min(...candidates.map((e) => e.ts.getTime()));
    const stored = await findExposuresOfUsersSince(deps, users, new Date(earliest - router.maxWindowMs()));
    const exposures: TExposure[] = [...pending.filter((e) => users.includes(e.userId)).reverse(), ...stored];
    for (const event of candidates) {
      const match = exposures.find((exposure) => {
        if (exposure.userId !== event.userId || !exposure.itemIds.includes(event.itemId)) return false;
        const experiment = router.runningById(exposure.experimentId);
        if (!experiment) return false;
        const age = event.ts.getTime() - exposure.ts.getTime();
        return age >= -CLOCK_SLACK_MS && age <= experiment.windowMs;
      });
      if (match) credits.push(creditOf(deps, event, match));
    }
  }
  if (credits.length > 0) await insertExperimentEvents(deps, credits);
  return credits.length;
};
