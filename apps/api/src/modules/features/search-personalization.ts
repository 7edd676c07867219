// Personalisation of a catalogue search: the shopper's affinity to each candidate from their taste
// (shopper-profiles/shopper-taste.service.ts): the cosine of their profile vector with the item's vector,
// centred over the candidates, and their segment's affinity to the item's category. The engine
// (@dam/search/personalization) scales relevance by (1 + w x affinity) within its bounded weight.
import { centredAffinities, cosine } from "@dam/search/personalization";
import type { TPersonalization } from "@dam/search/search-types";
import type { TShopperTaste } from "../shopper-profiles/shopper-taste.service.ts";
import type { TLoadedSearchIndex } from "./search-index-build.service.ts";

/** The first value of the category column of an indexed item; null when the catalogue has none. */
const categoryReader = (loaded: TLoadedSearchIndex): ((id: string) => string | null) => {
  const column = loaded.mapping.roles.category
    ? loaded.index.facets.get(loaded.mapping.roles.category)
    : null;
  return (id) => {
    const doc = loaded.index.docOf.get(id);
    if (!column || doc === undefined) return null;
    const start = column.starts[doc]!;
    return start < column.starts[doc + 1]! ? column.values[column.vals[start]!]! : null;
  };
};

/**
 * Affinities of candidates to a shopper in [-1, 1]: the mean of the signals the taste has (profile
 * vector, segment), each already in [-1, 1]; an item a signal knows nothing of gets 0 from it.
 */
export const shopperAffinities = (
  taste: TShopperTaste,
  categoryOf: (id: string) => string | null,
  ids: readonly string[],
): Float64Array => {
  const signals: ArrayLike<number>[] = [];
  const { vector, itemVectors, segment } = taste;
  if (vector && itemVectors && itemVectors.dimension === vector.length) {
    const similarities = ids.map((id) => {
      const row = itemVectors.index.get(id);
      return row === undefined ? Number.NaN : cosine(vector, itemVectors.data, row * itemVectors.dimension);
    });
    signals.push(centredAffinities(similarities));
  }
  if (segment) {
    signals.push(
      ids.map((id) => {
        const category = categoryOf(id);
        return category === null ? 0 : (segment.categoryAffinity.get(category) ?? 0);
      }),
    );
  }
  const out = new Float64Array(ids.length);
  if (signals.length === 0) return out;
  for (let i = 0; i < ids.length; i++) {
    let sum = 0;
    for (const signal of signals) sum += signal[i]!;
    out[i] = sum / signals.length;
  }
  return out;
};

/** The engine's personalisation for a shopper's taste over an index. */
export const personalizationFor = (
  loaded: TLoadedSearchIndex,
  taste: TShopperTaste,
  weight: number,
): TPersonalization => {
  const categoryOf = categoryReader(loaded);
  return { weight, affinityOf: (ids) => shopperAffinities(taste, categoryOf, ids) };
};

/** Which signals a taste personalises by, for the search result. */
export const tasteSignals = (taste: TShopperTaste): string[] => [
  ...(taste.vector && taste.itemVectors ? ["profileVector"] : []),
  ...(taste.segment ? ["segment"] : []),
];
