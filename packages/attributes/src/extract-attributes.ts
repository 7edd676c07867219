import { COLOURS, MATERIALS, NUMBER_WORDS, PRODUCT_TYPES, SIZE_WORDS } from "./dictionaries.ts";
import { createPhraseMatcher, type TPhraseMatch, tokenize } from "./phrase-matcher.ts";

export type TAttributes = {
  /** The first colour named (canonical, e.g. "grey" for "charcoal"). */
  colour: string | null;
  /** Every colour named, in order, without repeats. */
  colours: string[];
  material: string | null;
  /** Dimensions ("45 x 45 cm"), a measure ("500 ml"), a stated size ("size 38") or a size word ("large"). */
  size: string | null;
  /** Items per pack ("set of 4", "12 pack", "pair"); null when the text states none. */
  packQuantity: number | null;
  brand: string | null;
  productType: string | null;
  category: string | null;
};

export type TAttributeExtractor = { extract: (text: string) => TAttributes };

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const LENGTH_UNIT = String.raw`(mm|cm|m|in|inch|inches|ft)`;
const MEASURE_UNIT = String.raw`(mm|cm|m|ml|cl|l|ltr|litre|litres|liter|liters|g|kg|oz|lb|in|inch|inches|w)`;
// "45 x 45 cm", "30x20x10cm", "10 by 15 inches": two or three numbers joined by x / by, one unit.
const DIMENSIONS = new RegExp(
  String.raw`\b${NUMBER}\s*(?:x|×|by)\s*${NUMBER}(?:\s*(?:x|×|by)\s*${NUMBER})?\s*${LENGTH_UNIT}\b`,
  "i",
);
// "2 x 5 kg": a count of a measured thing (pack of 2, each 5 kg), not dimensions.
const COUNT_TIMES_MEASURE = new RegExp(String.raw`\b(\d{1,3})\s*x\s*${NUMBER}\s*(kg|g|ml|l|cl|oz)\b`, "i");
const MEASURE = new RegExp(String.raw`\b${NUMBER}\s*${MEASURE_UNIT}\b`, "i");
const STATED_SIZE = /\bsize\s*[:-]?\s*([0-9]{1,3}(?:[.,]5)?|xxs|xs|s|m|l|xl|xxl|xxxl)\b/i;
const PACK_PATTERNS: RegExp[] = [
  /\b(?:set|pack|box|bag|tube|tin|bundle|case|packet|jar|roll|card)s?\s*(?:of\s*|\/\s*)?(\d{1,4})\b(?!\s*(?:mm|cm|m|ml|l|g|kg|oz|%))/i,
  /\b(\d{1,4})\s*(?:-\s*)?(?:pack|pk|pcs|pc|pieces?|count|ct)\b/i,
  // A title that opens with a count: "12 PENCILS SMALL TUBE", "72 SWEETHEART FAIRY CAKE CASES".
  /^\s*(\d{1,4})\s+(?!(?:mm|cm|m|ml|cl|l|g|kg|oz|lb|in|inch|inches|w|x|by)\b)[a-z]/i,
];
const PACK_WORDS = new RegExp(
  String.raw`\b(?:set|pack|box) of (${Object.keys(NUMBER_WORDS).join("|")})\b`,
  "i",
);

const UNIT_NAMES: Record<string, string> = {
  inches: "in",
  inch: "in",
  ltr: "l",
  litre: "l",
  litres: "l",
  liter: "l",
  liters: "l",
};
const unit = (raw: string) => {
  const lower = raw.toLowerCase();
  return UNIT_NAMES[lower] ?? (lower === "l" ? "L" : lower === "w" ? "W" : lower);
};
const num = (raw: string) => raw.replace(",", ".");

const typeEntries = Object.fromEntries(Object.entries(PRODUCT_TYPES).map(([k, v]) => [k, v.phrases]));

const findSize = (text: string, tokens: string[], sizeWords: ReturnType<typeof createPhraseMatcher>) => {
  const counted = COUNT_TIMES_MEASURE.exec(text);
  if (counted) return { size: `${num(counted[2]!)} ${unit(counted[3]!)}`, pack: Number(counted[1]) };
  const dims = DIMENSIONS.exec(text);
  if (dims) {
    const values = [dims[1], dims[2], dims[3]].filter((v): v is string => v !== undefined).map(num);
    return { size: `${values.join(" x ")} ${unit(dims[4]!)}`, pack: null };
  }
  const measure = MEASURE.exec(text);
  if (measure) return { size: `${num(measure[1]!)} ${unit(measure[2]!)}`, pack: null };
  const stated = STATED_SIZE.exec(text);
  if (stated) return { size: `size ${stated[1]!.toUpperCase()}`, pack: null };
  const word = sizeWords.match(tokens)[0];
  return { size: word?.value ?? null, pack: null };
};

const findPack = (text: string, tokens: string[]): number | null => {
  for (const pattern of PACK_PATTERNS) {
    const m = pattern.exec(text);
    const n = m ? Number(m[1]) : Number.NaN;
    if (n >= 1 && n <= 1000) return n;
  }
  const word = PACK_WORDS.exec(text);
  if (word) return NUMBER_WORDS[word[1]!.toLowerCase()] ?? null;
  if (tokens.includes("pair") || tokens.includes("pairs")) return 2;
  if (tokens.includes("trio")) return 3;
  return null;
};

/** The product type: the longest type phrase, and of equally long ones the last (English head noun). */
const pickType = (matches: TPhraseMatch[]): string | null => {
  let best: TPhraseMatch | null = null;
  for (const m of matches) if (!best || m.length >= best.length) best = m;
  return best?.value ?? null;
};

/**
 * An extractor over the project's dictionaries plus `brands` (e.g. the distinct values of a catalogue's
 * brand column). Pure and deterministic; a few microseconds per title.
 */
export const createAttributeExtractor = (
  options: { brands?: readonly string[] } = {},
): TAttributeExtractor => {
  const colours = createPhraseMatcher(COLOURS);
  const materials = createPhraseMatcher(MATERIALS);
  const types = createPhraseMatcher(typeEntries);
  const sizeWords = createPhraseMatcher(SIZE_WORDS);
  const brandList = [...new Set((options.brands ?? []).map((b) => b.trim()).filter((b) => b !== ""))];
  const brands = createPhraseMatcher(Object.fromEntries(brandList.map((b) => [b, [b]])));
  return {
    extract: (text) => {
      const tokens = tokenize(text);
      const colourMatches = colours.match(tokens);
      const typeMatches = types.match(tokens);
      const { size, pack: countedPack } = findSize(text, tokens, sizeWords);
      const productType = pickType(typeMatches);
      const allColours = [...new Set(colourMatches.map((m) => m.value))];
      return {
        colour: allColours[0] ?? null,
        colours: allColours,
        material: materials.match(tokens)[0]?.value ?? null,
        size,
        packQuantity: countedPack ?? findPack(text, tokens),
        brand: brands.match(tokens)[0]?.value ?? null,
        productType,
        category: productType ? (PRODUCT_TYPES[productType]?.category ?? null) : null,
      };
    },
  };
};
