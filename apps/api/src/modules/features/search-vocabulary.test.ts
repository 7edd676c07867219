import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import { mapSearchColumns } from "./search-schema.ts";
import { parseVocabularyWord } from "./search-vocabulary.service.ts";

const COLUMNS = [
  { name: "item_id", type: "text", role: "itemId" },
  { name: "title", type: "text", role: "title" },
];

describe("parseVocabularyWord", () => {
  it("folds one word as the engine does", () => {
    expect(parseVocabularyWord("  Crème ", "word")).toBe("creme");
  });

  it.each([
    ["tee shirt", /word: "tee shirt" is more than one word/],
    ["--", /word: "--" has no letter or digit/],
    ["a\u0000b", /word: must not contain NUL/],
    ["x".repeat(41), /word: a word of at most 40 characters/],
  ])("refuses %j, naming the field", (raw, message) => {
    let caught: unknown;
    try {
      parseVocabularyWord(raw, "word");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("BAD_USER_INPUT");
    expect((caught as AppError).message).toMatch(message);
  });
});

describe("mapSearchColumns with a vocabulary", () => {
  it("keeps the fingerprint of an empty vocabulary and changes it with synonyms or stop words", () => {
    const plain = mapSearchColumns(COLUMNS)!;
    expect(mapSearchColumns(COLUMNS, { synonyms: [], stopWords: [] })!.fingerprint).toBe(plain.fingerprint);
    const withSynonyms = mapSearchColumns(COLUMNS, { synonyms: [["sofa", "couch"]], stopWords: [] })!;
    expect(withSynonyms.schema.synonyms).toEqual([["sofa", "couch"]]);
    expect(withSynonyms.fingerprint).not.toBe(plain.fingerprint);
    const withStops = mapSearchColumns(COLUMNS, { synonyms: [], stopWords: ["premium"] })!;
    expect(withStops.schema.stopWords).toContain("premium");
    expect(withStops.schema.stopWords).toContain("the");
    expect(withStops.fingerprint).not.toBe(plain.fingerprint);
  });
});
