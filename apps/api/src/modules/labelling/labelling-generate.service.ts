import { mulberry32 } from "@dam/vocabulary/prng";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { searchCatalog } from "../features/search.service.ts";
import {
  findFrequentValues,
  findItemColumns,
  findTitleBigrams,
  sampleItemsWithValue,
} from "./labelling-generate.repository.ts";
import { isQueryPhrase, sampleWithoutReplacement } from "./task-sampling.ts";

// Label tasks generated from a catalogue version: (query, item) pairs sampled from search results for
// relevance judgements, and items to verify with their current attribute value as the suggestion.

const MAX_VOCABULARY = 500;
// A title bigram must occur in this many items to count as a query a shopper would type.
const MIN_BIGRAM_ITEMS = 3;

export const ZRelevanceTasksInput = z
  .object({
    catalogVersionId: z.string().uuid(),
    queries: z.array(z.string().trim().min(1).max(200)).min(1).max(200).nullish(),
    queryColumn: z.string().min(1).nullish(),
    queryCount: z.number().int().min(1).max(200).default(10),
    itemsPerQuery: z.number().int().min(1).max(50).default(5),
    poolDepth: z.number().int().min(1).max(200).default(20),
    seed: z.number().int().default(1),
  })
  .refine((input) => input.itemsPerQuery <= input.poolDepth, {
    message: "itemsPerQuery must not exceed poolDepth",
    path: ["itemsPerQuery"],
  });

export const ZVerificationTasksInput = z.object({
  catalogVersionId: z.string().uuid(),
  column: z.string().min(1),
  count: z.number().int().min(1).max(10_000),
  seed: z.number().int().default(1),
});

export type TRelevanceTasksInput = z.infer<typeof ZRelevanceTasksInput>;
export type TVerificationTasksInput = z.infer<typeof ZVerificationTasksInput>;

type TCatalog = {
  versionId: string;
  table: string;
  itemColumn: string;
  titleColumn: string | null;
  descriptionColumn: string | null;
  columns: Set<string>;
};

const ZColumns = z.array(z.object({ name: z.string(), role: z.string().nullish() }).passthrough());

const readCatalog = async (deps: TDeps, versionId: string, field: string): Promise<TCatalog> => {
  const version = await findVersionById(deps, versionId);
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`, { field });
  if (version.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Dataset version ${versionId} is ${version.status}, not READY`,
      {
        field,
      },
    );
  }
  const columns = ZColumns.catch([]).parse(version.schema);
  const byRole = (role: string) => columns.find((column) => column.role === role)?.name ?? null;
  const itemColumn = byRole("itemId");
  if (!itemColumn) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Dataset version ${versionId} has no column with the role itemId`,
      {
        field,
      },
    );
  }
  return {
    versionId,
    table: version.tableName,
    itemColumn,
    titleColumn: byRole("title"),
    descriptionColumn: byRole("description"),
    columns: new Set(columns.map((column) => column.name)),
  };
};

/**
 * The query vocabulary of a catalogue when the steward gives no queries: the most frequent values of
 * `queryColumn` (e.g. a product type column), or else the title bigrams found in at least three items
 * ("dog bed", "pruning shears"): product types and materials as shoppers type them, taken from the
 * catalogue's own words so every query has items to find.
 */
const catalogVocabulary = async (
  deps: TDeps,
  catalog: TCatalog,
  queryColumn: string | null | undefined,
): Promise<string[]> => {
  if (queryColumn) {
    if (!catalog.columns.has(queryColumn)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `relevance.queryColumn: ${queryColumn} is not a column of the version`,
        {
          field: "relevance.queryColumn",
        },
      );
    }
    const values = await findFrequentValues(deps.pool, {
      table: catalog.table,
      column: queryColumn,
      limit: MAX_VOCABULARY,
    });
    return values.map((row) => row.value);
  }
  if (!catalog.titleColumn) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "The catalogue has no title column to take queries from; give relevance.queries or relevance.queryColumn",
      { field: "relevance.queries" },
    );
  }
  const bigrams = await findTitleBigrams(deps.pool, {
    table: catalog.table,
    itemColumn: catalog.itemColumn,
    titleColumn: catalog.titleColumn,
    minItems: MIN_BIGRAM_ITEMS,
    limit: MAX_VOCABULARY,
  });
  return bigrams.map((row) => row.phrase).filter(isQueryPhrase);
};

/**
 * One task per sampled (query, item) pair: for each query, `itemsPerQuery` items drawn uniformly from
 * the top `poolDepth` search hits, so the judgements cover clear hits and near misses alike (only the
 * top hits would give almost nothing but "relevant"). The search rank and score stay in the payload
 * for evaluation; the workbench does not show them to labellers.
 */
export const generateRelevancePayloads = async (
  deps: TDeps,
  input: TRelevanceTasksInput,
): Promise<{ payloads: Record<string, unknown>[]; queries: string[] }> => {
  const catalog = await readCatalog(deps, input.catalogVersionId, "relevance.catalogVersionId");
  const random = mulberry32(input.seed);
  const queries = input.queries
    ? [...new Set(input.queries)]
    : sampleWithoutReplacement(
        await catalogVocabulary(deps, catalog, input.queryColumn),
        input.queryCount,
        random,
      );
  if (queries.length === 0) {
    throw new AppError("PRECONDITION_FAILED", "The catalogue gave no queries; give relevance.queries", {
      field: "relevance.queries",
    });
  }
  const pairs: {
    query: string;
    hit: Awaited<ReturnType<typeof searchCatalog>>["hits"][number];
    backend: string;
  }[] = [];
  for (const query of queries) {
    const result = await searchCatalog(deps, {
      query,
      first: input.poolDepth,
      catalogVersionId: catalog.versionId,
    });
    for (const hit of sampleWithoutReplacement(result.hits, input.itemsPerQuery, random)) {
      pairs.push({ query, hit, backend: result.backend });
    }
  }
  if (pairs.length === 0) {
    throw new AppError("PRECONDITION_FAILED", "No query found any item; give other queries", {
      field: "relevance.queries",
    });
  }
  const details = catalog.descriptionColumn
    ? await findItemColumns(deps.pool, {
        table: catalog.table,
        itemColumn: catalog.itemColumn,
        columns: [catalog.descriptionColumn],
        itemIds: pairs.map((pair) => pair.hit.itemId),
      })
    : new Map<string, Record<string, string | null>>();
  const payloads = pairs.map(({ query, hit, backend }) => ({
    query,
    itemId: hit.itemId,
    title: hit.title,
    ...(catalog.descriptionColumn
      ? { description: details.get(hit.itemId)?.[catalog.descriptionColumn] ?? null }
      : {}),
    catalogVersionId: catalog.versionId,
    search: { rank: hit.rank, score: hit.score, backend },
  }));
  return { payloads, queries };
};

/** One task per sampled item: its current value of `column` is the suggestion the labeller accepts or fixes. */
export const generateVerificationPayloads = async (
  deps: TDeps,
  input: TVerificationTasksInput,
): Promise<{ payloads: Record<string, unknown>[] }> => {
  const catalog = await readCatalog(deps, input.catalogVersionId, "verification.catalogVersionId");
  if (!catalog.columns.has(input.column)) {
    throw new AppError(
      "BAD_USER_INPUT",
      `verification.column: ${input.column} is not a column of the version`,
      {
        field: "verification.column",
      },
    );
  }
  const extra = [catalog.titleColumn, catalog.descriptionColumn].filter(
    (column): column is string => column !== null && column !== input.column,
  );
  const rows = await sampleItemsWithValue(deps.pool, {
    table: catalog.table,
    itemColumn: catalog.itemColumn,
    column: input.column,
    extra,
    seed: input.seed,
    limit: input.count,
  });
  if (rows.length === 0) {
    throw new AppError("PRECONDITION_FAILED", `No item has a value in ${input.column}`, {
      field: "verification.column",
    });
  }
  const payloads = rows.map((row) => ({
    _line: row.line,
    itemId: row.itemId,
    ...(catalog.titleColumn ? { title: row.extra[catalog.titleColumn] ?? null } : {}),
    ...(catalog.descriptionColumn && catalog.descriptionColumn !== input.column
      ? { description: row.extra[catalog.descriptionColumn] ?? null }
      : {}),
    attribute: input.column,
    suggestion: row.value,
    catalogVersionId: catalog.versionId,
  }));
  return { payloads };
};
