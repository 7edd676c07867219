// Highlights: the words of a hit's text fields whose term is one a query word matched in that hit.
import { tokenize } from "./analyzer.ts";
import type { TSearchIndex } from "./search-index.ts";
import type { THighlight } from "./search-types.ts";

export const buildHighlights = (index: TSearchIndex, doc: number, terms: Set<number>): THighlight[] => {
  const out: THighlight[] = [];
  if (terms.size === 0) return out;
  for (const field of index.fields) {
    const text = field.texts[doc];
    if (!text) continue;
    const ranges: [number, number][] = [];
    for (const token of tokenize(text)) {
      const termId = index.keyToTerm.get(token.word) ?? index.termIds.get(index.analyzer.termOf(token.word));
      if (termId !== undefined && terms.has(termId)) ranges.push([token.start, token.end]);
    }
    if (ranges.length > 0) out.push({ field: field.name, text, ranges });
  }
  return out;
};
