// The one place an engine hit becomes a GraphQL SearchHit (title looked up, scores and highlights
// flattened). Anything that must see or change every hit a client receives (masking, for one) hooks here.
import type { TSearchHit as TEngineHit } from "@dam/search/search-types";
import type { TLoadedSearchIndex } from "./search-index-build.service.ts";

const PLACEMENT_ACTION = { pin: "PIN", boost: "BOOST", bury: "BURY" } as const;

export type TSearchHit = Omit<TEngineHit, "id" | "lexicalScore" | "highlights" | "placement"> & {
  placement: { ruleId: string; action: (typeof PLACEMENT_ACTION)[keyof typeof PLACEMENT_ACTION] } | null;
  itemId: string;
  title: string | null;
  lexicalScore: number;
  highlights: { field: string; text: string; ranges: number[] }[];
};

export const mapSearchHits = (loaded: TLoadedSearchIndex, hits: readonly TEngineHit[]): TSearchHit[] => {
  const titleField = loaded.mapping.titleColumn
    ? loaded.index.fields.find((field) => field.name === loaded.mapping.titleColumn)
    : undefined;
  return hits.map(({ id, highlights, lexicalScore, placement, ...hit }) => ({
    ...hit,
    placement: placement ? { ruleId: placement.ruleId, action: PLACEMENT_ACTION[placement.action] } : null,
    itemId: id,
    title: titleField?.texts[loaded.index.docOf.get(id)!] ?? null,
    lexicalScore: lexicalScore ?? 0,
    highlights: highlights.map((h) => ({ field: h.field, text: h.text, ranges: h.ranges.flat() })),
  }));
};
