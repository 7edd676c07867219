// The in-memory index of one catalogue version: per term a postings list (documents and the term's
// frequency in each text field), per text field the documents' BM25F length norms, a trie of every
// indexed word (surface forms and their terms) for typo and prefix expansion, and columnar facet
// values and numbers for filters, facets and sorting. Built once, read by any number of queries.
import { createAnalyzer, type TAnalyzer, tokenize } from "./analyzer.ts";
import { DEFAULT_B, DEFAULT_K1, inverseLengthNorm } from "./bm25f.ts";
import type { TFieldValue, TSearchDocument, TSearchSchema } from "./search-types.ts";
import { ENGLISH_STOP_WORDS } from "./stop-words.ts";
import { TermTrie } from "./term-trie.ts";
import { DEFAULT_TYPO_RULE, type TTypoRule } from "./typo-budget.ts";

export type TIndexedField = {
  name: string;
  weight: number;
  b: number;
  typos: TTypoRule | false;
  prefix: boolean;
  /** 1 / B_f per document (bm25f.ts, equation 3.18). */
  inverseNorm: Float64Array;
  /** The field's text per document, for highlights. */
  texts: (string | null)[];
};

/** Postings of one term: documents in increasing order, and tf per (document, field), row-major. */
export type TPostings = { docs: Int32Array; tf: Uint16Array };

export type TFacetColumn = {
  values: string[];
  valueIds: Map<string, number>;
  /** Values of document d are vals[starts[d] .. starts[d + 1]). */
  starts: Int32Array;
  vals: Int32Array;
};

export type TSearchIndex = {
  schema: TSearchSchema;
  analyzer: TAnalyzer;
  k1: number;
  ids: string[];
  docOf: Map<string, number>;
  fields: TIndexedField[];
  /** Term id -> term (stem). */
  terms: string[];
  termIds: Map<string, number>;
  postings: TPostings[];
  /** Every indexed word, surface form or term, -> its term id. */
  keyToTerm: Map<string, number>;
  /** The keys that are words as written in documents (suggestions show those, not stems). */
  surfaceKeys: Set<string>;
  trie: TermTrie;
  /** Term -> terms of its synonyms. */
  synonyms: Map<string, string[]>;
  facets: Map<string, TFacetColumn>;
  numbers: Map<string, Float64Array>;
};

const textOf = (value: TFieldValue): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return value.join(" ");
};

const facetValuesOf = (value: TFieldValue): string[] => {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return value === "" ? [] : [value];
  if (typeof value === "number") return [String(value)];
  return value.filter((v) => v !== "");
};

/** Validates the schema: names unique, weights positive, b in [0, 1]. */
const checkSchema = (schema: TSearchSchema): void => {
  const names = [...schema.textFields.map((f) => f.name), ...schema.facetFields, ...schema.numericFields];
  if (schema.textFields.length === 0) throw new RangeError("a search schema needs at least one text field");
  if (schema.textFields.length > 32) throw new RangeError("at most 32 text fields");
  const texts = new Set<string>();
  for (const field of schema.textFields) {
    if (texts.has(field.name)) throw new RangeError(`text field ${field.name} is listed twice`);
    texts.add(field.name);
    if (!(field.weight > 0)) throw new RangeError(`text field ${field.name}: weight must be positive`);
    const b = field.b ?? DEFAULT_B;
    if (!(b >= 0 && b <= 1)) throw new RangeError(`text field ${field.name}: b must be in [0, 1]`);
  }
  if (names.includes("")) throw new RangeError("field names must not be empty");
};

/** Builds the index of a catalogue. Documents without an id, or with an id seen before, are skipped. */
export const buildSearchIndex = (
  documents: Iterable<TSearchDocument>,
  schema: TSearchSchema,
): TSearchIndex => {
  checkSchema(schema);
  const analyzer = createAnalyzer({ stopWords: schema.stopWords ?? ENGLISH_STOP_WORDS });
  const fieldCount = schema.textFields.length;
  const ids: string[] = [];
  const docOf = new Map<string, number>();
  const texts: (string | null)[][] = schema.textFields.map(() => []);
  const lengths: number[][] = schema.textFields.map(() => []);
  const terms: string[] = [];
  const termIds = new Map<string, number>();
  const keyToTerm = new Map<string, number>();
  const surfaceKeys = new Set<string>();
  const postDocs: number[][] = [];
  const postTf: number[][] = [];
  const facetRaw = schema.facetFields.map(() => ({
    values: [] as string[],
    ids: new Map<string, number>(),
    starts: [0],
    vals: [] as number[],
  }));
  const numberCols: number[][] = schema.numericFields.map(() => []);

  const termIdOf = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = terms.length;
      terms.push(term);
      termIds.set(term, id);
      postDocs.push([]);
      postTf.push([]);
      if (!keyToTerm.has(term)) keyToTerm.set(term, id);
    }
    return id;
  };

  for (const document of documents) {
    const rawId = document[schema.idField];
    const id = rawId === null || rawId === undefined ? "" : String(rawId);
    if (id === "" || docOf.has(id)) continue;
    const doc = ids.length;
    ids.push(id);
    docOf.set(id, doc);
    schema.textFields.forEach((field, f) => {
      const text = textOf(document[field.name]);
      texts[f]!.push(text);
      let length = 0;
      if (text) {
        for (const token of tokenize(text)) {
          if (analyzer.isStopWord(token.word)) continue;
          length++;
          const termId = termIdOf(analyzer.termOf(token.word));
          if (!keyToTerm.has(token.word)) keyToTerm.set(token.word, termId);
          surfaceKeys.add(token.word);
          const docs = postDocs[termId]!;
          const tf = postTf[termId]!;
          if (docs[docs.length - 1] !== doc) {
            docs.push(doc);
            for (let g = 0; g < fieldCount; g++) tf.push(0);
          }
          const cell = tf.length - fieldCount + f;
          tf[cell] = Math.min(65_535, tf[cell]! + 1);
        }
      }
      lengths[f]!.push(length);
    });
    schema.facetFields.forEach((name, k) => {
      const column = facetRaw[k]!;
      for (const value of new Set(facetValuesOf(document[name]))) {
        let valueId = column.ids.get(value);
        if (valueId === undefined) {
          valueId = column.values.length;
          column.values.push(value);
          column.ids.set(value, valueId);
        }
        column.vals.push(valueId);
      }
      column.starts.push(column.vals.length);
    });
    schema.numericFields.forEach((name, k) => {
      const value = document[name];
      const number =
        typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
      numberCols[k]!.push(Number.isFinite(number) ? number : Number.NaN);
    });
  }

  const n = ids.length;
  const fields: TIndexedField[] = schema.textFields.map((field, f) => {
    const fieldLengths = lengths[f]!;
    let sum = 0;
    for (const length of fieldLengths) sum += length;
    const average = n > 0 ? sum / n : 0;
    const b = field.b ?? DEFAULT_B;
    const inverseNorm = new Float64Array(n);
    for (let d = 0; d < n; d++) inverseNorm[d] = inverseLengthNorm(fieldLengths[d]!, average, b);
    return {
      name: field.name,
      weight: field.weight,
      b,
      typos: field.typos === undefined ? DEFAULT_TYPO_RULE : field.typos,
      prefix: field.prefix ?? true,
      inverseNorm,
      texts: texts[f]!,
    };
  });
  const postings: TPostings[] = postDocs.map((docs, t) => ({
    docs: Int32Array.from(docs),
    tf: Uint16Array.from(postTf[t]!),
  }));
  const trie = new TermTrie();
  for (const [key, termId] of keyToTerm) trie.add(key, termId);

  const synonyms = new Map<string, string[]>();
  for (const group of schema.synonyms ?? []) {
    const groupTerms = [
      ...new Set(group.flatMap((word) => tokenize(word).map((t) => analyzer.termOf(t.word)))),
    ];
    for (const term of groupTerms) {
      const others = groupTerms.filter((other) => other !== term);
      synonyms.set(term, [...new Set([...(synonyms.get(term) ?? []), ...others])]);
    }
  }
  const facets = new Map<string, TFacetColumn>();
  schema.facetFields.forEach((name, k) => {
    const raw = facetRaw[k]!;
    facets.set(name, {
      values: raw.values,
      valueIds: raw.ids,
      starts: Int32Array.from(raw.starts),
      vals: Int32Array.from(raw.vals),
    });
  });
  const numbers = new Map<string, Float64Array>();
  schema.numericFields.forEach((name, k) => {
    numbers.set(name, Float64Array.from(numberCols[k]!));
  });

  return {
    schema,
    analyzer,
    k1: schema.k1 ?? DEFAULT_K1,
    ids,
    docOf,
    fields,
    terms,
    termIds,
    postings,
    keyToTerm,
    surfaceKeys,
    trie,
    synonyms,
    facets,
    numbers,
  };
};
