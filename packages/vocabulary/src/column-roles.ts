// The roles a column can play: the fields the pipeline reads (training, profiles, embeddings,
// attributes, serving, labelling exports). This list is the one owner of the role names; the GraphQL
// enum ColumnRole (apps/api datasets/column-roles.graphql) carries the same names, checked by a test,
// and import maps, the role editor and the CLI's --map validate against it.

export const COLUMN_ROLES = [
  "itemId",
  "userId",
  "eventId",
  "eventType",
  "timestamp",
  "sessionId",
  "orderId",
  "title",
  "description",
  "category",
  "productType",
  "brand",
  "colour",
  "material",
  "size",
  "packQuantity",
  "price",
  "quantity",
  "imageUrl",
  "query",
  "label",
  "relevance",
] as const;

export type TColumnRole = (typeof COLUMN_ROLES)[number];

export const isColumnRole = (value: string): value is TColumnRole =>
  (COLUMN_ROLES as readonly string[]).includes(value);
