// The dictionary of words an index knows, as a trie, searched for every word within an edit
// distance of a query word in one walk: each trie node extends the dynamic-programming table of the
// distance by one row, and a subtree is skipped as soon as the smallest cell of its row exceeds the
// bound (K. Shang and T. H. Merrett, "Tries for Approximate String Matching", IEEE TKDE 8(4), 1996).
// The distance is the optimal string alignment distance: Levenshtein's insertions, deletions and
// substitutions plus Damerau's transposition of two adjacent letters (F. J. Damerau, "A technique
// for computer detection and correction of spelling errors", CACM 7(3), 1964), so "kettel" is one
// typo from "kettle" as a shopper would count it.
// In prefix mode a key matches when some prefix of it is within the bound (the last query word
// being typed): the best last cell seen on the path from the root is the key's distance.

type TTrieNode = { children: Map<number, TTrieNode>; termId: number };

export type TTrieMatch = {
  termId: number;
  key: string;
  /** Edits between the query word and the key (or the key's best prefix, in prefix mode). */
  distance: number;
  /** True when only a prefix of the key matched (a completion of the query word). */
  completion: boolean;
};

const newNode = (): TTrieNode => ({ children: new Map(), termId: -1 });

export class TermTrie {
  private readonly root = newNode();
  private size = 0;

  get keys(): number {
    return this.size;
  }

  /** Adds a key for a term; a key added twice keeps its first term. */
  add(key: string, termId: number): void {
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      let child = node.children.get(code);
      if (!child) {
        child = newNode();
        node.children.set(code, child);
      }
      node = child;
    }
    if (node.termId < 0) {
      node.termId = termId;
      this.size++;
    }
  }

  /**
   * Every key within `maxDistance` edits of `word` (of a prefix of the key when `prefix`), with its
   * distance. A key reached by several paths is reported once, at its smallest distance.
   */
  search(word: string, maxDistance: number, prefix: boolean): TTrieMatch[] {
    const n = word.length;
    const codes = new Int32Array(n);
    for (let j = 0; j < n; j++) codes[j] = word.charCodeAt(j);
    const first = new Int32Array(n + 1);
    for (let j = 0; j <= n; j++) first[j] = j;
    const out: TTrieMatch[] = [];
    const chars: number[] = [];

    const visit = (
      node: TTrieNode,
      code: number,
      previousCode: number,
      above: Int32Array,
      twoAbove: Int32Array | null,
      bestPrefix: number,
    ): void => {
      const row = new Int32Array(n + 1);
      row[0] = above[0]! + 1;
      let rowMin = row[0]!;
      for (let j = 1; j <= n; j++) {
        const cost = codes[j - 1] === code ? 0 : 1;
        let value = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
        if (twoAbove && j > 1 && codes[j - 1] === previousCode && codes[j - 2] === code) {
          value = Math.min(value, twoAbove[j - 2]! + 1);
        }
        row[j] = value;
        if (value < rowMin) rowMin = value;
      }
      const last = row[n]!;
      const best = prefix ? Math.min(bestPrefix, last) : last;
      chars.push(code);
      if (node.termId >= 0 && best <= maxDistance) {
        out.push({
          termId: node.termId,
          key: String.fromCharCode(...chars),
          distance: best,
          completion: best < last,
        });
      }
      if (rowMin <= maxDistance || (prefix && best <= maxDistance)) {
        for (const [childCode, child] of node.children) visit(child, childCode, code, row, above, best);
      }
      chars.pop();
    };

    for (const [code, child] of this.root.children) visit(child, code, -1, first, null, n === 0 ? 0 : n);
    return out;
  }
}
