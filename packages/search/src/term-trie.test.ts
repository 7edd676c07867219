import { describe, expect, it } from "vitest";
import { TermTrie } from "./term-trie.ts";

const trie = () => {
  const t = new TermTrie();
  ["kettle", "kettles", "cattle", "lamp", "lampshade", "kettleby"].forEach((key, i) => {
    t.add(key, i);
  });
  return t;
};
const found = (matches: { key: string; distance: number; completion: boolean }[]) =>
  Object.fromEntries(matches.map((m) => [m.key, [m.distance, m.completion]]));

describe("TermTrie bounded edit-distance walk", () => {
  it("finds keys within the bound: deletion, insertion, substitution and transposition count one", () => {
    expect(found(trie().search("ketle", 1, false))).toEqual({ kettle: [1, false] });
    // kettel -> kettle is one transposition; kettles is two edits away.
    expect(found(trie().search("kettel", 1, false))).toEqual({ kettle: [1, false] });
    expect(found(trie().search("kettel", 2, false))).toEqual({ kettle: [1, false], kettles: [2, false] });
    expect(found(trie().search("kettlee", 1, false))).toEqual({ kettle: [1, false], kettles: [1, false] });
    expect(found(trie().search("kattle", 1, false))).toEqual({ kettle: [1, false], cattle: [1, false] });
  });
  it("never returns a key beyond the bound", () => {
    expect(trie().search("kottel", 1, false)).toEqual([]);
    expect(found(trie().search("kottel", 2, false))).toEqual({ kettle: [2, false] });
    expect(trie().search("lmap", 0, false)).toEqual([]);
    expect(found(trie().search("lmap", 1, false))).toEqual({ lamp: [1, false] });
  });
  it("in prefix mode a key matches by its closest prefix and says it was completed", () => {
    expect(found(trie().search("lam", 0, true))).toEqual({ lamp: [0, true], lampshade: [0, true] });
    expect(found(trie().search("lamp", 0, true))).toEqual({ lamp: [0, false], lampshade: [0, true] });
    expect(found(trie().search("kettl", 1, true))).toEqual({
      kettle: [0, true],
      kettles: [0, true],
      kettleby: [0, true],
    });
  });
});
