// HYBRID: candidates from each part (factor top, neighbour sums, popular items, content top), each
// part's scores standardised over the candidates (as hybrid-blend.ts standardises full vectors), then
// blended with the artifact's weights; the reasons of every part that found an item are pooled.
import type { TModelArtifact } from "../model-artifact.ts";
import { TopK } from "../top-k.ts";
import type { ContentScoring } from "./content-scoring.ts";
import type { FactorFoldIn, TUserQuery } from "./factor-fold-in.ts";
import type { FactorIndex } from "./factor-index.ts";
import type { NeighbourScoring } from "./neighbour-scoring.ts";
import type { PopularityScoring } from "./popularity-scoring.ts";
import { strongestReasons, userQueryReasons } from "./score-reasons.ts";
import type { TAccept, TReason, TRecommendRequest, TScoredItem } from "./scorer-types.ts";

/** The parts a HYBRID artifact carries; null where it has none. */
export type THybridParts = {
  factors: { index: FactorIndex; foldIn: FactorFoldIn } | null;
  neighbours: NeighbourScoring | null;
  popularity: PopularityScoring;
  content: ContentScoring | null;
};

export class HybridScoring {
  constructor(
    private readonly artifact: TModelArtifact,
    private readonly parts: THybridParts,
    private readonly maxReasons: number,
  ) {}

  recommend(request: TRecommendRequest, first: number, accept: TAccept): TScoredItem[] {
    const { artifact, parts, maxReasons } = this;
    const blend = artifact.blend ?? {};
    const pool = Math.max(50, first * 5);
    const candidates = new Map<number, { parts: [number, number, number, number]; reasons: TReason[] }>();
    const add = (item: number, part: 0 | 1 | 2 | 3, score: number, reasons: TReason[]) => {
      let entry = candidates.get(item);
      if (!entry) {
        entry = { parts: [Number.NaN, Number.NaN, artifact.popularity[item]!, Number.NaN], reasons: [] };
        candidates.set(item, entry);
      }
      entry.parts[part] = score;
      entry.reasons.push(...reasons);
    };
    let query: TUserQuery | null = null;
    if (parts.factors && (blend.factors ?? 0) > 0) {
      query = parts.factors.foldIn.userVector(request.user, request.history);
      for (const { item, score } of parts.factors.index.search(query.vector, pool, accept))
        add(item, 0, score, []);
    }
    if (parts.neighbours && (blend.neighbours ?? 0) > 0 && request.history.items.length > 0) {
      for (const found of parts.neighbours.fromHistory(request.history, pool, accept, maxReasons))
        add(found.item, 1, found.score, found.reasons);
    }
    for (const found of parts.popularity.top(Math.min(pool, 20), accept)) add(found.item, 2, found.score, []);
    if (parts.content && (blend.content ?? 0) > 0) {
      const q = parts.content.userVector(request.user, request.history);
      for (const { item, score } of parts.content.search(q, pool, accept)) {
        add(item, 3, score, parts.content.reasons(item, q, maxReasons));
      }
    }
    // Parts missing for a candidate score as that part's candidate minimum (0 after standardising is the mean).
    const entries = [...candidates.entries()];
    const weights = [blend.factors ?? 0, blend.neighbours ?? 0, blend.popularity ?? 0, blend.content ?? 0];
    const z = [0, 1, 2, 3].map((p) => standardise(entries.map(([, e]) => e.parts[p]!)));
    const top = new TopK(first);
    entries.forEach(([item], i) => {
      top.push(
        item,
        weights.reduce((sum, w, p) => sum + w * z[p]![i]!, 0),
      );
    });
    return top.toList().map(({ item, score }) => {
      const entry = candidates.get(item)!;
      const reasons =
        query && artifact.factors
          ? [...entry.reasons, ...userQueryReasons(artifact.factors, item, query, maxReasons)]
          : entry.reasons;
      const unique = strongestReasons(reasons, maxReasons);
      return {
        item,
        score,
        reasons: unique.length > 0 ? unique : [{ kind: "POPULARITY", weight: entry.parts[2] }],
      };
    });
  }
}

/** z-scores of the finite values; a missing (NaN) value scores as the minimum of the others. */
const standardise = (values: number[]): number[] => {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return values.map(() => 0);
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length) || 1;
  const min = Math.min(...finite);
  return values.map((v) => ((Number.isFinite(v) ? v : min) - mean) / sd);
};
