// One model version made ready to serve: the decoded artifact behind its scorer, the item metadata of
// the catalogue version it was trained on, and the training history of its users (for excludeSeen
// and for neighbour models). Built once per load, then only read.

import { readFile } from "node:fs/promises";
import { ArtifactScorer } from "@dam/recsys/artifact-scorer";
import { decodeModelArtifact } from "@dam/recsys/model-artifact";
import { eventWeightOf, recordedEventWeights, type TEventWeights } from "@dam/vocabulary/event-weights";
import type { TDeps } from "../../deps.ts";
import { modelInputIds, readModelInputs } from "../models/model-inputs.ts";
import { withFeatureSetItems } from "./content-items.ts";
import {
  findLineageVersions,
  readCatalogRows,
  readTrainingEvents,
  type TCatalogRow,
  type TServingModelRow,
} from "./serving.repository.ts";
import { eventTypeMask } from "./track-events.ts";

export type TItemCatalog = {
  title: (string | null)[];
  /** Index into `categories`, -1 when the item has none. */
  category: Int32Array;
  categories: string[];
  /**
   * NaN when the item has no price. Float64, as the catalogue's double precision column: a float32
   * copy turned 9.48 into 9.479999542236328 in recommendations.
   */
  price: Float64Array;
};

export type TTrainingHistory = {
  items: Int32Array;
  weights: Float32Array;
  /** Per item, the event types the user had with it (bits of eventTypeMask), for excludeSeenTypes. */
  types: Uint8Array;
};

export type TServingModel = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  promotedAt: Date | null;
  loadedAt: Date;
  location: string;
  scorer: ArtifactScorer;
  /** The event weights the model was trained with (its artifact's), for folding in its users' events. */
  eventWeights: TEventWeights;
  catalogVersionId: string | null;
  catalog: TItemCatalog | null;
  /** Per training user: distinct items in order of last interaction (most recent last), with weights. */
  training: Map<string, TTrainingHistory>;
  /** The feature set a content model reads (its new items come from there); null for other models. */
  featureSetId: string | null;
  /**
   * Per item, 1 when nobody interacted with it in training (a content model scores those from their
   * features): the pool `recommend` mixes new items from. Null for models that cannot score them.
   */
  newItems: Uint8Array | null;
};

/** Item metadata rows by catalogue version, shared by the models trained on the same version. */
export type TCatalogCache = Map<string, Promise<TCatalogRow[]>>;

/**
 * The event weights serving folds a model's events in with: the ones recorded in its artifact when it
 * was trained (training options, @dam/vocabulary's table unless the request overrode it).
 */
export const servingEventWeights = (artifactParams: Record<string, unknown>): TEventWeights =>
  recordedEventWeights(artifactParams.eventWeights);

export const loadServingModel = async (
  deps: TDeps,
  row: TServingModelRow,
  catalogCache: TCatalogCache,
): Promise<TServingModel> => {
  if (!row.location) throw new Error(`Model version ${row.id} has no artifact location`);
  const bytes = await readFile(row.location);
  const decoded = decodeModelArtifact(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const extended = await withFeatureSetItems(deps, decoded);
  const artifact = extended.artifact;
  const scorer = new ArtifactScorer(artifact);
  const eventWeights = servingEventWeights(artifact.params);
  const lineage = await findLineageVersions(deps, modelInputIds(readModelInputs(row.inputs)));
  const catalogVersion = lineage.find((v) => v.kind === "CATALOG") ?? null;
  let catalog: TItemCatalog | null = null;
  if (catalogVersion) {
    let rows = catalogCache.get(catalogVersion.id);
    if (!rows) {
      rows = readCatalogRows(deps, catalogVersion);
      catalogCache.set(catalogVersion.id, rows);
    }
    catalog = buildCatalog(scorer, await rows);
  }
  // Titles, categories and prices of the items newer catalogue versions added to the feature set.
  if (extended.catalogVersionIds.length > 0) {
    const added = (await findLineageVersions(deps, extended.catalogVersionIds)).filter(
      (version) => version.kind === "CATALOG",
    );
    const rows = (await Promise.all(added.map((version) => readCatalogRows(deps, version)))).flat();
    catalog = buildCatalog(scorer, rows, catalog);
  }
  const training = new Map<string, TTrainingHistory>();
  const eventsVersion = lineage.find((v) => v.kind === "EVENTS" || v.kind === "TRANSACTIONS");
  if (eventsVersion) {
    const events = await readTrainingEvents(deps, eventsVersion);
    if (events) buildTrainingHistory(scorer, eventWeights, events, training);
  }
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    algorithm: artifact.algorithm,
    promotedAt: row.promotedAt,
    loadedAt: new Date(),
    location: row.location,
    scorer,
    eventWeights,
    catalogVersionId: catalogVersion?.id ?? null,
    catalog,
    training,
    featureSetId: artifact.content?.featureSetId ?? null,
    newItems:
      artifact.algorithm === "CONTENT_RIDGE" && artifact.content
        ? Uint8Array.from(artifact.popularity, (count) => (count === 0 ? 1 : 0))
        : null,
  };
};

/**
 * The item metadata of the model's items, indexed as the scorer indexes them; `base` (an earlier
 * catalogue's) keeps its entries, `rows` fill the rest.
 */
export const buildCatalog = (
  scorer: Pick<ArtifactScorer, "itemCount" | "itemIndex">,
  rows: TCatalogRow[],
  base: TItemCatalog | null = null,
): TItemCatalog => {
  const n = scorer.itemCount;
  const catalog: TItemCatalog = base ?? {
    title: new Array(n).fill(null),
    category: new Int32Array(n).fill(-1),
    categories: [],
    price: new Float64Array(n).fill(Number.NaN),
  };
  const codes = new Map<string, number>(catalog.categories.map((name, code) => [name, code]));
  for (const row of rows) {
    const i = scorer.itemIndex.get(row.itemId);
    if (i === undefined || (base && catalog.title[i] !== null)) continue;
    catalog.title[i] = row.title;
    if (row.price !== null && Number.isFinite(row.price)) catalog.price[i] = row.price;
    if (row.category !== null) {
      let code = codes.get(row.category);
      if (code === undefined) {
        code = catalog.categories.length;
        codes.set(row.category, code);
        catalog.categories.push(row.category);
      }
      catalog.category[i] = code;
    }
  }
  return catalog;
};

const buildTrainingHistory = (
  scorer: ArtifactScorer,
  eventWeights: TEventWeights,
  events: { userId: string; itemId: string; type: string | null }[],
  out: Map<string, TTrainingHistory>,
) => {
  // user -> item -> weight, in insertion order of last touch (events come oldest first).
  const byUser = new Map<string, Map<number, number>>();
  const typesByUser = new Map<string, Map<number, number>>();
  for (const event of events) {
    const item = scorer.itemIndex.get(event.itemId);
    // A type weighted 0 was left out of training; it is left out of the history too.
    const eventWeight = eventWeightOf(eventWeights, event.type);
    if (item === undefined || eventWeight === 0) continue;
    let items = byUser.get(event.userId);
    if (!items) {
      items = new Map();
      byUser.set(event.userId, items);
    }
    const weight = Math.max(items.get(item) ?? 0, eventWeight);
    items.delete(item);
    items.set(item, weight);
    let types = typesByUser.get(event.userId);
    if (!types) {
      types = new Map();
      typesByUser.set(event.userId, types);
    }
    types.set(item, (types.get(item) ?? 0) | eventTypeMask(event.type));
  }
  for (const [user, items] of byUser) {
    const types = typesByUser.get(user)!;
    out.set(user, {
      items: Int32Array.from(items.keys()),
      weights: Float32Array.from(items.values()),
      types: Uint8Array.from(items.keys(), (item) => types.get(item) ?? 0),
    });
  }
};
