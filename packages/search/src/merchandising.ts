// Merchandising placed over a relevance ranking: pins, boosts and buries decided by the product's
// rules, applied after the engine has ranked the whole candidate pool, so a rule moves items between
// tiers (pinned, boosted, the rest, buried) and relevance orders items within a tier. A tier order
// rather than a score nudge keeps a rule's effect independent of the query's score scale.
import type { TSearchIndex } from "./search-index.ts";

export type TPlacementAction = "pin" | "boost" | "bury";

/** One rule's effect: an item by id, or every item with a value of a facet field (a category). */
export type TPlacement = {
  ruleId: string;
  action: TPlacementAction;
  target: { kind: "item"; id: string } | { kind: "facet"; field: string; value: string };
};

export type TPlaced = { ruleId: string; action: TPlacementAction; tier: number; order: number };

/** Pinned first, then boosted, then unplaced (tier 2), then buried. */
const TIER: Record<TPlacementAction, number> = { pin: 0, boost: 1, bury: 3 };
export const UNPLACED_TIER = 2;

/**
 * Which documents the placements move. When several rules name one document a pin wins, then a
 * bury over a boost (a bury usually keeps something out of sight, such as a recalled product), then
 * the earlier placement. Pinned items keep the placements' order among themselves. Placements naming
 * an unknown item or facet value place nothing.
 */
export const compilePlacements = (
  index: TSearchIndex,
  placements: readonly TPlacement[],
): Map<number, TPlaced> => {
  const placed = new Map<number, TPlaced>();
  const strength = (action: TPlacementAction) => (action === "pin" ? 2 : action === "bury" ? 1 : 0);
  const place = (doc: number, placement: TPlacement, order: number) => {
    const current = placed.get(doc);
    if (current && strength(current.action) >= strength(placement.action)) return;
    placed.set(doc, {
      ruleId: placement.ruleId,
      action: placement.action,
      tier: TIER[placement.action],
      order,
    });
  };
  placements.forEach((placement, order) => {
    const { target } = placement;
    if (target.kind === "item") {
      const doc = index.docOf.get(target.id);
      if (doc !== undefined) place(doc, placement, order);
      return;
    }
    const column = index.facets.get(target.field);
    const valueId = column?.valueIds.get(target.value);
    if (!column || valueId === undefined) return;
    for (let doc = 0; doc < index.ids.length; doc++) {
      for (let i = column.starts[doc]!; i < column.starts[doc + 1]!; i++) {
        if (column.vals[i] === valueId) {
          place(doc, placement, order);
          break;
        }
      }
    }
  });
  return placed;
};

/** Orders by tier, pinned items by their placement's order; 0 when both are in one tier otherwise. */
export const comparePlacement = (placed: Map<number, TPlaced>, a: number, b: number): number => {
  const pa = placed.get(a);
  const pb = placed.get(b);
  const tierA = pa?.tier ?? UNPLACED_TIER;
  const tierB = pb?.tier ?? UNPLACED_TIER;
  if (tierA !== tierB) return tierA - tierB;
  return tierA === 0 ? pa!.order - pb!.order : 0;
};
