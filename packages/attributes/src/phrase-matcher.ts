/*
 * Dictionary phrase matching on word tokens: every phrase of every entry is indexed by its word
 * count; a text is matched at each token position, longest phrase first, and a match may end with a
 * plural of the phrase's last word (boxes -> box, tins -> tin, berries -> berry).
 */

export type TPhraseMatch = { value: string; start: number; length: number };

export type TPhraseMatcher = { match: (tokens: readonly string[]) => TPhraseMatch[] };

/** Lower case, accents removed, every run of other characters than letters and digits becomes a space. */
export const tokenize = (text: string): string[] =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((token) => token !== "");

/** Candidate singulars of an English plural; the word itself first. */
const singulars = (word: string): string[] => {
  const out = [word];
  if (word.length > 4 && word.endsWith("ies")) out.push(`${word.slice(0, -3)}y`);
  if (word.length > 3 && word.endsWith("es")) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith("s") && !word.endsWith("ss")) out.push(word.slice(0, -1));
  return out;
};

export const createPhraseMatcher = (entries: Record<string, readonly string[]>): TPhraseMatcher => {
  const index = new Map<string, string>();
  let longest = 1;
  for (const [value, phrases] of Object.entries(entries)) {
    for (const phrase of [value, ...phrases]) {
      const key = tokenize(phrase).join(" ");
      if (key === "" || index.has(key)) continue;
      index.set(key, value);
      longest = Math.max(longest, key.split(" ").length);
    }
  }
  const lookup = (words: readonly string[]): string | undefined => {
    const head = words.slice(0, -1).join(" ");
    for (const last of singulars(words[words.length - 1]!)) {
      const found = index.get(head === "" ? last : `${head} ${last}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    match: (tokens) => {
      const found: TPhraseMatch[] = [];
      for (let start = 0; start < tokens.length; start++) {
        for (let length = Math.min(longest, tokens.length - start); length >= 1; length--) {
          const value = lookup(tokens.slice(start, start + length));
          if (value !== undefined) {
            found.push({ value, start, length });
            break;
          }
        }
      }
      // Keep the longest of overlapping matches ("light blue" hides the "blue" inside it).
      const kept: TPhraseMatch[] = [];
      const sorted = [...found].sort((a, b) => b.length - a.length || a.start - b.start);
      for (const m of sorted) {
        if (kept.every((k) => m.start + m.length <= k.start || k.start + k.length <= m.start)) kept.push(m);
      }
      return kept.sort((a, b) => a.start - b.start);
    },
  };
};
