import { mulberry32 } from "@dam/vocabulary/prng";
import { buildSearchIndex } from "./search-index.ts";
import type { TSearchDocument, TSearchSchema } from "./search-types.ts";

/** The three-document corpus of the hand-worked BM25F values in search-query.test.ts. */
export const TINY_SCHEMA: TSearchSchema = {
  idField: "id",
  textFields: [
    { name: "title", weight: 2, b: 0.5 },
    { name: "body", weight: 1, b: 0.75 },
    { name: "sku", weight: 1, typos: false, prefix: false },
  ],
  facetFields: ["colour"],
  numericFields: ["price"],
  k1: 1.2,
};

export const TINY_DOCS: TSearchDocument[] = [
  { id: "d1", title: "red mug", body: "a red ceramic mug", colour: "red", price: 8, sku: "AB12345" },
  { id: "d2", title: "blue mug", body: "blue mug", colour: "blue", price: 6, sku: "AB12346" },
  {
    id: "d3",
    title: "red lamp",
    body: "ceramic lamp with red shade",
    colour: "red",
    price: 30,
    sku: "CD99999",
  },
];

export const tinyIndex = () => buildSearchIndex(TINY_DOCS, TINY_SCHEMA);

/** A seeded generated catalogue (the platform's PRNG) for properties that need more than three documents. */
export const generatedDocs = (count: number, seed = 7): TSearchDocument[] => {
  const next = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const colours = ["red", "black", "white", "navy", "teal"];
  const materials = ["ceramic", "steel", "glass", "bamboo", "cotton"];
  const types = ["mug", "kettle", "lamp", "blanket", "bowl", "knife"];
  const brands = ["Nordvik", "Ashgrove", "Kettleby"];
  return Array.from({ length: count }, (_, i) => {
    const colour = pick(colours);
    const material = pick(materials);
    const type = pick(types);
    const brand = pick(brands);
    return {
      id: `p${i}`,
      title: `${brand} ${material} ${type}, ${colour}`,
      body: `A ${type} made from ${material}. ${next() < 0.5 ? `Lovely in ${colour}.` : ""}`,
      colour,
      price: Math.round(next() * 10_000) / 100,
      sku: `SKU${100000 + i}`,
    };
  });
};
