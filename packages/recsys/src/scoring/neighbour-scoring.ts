// Scoring by a neighbour model (item-kNN, EASE or RP3beta sparsified to top-k rows): a history's
// candidates are the sum of neighbour weights over its items (item-kNN over a session), an item's
// similar items are its own neighbour row.
import type { TModelArtifact } from "../model-artifact.ts";
import { TopK } from "../top-k.ts";
import { neighbourReasons } from "./score-reasons.ts";
import type { TAccept, THistory, TScoredItem } from "./scorer-types.ts";

export class NeighbourScoring {
  private readonly neighbours: NonNullable<TModelArtifact["neighbours"]>;
  /** Per-item sums of one request, zeroed again after it (the touched list says where). */
  private readonly accumulator: Float32Array;

  /** `artifact.neighbours` must be set. */
  constructor(artifact: TModelArtifact) {
    this.neighbours = artifact.neighbours!;
    this.accumulator = new Float32Array(artifact.itemIds.length);
  }

  /** The acceptable items of largest summed weight c_h * s(h, j) over the history, with the history items behind each. */
  fromHistory(history: THistory, first: number, accept: TAccept, maxReasons: number): TScoredItem[] {
    const { k, index, weight } = this.neighbours;
    const acc = this.accumulator;
    const touched: number[] = [];
    for (let h = 0; h < history.items.length; h++) {
      const base = history.items[h]! * k;
      const c = history.weights[h]!;
      for (let t = 0; t < k; t++) {
        const j = index[base + t]!;
        if (j < 0) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j]! += c * weight[base + t]!;
      }
    }
    const top = new TopK(first);
    for (const j of touched) {
      if (acc[j]! > 0 && accept(j)) top.push(j, acc[j]!);
      acc[j] = 0;
    }
    return top.toList().map(({ item, score }) => ({
      item,
      score,
      reasons: neighbourReasons(this.neighbours, item, history, maxReasons),
    }));
  }

  /** The acceptable items of `item`'s neighbour row, by weight; empty when none is acceptable. */
  similarTo(item: number, first: number, accept: TAccept): TScoredItem[] {
    const { k, index, weight } = this.neighbours;
    const top = new TopK(first);
    for (let t = 0; t < k; t++) {
      const j = index[item * k + t]!;
      if (j >= 0 && accept(j)) top.push(j, weight[item * k + t]!);
    }
    return top.toList().map(({ item: j, score }) => ({
      item: j,
      score,
      reasons: [{ kind: "NEIGHBOUR_ITEM", item, weight: score }],
    }));
  }
}
