import { describe, expect, it } from "vitest";
import { createAttributeExtractor } from "./extract-attributes.ts";
import { createPhraseMatcher, tokenize } from "./phrase-matcher.ts";

const extractor = createAttributeExtractor({ brands: ["Acme", "Casa Nova"] });
const pick = (text: string, keys: (keyof ReturnType<typeof extractor.extract>)[]) => {
  const all = extractor.extract(text);
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
};

describe("phrase matcher", () => {
  it("prefers the longest phrase and matches plurals of the last word", () => {
    const m = createPhraseMatcher({ blue: ["blue"], "light blue": ["light blue"], box: ["box"] });
    expect(m.match(tokenize("Light-Blue BOXES"))).toEqual([
      { value: "light blue", start: 0, length: 2 },
      { value: "box", start: 2, length: 1 },
    ]);
    expect(m.match(tokenize("bluebird"))).toEqual([]);
  });
});

describe("hand cases (UCI-style upper case titles)", () => {
  it("WHITE HANGING HEART T-LIGHT HOLDER", () => {
    expect(
      pick("WHITE HANGING HEART T-LIGHT HOLDER", ["colour", "productType", "category", "packQuantity"]),
    ).toEqual({
      colour: "white",
      productType: "candle holder",
      category: "Home Decor",
      packQuantity: null,
    });
  });

  it("SET OF 3 CAKE TINS PANTRY DESIGN", () => {
    expect(pick("SET OF 3 CAKE TINS PANTRY DESIGN", ["productType", "packQuantity", "material"])).toEqual({
      productType: "cake tin",
      packQuantity: 3,
      material: null,
    });
  });

  it("PACK OF 72 RETROSPOT CAKE CASES", () => {
    expect(pick("PACK OF 72 RETROSPOT CAKE CASES", ["productType", "packQuantity"])).toEqual({
      productType: "cake tin",
      packQuantity: 72,
    });
  });

  it("RED WOOLLY HOTTIE WHITE HEART. lists both colours, the first is the colour", () => {
    expect(pick("RED WOOLLY HOTTIE WHITE HEART.", ["colour", "colours", "material"])).toEqual({
      colour: "red",
      colours: ["red", "white"],
      material: "wool",
    });
  });

  it("CREAM CUPID HEARTS COAT HANGER: of two one-word types the last (the head noun) wins", () => {
    expect(pick("CREAM CUPID HEARTS COAT HANGER", ["colour", "productType"])).toEqual({
      colour: "cream",
      productType: "hook",
    });
  });

  it("SET/6 RED SPOTTY PAPER CUPS and 12 PENCILS SMALL TUBE SKULL", () => {
    expect(pick("SET/6 RED SPOTTY PAPER CUPS", ["packQuantity", "material", "productType"])).toEqual({
      packQuantity: 6,
      material: "paper",
      productType: "cup",
    });
    expect(pick("12 PENCILS SMALL TUBE SKULL", ["packQuantity", "size", "productType"])).toEqual({
      packQuantity: 12,
      size: "small",
      productType: "pen",
    });
  });
});

describe("hand cases (mixed case shop titles)", () => {
  it("dimensions, brand, colour synonyms and multi-word materials", () => {
    expect(extractor.extract("Casa Nova Velvet Cushion Cover 45 x 45 cm, Sage Green")).toEqual({
      colour: "green",
      colours: ["green"],
      material: "velvet",
      size: "45 x 45 cm",
      packQuantity: null,
      brand: "Casa Nova",
      productType: "cushion cover",
      category: "Home Decor",
    });
  });

  it("measures, N-piece sets and counts of measured things", () => {
    expect(
      pick("Acme Stainless Steel Water Bottle 500ml, Charcoal", [
        "material",
        "size",
        "colour",
        "productType",
      ]),
    ).toEqual({
      material: "stainless steel",
      size: "500 ml",
      colour: "grey",
      productType: "bottle",
    });
    expect(pick("Bamboo Fibre Mixing Bowl Set 5-Piece", ["material", "packQuantity", "productType"])).toEqual(
      {
        material: "bamboo",
        packQuantity: 5,
        productType: "bowl",
      },
    );
    expect(pick("Cast Iron Dumbbell Set 2 x 10 kg", ["material", "packQuantity", "size"])).toEqual({
      material: "cast iron",
      packQuantity: 2,
      size: "10 kg",
    });
    expect(pick("Organic Cotton T-Shirt size M, Navy", ["size", "colour", "productType"])).toEqual({
      size: "size M",
      colour: "navy",
      productType: "t-shirt",
    });
  });

  it("says nothing it cannot find", () => {
    expect(extractor.extract("Mystery item 42")).toEqual({
      colour: null,
      colours: [],
      material: null,
      size: null,
      packQuantity: null,
      brand: null,
      productType: null,
      category: null,
    });
    expect(pick("Pair of Leather Chelsea Boots", ["packQuantity", "material", "productType"])).toEqual({
      packQuantity: 2,
      material: "leather",
      productType: "shoes",
    });
  });
});
