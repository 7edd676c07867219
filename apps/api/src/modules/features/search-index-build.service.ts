// Builds the search index of a catalogue version from its table (search-schema.ts decides the fields)
// and records it in lineage. API processes call it to hold an index; the search.index job calls it to
// build ahead of the first search (and to announce it).
import { buildSearchIndex, type TSearchIndex } from "@dam/search/search-index";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { ZTemplateColumn } from "./embedding-template.ts";
import { readSearchDocuments } from "./search-index.repository.ts";
import { mapSearchColumns, searchIndexVersion, type TSearchMapping } from "./search-schema.ts";
import { readSearchVocabulary } from "./search-vocabulary.ts";

export type TLoadedSearchIndex = {
  catalogVersionId: string;
  /** `<catalog version id>.<mapping fingerprint>`: the same in every process for the same version. */
  indexVersion: string;
  label: string;
  index: TSearchIndex;
  mapping: TSearchMapping;
  /** Fingerprint of the stewards' vocabulary the index was built with (search-vocabulary.ts). */
  vocabulary: string;
  builtAt: Date;
  buildMs: number;
};

export const buildCatalogSearchIndex = async (
  deps: TDeps,
  catalogVersionId: string,
): Promise<TLoadedSearchIndex> => {
  const read = await readUsableVersion(deps, catalogVersionId, {
    column: ZTemplateColumn,
    kind: "CATALOG",
    field: "catalogVersionId",
  });
  const vocabulary = await readSearchVocabulary(deps);
  const mapping = mapSearchColumns(read.columns, vocabulary);
  if (!mapping) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${read.label} has no column with the role itemId; give the item id column that role on import`,
      { field: "catalogVersionId" },
    );
  }
  const started = performance.now();
  const documents = await readSearchDocuments(deps.pool, {
    table: read.version.tableName,
    itemColumn: mapping.itemColumn,
    columns: mapping.columns,
    numericColumns: mapping.schema.numericFields,
  });
  const index = buildSearchIndex(documents, mapping.schema);
  return {
    catalogVersionId,
    indexVersion: searchIndexVersion(catalogVersionId, mapping),
    label: read.label,
    index,
    mapping,
    vocabulary: vocabulary.fingerprint,
    builtAt: new Date(),
    buildMs: Math.round(performance.now() - started),
  };
};

/** Lineage: catalogue version -> search index (`indexed_by`), idempotent. */
export const recordSearchIndexLineage = (deps: TDeps, loaded: TLoadedSearchIndex, jobId?: string | null) =>
  recordLineage(deps, {
    from: [{ type: "DATASET_VERSION", refId: loaded.catalogVersionId, label: loaded.label }],
    to: {
      type: "SEARCH_INDEX",
      refId: loaded.indexVersion,
      label: `search index of ${loaded.label}`,
      metadata: {
        documents: loaded.index.ids.length,
        terms: loaded.index.terms.length,
        fields: loaded.mapping.schema.textFields.map((f) => ({ name: f.name, weight: f.weight })),
        facets: loaded.mapping.schema.facetFields,
      },
    },
    jobId: jobId ?? null,
    relation: "indexed_by",
  });
