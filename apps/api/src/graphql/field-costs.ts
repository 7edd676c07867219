// What a field costs beyond the default 1, in the same units as DAM_MAX_QUERY_COST. The default prices
// a field by the work its children do; these fields do database or compute work of their own that
// their (cheap-looking) selections do not show: full-table counts, aggregations over version tables,
// graph walks, lexical scans of a catalogue. One call of each must stay affordable, a hundred aliases
// of them must not: with the default limit of 20,000, 21 aliases of platformStats already exceed it.
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  // Counts rows of every metadata table and sums version sizes (dashboard.service.ts).
  "Query.platformStats": 1000,
  // Groups an events version table by day.
  "Query.eventsPerDay": 500,
  // Ranks the whole candidate pool of the in-memory index (and builds the index on a cold process).
  "Query.search": 500,
  // Prefix walk of the index's titles plus the popular queries kept in Redis.
  "Query.suggest": 50,
  // Reads and aggregates the search log kept in Redis.
  "Query.searchAnalytics": 200,
  // Reads every synonym group and stop word (at most 1,000 each).
  "Query.searchVocabulary": 50,
  // Recursive walks over lineage edges (up to 10 and 50 hops).
  "Query.lineage": 200,
  "Query.impact": 500,
  // Agreement statistics over every label of a project.
  "Query.projectAgreement": 200,
  "Query.labellerProgress": 100,
  "Query.myLabelProgress": 50,
  // One quality-run summary per version of the dataset.
  "Query.qualityTrend": 100,
  // Loads the artifacts' metrics of several model versions.
  "Query.compareModels": 100,
  // Reads the embedding artifact and walks its index.
  "Query.similarItemsByEmbedding": 100,
  // The same over an image, text or fused set, plus the neighbours' thumbnails read from disk.
  "Query.similarItemsBy": 100,
  // Decodes an uploaded picture and runs the image model on it (the model is loaded on first use).
  "Query.searchByImage": 500,
  // Reads up to 200 thumbnails from disk.
  "ImageSet.images": 50,
  // Reads one user's row from a profile artifact / events.
  "Query.userProfile": 50,
  "Query.userEvents": 50,
  // In-memory model answers: cheap each, but a thousand of them are not.
  "Query.recommend": 20,
  "Query.similarItems": 20,
  // Writes one row per event.
  "Mutation.trackEvents": 50,
};

export const fieldCostOf = (coordinate: string): number => FIELD_COSTS[coordinate] ?? 1;
