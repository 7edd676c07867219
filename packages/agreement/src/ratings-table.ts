import { AgreementInputError, type TCategory, type TRatingsTable } from "./agreement-types.ts";

// Every statistic works on integer category codes in typed arrays: the table is validated and
// encoded once, so the statistics never meet strings, nulls or ragged rows.

export type TEncodedRatings = {
  items: number;
  raters: number;
  /** Category of each code, in scale order (the declared order, else ascending). */
  categories: TCategory[];
  /** True when the order of `categories` was declared by the caller rather than sorted. */
  declaredOrder: boolean;
  /** `codes[item * raters + rater]` is an index into `categories`, -1 when the rating is missing. */
  codes: Int32Array;
  /** Non-missing ratings in the table. */
  ratingCount: number;
};

export type TEncodeOptions = {
  /**
   * The full label scale in order, e.g. [0, 1, 2, 3] for graded relevance. Needed when a scale point
   * may be unused (weights and ordinal distances count scale positions) and to order string labels.
   */
  categories?: readonly TCategory[];
};

const kindOf = (value: TCategory): "number" | "string" => (typeof value === "number" ? "number" : "string");

const checkCategory = (
  value: unknown,
  where: { item?: number; rater?: number },
  label: string,
): TCategory => {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new AgreementInputError(
    `${label}: ${String(value)} is not a label (use a finite number, a string or null)`,
    where,
  );
};

const sortCategories = (values: TCategory[]): TCategory[] =>
  // Code-unit order for strings (not localeCompare) so the encoding never depends on the machine's locale.
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const declaredScale = (declared: readonly TCategory[]): Map<TCategory, number> => {
  if (declared.length === 0) throw new AgreementInputError("categories: the declared scale is empty");
  const index = new Map<TCategory, number>();
  const kind = kindOf(declared[0] as TCategory);
  declared.forEach((raw, i) => {
    const value = checkCategory(raw, {}, `categories[${i}]`);
    if (kindOf(value) !== kind) throw new AgreementInputError(`categories[${i}]: mixes numbers and strings`);
    if (index.has(value)) throw new AgreementInputError(`categories[${i}]: ${String(value)} is listed twice`);
    index.set(value, i);
  });
  return index;
};

/** Validates an items x raters table and encodes it; throws AgreementInputError naming the cell. */
export const encodeRatings = (table: TRatingsTable, options: TEncodeOptions = {}): TEncodedRatings => {
  const items = table.length;
  const raters = table[0]?.length ?? 0;
  let kind: "number" | "string" | null = null;
  const seen = new Set<TCategory>();
  table.forEach((row, item) => {
    if (row.length !== raters) {
      throw new AgreementInputError(
        `item ${item} has ${row.length} entries, expected ${raters} (one per rater, null when missing)`,
        { item },
      );
    }
    row.forEach((raw, rater) => {
      if (raw === null) return;
      const value = checkCategory(raw, { item, rater }, `item ${item}, rater ${rater}`);
      const k = kindOf(value);
      if (kind !== null && k !== kind) {
        throw new AgreementInputError(`item ${item}, rater ${rater}: mixes ${k} labels with ${kind} labels`, {
          item,
          rater,
        });
      }
      kind = k;
      seen.add(value);
    });
  });

  const declared = options.categories;
  const categories = declared ? [...declared] : sortCategories([...seen]);
  const index = declared ? declaredScale(declared) : new Map(categories.map((c, i) => [c, i]));

  const codes = new Int32Array(items * raters).fill(-1);
  let ratingCount = 0;
  table.forEach((row, item) => {
    row.forEach((value, rater) => {
      if (value === null) return;
      const code = index.get(value);
      if (code === undefined) {
        throw new AgreementInputError(
          `item ${item}, rater ${rater}: ${String(value)} is not in the declared categories`,
          {
            item,
            rater,
          },
        );
      }
      codes[item * raters + rater] = code;
      ratingCount++;
    });
  });
  return { items, raters, categories, declaredOrder: declared !== undefined, codes, ratingCount };
};

/** Fleiss' n_ij: `counts[item * k + j]` = raters who put item i in category j. */
export const countByItem = (encoded: TEncodedRatings): Float64Array => {
  const k = encoded.categories.length;
  const counts = new Float64Array(encoded.items * k);
  for (let i = 0; i < encoded.items; i++) {
    for (let r = 0; r < encoded.raters; r++) {
      const code = encoded.codes[i * encoded.raters + r] as number;
      if (code >= 0) counts[i * k + code] = (counts[i * k + code] as number) + 1;
    }
  }
  return counts;
};

/** Row sums of an items x k count matrix: the number of ratings of each item. */
export const totalsByItem = (counts: Float64Array, items: number, k: number): Float64Array => {
  const totals = new Float64Array(items);
  for (let i = 0; i < items; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += counts[i * k + j] as number;
    totals[i] = sum;
  }
  return totals;
};

/**
 * Ordered statistics (weighted kappa, ordinal alpha) need a meaningful order. Numbers have one;
 * strings sorted alphabetically usually do not ("high" < "low" < "medium"), so they must be declared.
 */
export const requireOrder = (encoded: TEncodedRatings, what: string): void => {
  if (encoded.declaredOrder) return;
  if (encoded.categories.some((c) => typeof c === "string")) {
    throw new AgreementInputError(
      `${what} needs ordered labels: pass \`categories\` in scale order for string labels`,
    );
  }
};

/** Interval and ratio differences are taken between the label values themselves, so labels must be numbers. */
export const numericValues = (encoded: TEncodedRatings, what: string): Float64Array => {
  const values = new Float64Array(encoded.categories.length);
  encoded.categories.forEach((c, i) => {
    if (typeof c !== "number") throw new AgreementInputError(`${what} needs numeric labels, got "${c}"`);
    values[i] = c;
  });
  return values;
};
