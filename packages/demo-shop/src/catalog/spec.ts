// Shape of the hand-written catalogue vocabulary. Everything here is invented:
// brand names are made up so the demo data never looks like it names real trademarks.

export type ProductTypeSpec = {
  name: string;
  /** Median price (GBP) of the log-normal price distribution for this type. */
  median: number;
  /** Log-space spread; 0.35-0.6 gives realistic within-type variety. */
  sigma: number;
  materials: readonly string[];
  /** How descriptions introduce the material ("made from", "formulated with"...). */
  materialVerb?: string;
  /** Sizes shown after the type name and in the size column; absent when size makes no sense. */
  sizes?: readonly string[];
  /** Title-only variants ("Cookbook: Green Plates"); used for books, which have no size. */
  subtitles?: readonly string[];
  /** Whether colour applies (books and serums have none). */
  coloured: boolean;
  uses: readonly string[];
  features: readonly string[];
};

export type CategorySpec = {
  name: string;
  /** Relative share of the catalogue. */
  weight: number;
  brands: readonly string[];
  types: readonly ProductTypeSpec[];
};

export const COLOURS = [
  "Black",
  "White",
  "Charcoal",
  "Navy",
  "Sage Green",
  "Terracotta",
  "Mustard",
  "Blush Pink",
  "Cream",
  "Teal",
  "Red",
  "Silver",
] as const;
