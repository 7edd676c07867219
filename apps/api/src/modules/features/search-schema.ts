// Which columns of a catalogue version the search index reads, and how: a pure mapping from the
// version's column schema (names, types, roles) to the engine's schema, so every process derives the
// same index from the same version. Roles give the fields; the demo shop's and the attribute
// extractor's attribute columns (colour, material, size, product type) are found by name.
import { createHash } from "node:crypto";
import type { TSearchSchema, TTextField } from "@dam/search/search-types";
import { ENGLISH_STOP_WORDS } from "@dam/search/stop-words";

/** Changes whenever the engine or the mapping would index the same version differently. */
export const SEARCH_INDEX_FORMAT = 1;

export type TSearchColumn = { name: string; type: string; role?: string | null };

/**
 * BM25F field weights by role. Curated short fields (title, category) weigh most, free prose
 * (description) least; the same weights were measured in `npm run bench -- search-relevance`, chosen
 * there on development seeds.
 */
const ROLE_WEIGHTS: Record<string, number> = { title: 3, category: 3, brand: 2, description: 0.5 };
const ATTRIBUTE_COLUMNS = /^(extracted_)?(colour|color|material|size|subcategory|product_type|type)$/i;
const FACET_ATTRIBUTES = /^(extracted_)?(colour|color|material|size)$/i;
const TEXT_TYPES = new Set(["text", "varchar", "string", "character varying"]);
const NUMBER_TYPES = new Set([
  "integer",
  "bigint",
  "double",
  "double precision",
  "numeric",
  "decimal",
  "real",
  "float",
]);

export type TSearchMapping = {
  schema: TSearchSchema;
  /** Column read for each field of the schema (field names are the column names). */
  columns: string[];
  itemColumn: string;
  titleColumn: string | null;
  /** Role -> column for the roles filters and sorting name (category, brand, price, popularity). */
  roles: Record<string, string>;
  /** Identifies the mapping; with the version id it names the index version. */
  fingerprint: string;
};

/** The stewards' vocabulary (search-vocabulary.ts) as the schema takes it. */
export type TSchemaVocabulary = { synonyms: string[][]; stopWords: string[] };

export const mapSearchColumns = (
  columns: TSearchColumn[],
  vocabulary?: TSchemaVocabulary,
): TSearchMapping | null => {
  const item = columns.find((c) => c.role === "itemId");
  if (!item) return null;
  const textFields: TTextField[] = [];
  const facetFields: string[] = [];
  const numericFields: string[] = [];
  for (const column of columns) {
    if (column === item) continue;
    const roleWeight = column.role ? ROLE_WEIGHTS[column.role] : undefined;
    const isText = TEXT_TYPES.has(column.type.toLowerCase());
    if (roleWeight !== undefined) textFields.push({ name: column.name, weight: roleWeight });
    else if (isText && ATTRIBUTE_COLUMNS.test(column.name))
      textFields.push({ name: column.name, weight: 1.5 });
    if (column.role === "category" || column.role === "brand" || FACET_ATTRIBUTES.test(column.name)) {
      facetFields.push(column.name);
    }
    if (
      (column.role === "price" || column.role === "popularity") &&
      NUMBER_TYPES.has(column.type.toLowerCase())
    ) {
      numericFields.push(column.name);
    }
  }
  // Item ids are searchable exactly: no typos, no completions (P000123 must not find P000124).
  textFields.push({ name: item.name, weight: 1, typos: false, prefix: false });
  const schema: TSearchSchema = { idField: item.name, textFields, facetFields, numericFields };
  // Only a non-empty vocabulary enters the schema, so indexes without one keep their fingerprint.
  if (vocabulary && vocabulary.synonyms.length > 0) schema.synonyms = vocabulary.synonyms;
  if (vocabulary && vocabulary.stopWords.length > 0)
    schema.stopWords = [...new Set([...ENGLISH_STOP_WORDS, ...vocabulary.stopWords])];
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ format: SEARCH_INDEX_FORMAT, schema }))
    .digest("hex")
    .slice(0, 12);
  return {
    schema,
    columns: [...new Set([item.name, ...textFields.map((f) => f.name), ...facetFields, ...numericFields])],
    itemColumn: item.name,
    titleColumn: columns.find((c) => c.role === "title")?.name ?? null,
    roles: Object.fromEntries(
      ["category", "brand", "price", "popularity"].flatMap((role) => {
        const column = columns.find((c) => c.role === role);
        const usable =
          column &&
          (role === "price" || role === "popularity" ? numericFields : facetFields).includes(column.name);
        return usable ? [[role, column.name]] : [];
      }),
    ),
    fingerprint,
  };
};

/** The index version: the catalogue version it indexes and the mapping that indexed it. */
export const searchIndexVersion = (catalogVersionId: string, mapping: TSearchMapping): string =>
  `${catalogVersionId}.${mapping.fingerprint}`;
