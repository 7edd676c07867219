// Autocomplete: completions of the last word being typed, ranked by how many documents contain the
// completion together with every earlier word of the prefix (document frequency when it is the
// first word), so "chef k" offers "knife" before "kettle".
import { tokenize } from "./analyzer.ts";
import type { TSearchIndex } from "./search-index.ts";
import { maxTypoBudget } from "./word-variants.ts";

export type TSuggestion = { text: string; documents: number };

const intersectCount = (lists: Int32Array[]): number => {
  if (lists.length === 0) return 0;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let current: Int32Array = sorted[0]!;
  for (const other of sorted.slice(1)) {
    const next: number[] = [];
    let j = 0;
    for (const doc of current) {
      while (j < other.length && other[j]! < doc) j++;
      if (other[j] === doc) next.push(doc);
    }
    current = Int32Array.from(next);
  }
  return current.length;
};

export const suggestCompletions = (index: TSearchIndex, prefix: string, limit = 8): TSuggestion[] => {
  const tokens = tokenize(prefix);
  const last = tokens[tokens.length - 1];
  if (!last || last.end !== prefix.length) return [];
  const head = tokens.slice(0, -1);
  const headTerms = head
    .filter((token) => !index.analyzer.isStopWord(token.word))
    .map((token) => index.termIds.get(index.analyzer.termOf(token.word)));
  if (headTerms.some((id) => id === undefined)) return [];
  const headPostings = headTerms.map((id) => index.postings[id!]!.docs);
  const budget = last.word.length >= 4 ? Math.min(1, maxTypoBudget(index, last.word.length)) : 0;
  const byKey = new Map<string, TSuggestion>();
  const stem = prefix.slice(0, last.start);
  for (const match of index.trie.search(last.word, budget, true)) {
    if (!index.surfaceKeys.has(match.key)) continue;
    const documents = intersectCount([...headPostings, index.postings[match.termId]!.docs]);
    if (documents === 0) continue;
    const text = `${stem}${match.key}`;
    const score = documents / (1 + match.distance);
    const seen = byKey.get(text);
    if (!seen || seen.documents < score) byKey.set(text, { text, documents });
  }
  return [...byKey.values()]
    .sort((a, b) => b.documents - a.documents || a.text.localeCompare(b.text))
    .slice(0, limit);
};
