import { describe, expect, it } from "vitest";
import {
  createLexicalEmbedder,
  createLexicalEmbedderFromState,
  fitLexicalState,
  LEXICAL_MODEL_ID,
  smoothIdf,
} from "./lexical-embedder.ts";
import { extractFeatures } from "./lexical-features.ts";
import { murmur3 } from "./murmur3-hash.ts";
import { dot, norm } from "./vector-norm.ts";

const TITLES = [
  "white ceramic coffee mug",
  "red ceramic tea mug",
  "ceramic mug with red hearts",
  "garden hose 20m green",
  "expanding garden hose reel",
  "set of 6 cake cases",
  "vintage doily cake stand",
  "wooden picture frame",
];

describe("lexical features", () => {
  it("extracts word unigrams, bigrams and boundary-marked character 3-grams", () => {
    expect(extractFeatures("Red MUG")).toEqual([
      "w:red",
      "c:<re",
      "c:red",
      "c:ed>",
      "w:mug",
      "b:red mug",
      "c:<mu",
      "c:mug",
      "c:ug>",
    ]);
    expect(extractFeatures("  ,;  ")).toEqual([]);
  });
});

describe("IDF fitted on a 3-document corpus", () => {
  const corpus = ["red mug", "red cup", "blue bowl"];
  // Hand-computed smooth IDF with n = 3: ln(4 / (1 + df)) + 1.
  const IDF_DF1 = Math.LN2 + 1; // ln(4/2) + 1 = 1.693147...
  const IDF_DF2 = 0.2876820724517809 + 1; // ln(4/3) + 1

  it("counts document frequencies per feature", () => {
    const state = fitLexicalState(corpus, { dimension: 1 << 20, seed: 42 });
    const dfOf = (feature: string) => {
      const at = state.features.indexOf(murmur3(feature, 42));
      return at < 0 ? 0 : state.documentFrequencies[at];
    };
    expect(state.documents).toBe(3);
    expect(dfOf("w:red")).toBe(2);
    expect(dfOf("w:mug")).toBe(1);
    expect(dfOf("b:red mug")).toBe(1);
    expect(dfOf("c:<bl")).toBe(1);
    expect(dfOf("w:plate")).toBe(0);
    expect(smoothIdf(3, 2)).toBeCloseTo(IDF_DF2, 12);
    expect(smoothIdf(3, 1)).toBeCloseTo(IDF_DF1, 12);
    expect(smoothIdf(3, 3)).toBe(1);
  });

  it("weights each feature by tf * idf and L2-normalises", async () => {
    const embedder = createLexicalEmbedder(corpus, { dimension: 1 << 20, seed: 42 });
    const [vector] = await embedder.embed(["red mug"]);
    // "red mug": w:red and its three 3-grams have df 2; w:mug, the bigram and mug's 3-grams df 1.
    const length = Math.sqrt(4 * IDF_DF2 ** 2 + 5 * IDF_DF1 ** 2); // 4.57890...
    const component = (feature: string) => {
      const hash = murmur3(feature, 42);
      return vector![hash % (1 << 20)]! * (hash >>> 31 === 1 ? -1 : 1);
    };
    expect(component("w:red")).toBeCloseTo(IDF_DF2 / length, 6); // 0.28122
    expect(component("w:mug")).toBeCloseTo(IDF_DF1 / length, 6); // 0.36977
    expect(component("b:red mug")).toBeCloseTo(IDF_DF1 / length, 6);
    expect(norm(vector!)).toBeCloseTo(1, 6);
    // 9 features in 2^20 buckets: exactly 9 non-zero components.
    expect(vector!.filter((x) => x !== 0).length).toBe(9);
  });
});

describe("lexical embedder", () => {
  it("is deterministic and rebuilds identically from its JSON state", async () => {
    const a = createLexicalEmbedder(TITLES, { dimension: 128, seed: 7 });
    const b = createLexicalEmbedder(TITLES, { dimension: 128, seed: 7 });
    const rebuilt = createLexicalEmbedderFromState(JSON.parse(JSON.stringify(a.state)));
    const texts = ["red ceramic mug", "garden hose", ""];
    const [va, vb, vr] = await Promise.all([a.embed(texts), b.embed(texts), rebuilt.embed(texts)]);
    expect(vb).toEqual(va);
    expect(vr).toEqual(va);
    expect(rebuilt.modelVersion).toBe(a.modelVersion);
    expect(a.modelId).toBe(LEXICAL_MODEL_ID);
    expect(a.dimension).toBe(128);
    expect(va[0]!.length).toBe(128);
    expect(Array.from(va[2]!).every((x) => x === 0)).toBe(true);
  });

  it("changes version with the seed, the dimension or the corpus", () => {
    const base = createLexicalEmbedder(TITLES, { dimension: 128, seed: 7 }).modelVersion;
    expect(createLexicalEmbedder(TITLES, { dimension: 128, seed: 8 }).modelVersion).not.toBe(base);
    expect(createLexicalEmbedder(TITLES, { dimension: 256, seed: 7 }).modelVersion).not.toBe(base);
    expect(createLexicalEmbedder(TITLES.slice(1), { dimension: 128, seed: 7 }).modelVersion).not.toBe(base);
  });

  it("puts similar titles closer than unrelated ones", async () => {
    const embedder = createLexicalEmbedder(TITLES, { seed: 1 });
    const [mug, cup, hose, stand] = await embedder.embed([
      "red ceramic mug",
      "ceramic coffee mug red",
      "garden hose",
      "cake stand",
    ]);
    expect(dot(mug!, cup!)).toBeGreaterThan(0.5);
    expect(dot(mug!, cup!)).toBeGreaterThan(dot(mug!, hose!) + 0.4);
    expect(dot(mug!, cup!)).toBeGreaterThan(dot(mug!, stand!) + 0.4);
    // Plurals share character 3-grams.
    const [mugs, mugOnly, hoses] = await embedder.embed(["mugs", "mug", "hoses"]);
    expect(dot(mugs!, mugOnly!)).toBeGreaterThan(dot(mugs!, hoses!) + 0.2);
  });

  it("rejects a dimension out of range", () => {
    expect(() => createLexicalEmbedder(TITLES, { dimension: 0 })).toThrow(/dimension/);
    expect(() => createLexicalEmbedder(TITLES, { dimension: 1.5 })).toThrow(/dimension/);
  });
});
