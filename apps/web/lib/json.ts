/**
 * Readers for the schema's JSON scalar (typed `unknown` by codegen): the API documents which fields
 * hold an object or a list of objects, and these narrow them without casts at each use.
 */
export const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

export const asRecords = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.map(asRecord) : [];
