import { randomUUID } from "node:crypto";
import { mulberry32 } from "@dam/vocabulary/prng";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from "graphql";
import { buildSchema } from "../../src/graphql/schema.ts";

// Requests built from the schema itself, for the authorisation matrix and the fuzz test: every query
// and mutation, arguments passed as variables typed as the schema declares them.

export type TOperation = {
  kind: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
  coordinate: string;
};

export const loadSchema = (): GraphQLSchema => buildSchema();

/** Every root field of the schema, queries first. */
export const operationsOf = (schema: GraphQLSchema): TOperation[] => {
  const of = (kind: "query" | "mutation", type: ReturnType<GraphQLSchema["getQueryType"]>) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({
      kind,
      field,
      coordinate: `${kind === "query" ? "Query" : "Mutation"}.${field.name}`,
    }));
  return [...of("query", schema.getQueryType()), ...of("mutation", schema.getMutationType())];
};

/** Leaf fields (no required arguments) of a type, and one level of the objects below it. */
export const selectionOf = (type: GraphQLOutputType, depth = 2): string => {
  const named: GraphQLNamedType = getNamedType(type);
  if (isLeafType(named)) return "";
  if (!isObjectType(named) || depth === 0) return "{ __typename }";
  const parts = ["__typename"];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (depth > 1 && isObjectType(inner))
      parts.push(`${field.name} ${selectionOf(field.type, depth - 1)}`);
  }
  return `{ ${parts.join(" ")} }`;
};

/** The request text of an operation with every argument passed as a variable of its declared type. */
export const requestOf = (operation: TOperation, args: readonly GraphQLArgument[], depth = 2): string => {
  const variables = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  return `${operation.kind}${variables ? `(${variables})` : ""} { ${operation.field.name}${passed ? `(${passed})` : ""} ${selectionOf(operation.field.type, depth)} }`;
};

/** A valid value of an input type: required parts only, the simplest value of each scalar. */
export const minimalValue = (type: GraphQLInputType, coordinate: string): unknown => {
  if (isNonNullType(type)) return minimalValue(type.ofType, coordinate);
  if (isListType(type)) return [minimalValue(type.ofType, coordinate)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) {
        value[field.name] = minimalValue(field.type, `${type.name}.${field.name}`);
      }
    }
    return value;
  }
  switch (type.name) {
    case "ID":
      return randomUUID();
    case "String":
      return "x";
    case "Int":
      return 1;
    case "Float":
      return 1;
    case "Boolean":
      return false;
    case "DateTime":
      return new Date().toISOString();
    case "JSON":
      return {};
    default:
      throw new Error(`No minimal value for scalar ${type.name} (${coordinate})`);
  }
};

/** The platform's seeded PRNG, so a failing fuzz case is reproduced by its seed. */
export const seededRandom = mulberry32;

const nest = (levels: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { and: value };
  return value;
};

// Edge values per scalar: the ones that broke the API in the probe, and the usual suspects.
const EDGE_STRINGS = [
  "",
  " ",
  "a",
  "%",
  "_",
  "%_%",
  "\\",
  "a\u0000b",
  "\u0000",
  "lone \ud800 high",
  "lone \udc00 low",
  "😀 emoji",
  "日本語",
  '\'; DROP TABLE "ApiKey"; --',
  "{{table}}",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  '=HYPERLINK("x")',
  "null",
  "NaN",
  "-1",
  "x".repeat(10_000),
  "\n\t\r",
  "view",
  "purchase",
];
const EDGE_IDS = [
  "not-a-uuid",
  "",
  "1",
  "-1",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "\u0000",
  "' OR 1=1 --",
  "uploads/a.csv",
  "x".repeat(1000),
];
const EDGE_INTS = [0, 1, -1, 2, 3, 10, 200, 201, 1000, 2147483647, -2147483648];
const EDGE_FLOATS = [0, -1, 0.5, 1, 1e-308, 1e308, -1e308, 3.14];
const EDGE_DATES = [
  "2026-01-01T00:00:00Z",
  "2026-01-01",
  "garbage",
  "",
  "0000-00-00",
  "+275760-09-13T00:00:00.000Z",
  "9999-12-31T23:59:59Z",
  "0001-01-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "1",
];
const EDGE_JSON = (): unknown[] => [
  {},
  [],
  null,
  0,
  "text",
  true,
  { a: "\u0000" },
  { "\ud800": 1 },
  nest(40, 1),
  nest(2_000, 1),
  Array.from({ length: 2_000 }, (_, i) => i),
  Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])),
  [{ op: "dedupe" }, { op: "drop_nulls", column: "x" }],
  { algorithm: "kmeans", k: -1 },
  { k: 1e308 },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  [{ and: [{ or: [] }] }],
];

export type TValueContext = {
  random: () => number;
  /** Ids seen in earlier answers (and seeded data): calls then reach rows that exist. */
  ids: string[];
  /** Chance that a scalar gets an edge value rather than a plausible one; varied per case. */
  hostility: number;
};

// Plausible values, so that a good share of calls gets past validation into the services.
const PLAUSIBLE_STRINGS = [
  "x",
  "view",
  "click",
  "purchase",
  "u1",
  "i1",
  "shop_products",
  "title",
  "POP",
  "kmeans",
];

const pick = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)] as T;

/** A value of an input type: valid, edge or wrong, with the odds tilted towards well-formed requests. */
export const fuzzValue = (
  type: GraphQLInputType,
  ctx: TValueContext,
  depth = 0,
  required = false,
): unknown => {
  const { random } = ctx;
  const hostile = () => random() < ctx.hostility;
  if (isNonNullType(type)) {
    // Sometimes null even where the schema forbids it: coercion errors are client errors too.
    return hostile() && random() < 0.1 ? null : fuzzValue(type.ofType, ctx, depth, true);
  }
  if (!required && random() < 0.3) return random() < 0.5 ? null : undefined;
  if (isListType(type)) {
    const roll = random();
    if (roll < 0.15) return [];
    if (roll < 0.2) return fuzzValue(type.ofType, ctx, depth + 1); // a single value where a list is expected
    const length = roll < 0.95 || !hostile() ? 1 + Math.floor(random() * 3) : 200;
    return Array.from({ length }, () => fuzzValue(type.ofType, ctx, depth + 1));
  }
  if (isEnumType(type)) {
    return hostile() && random() < 0.2 ? pick(random, ["NOPE", "", 1]) : pick(random, type.getValues()).value;
  }
  if (isInputObjectType(type)) {
    if (depth > 6) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const inner = fuzzValue(field.type, ctx, depth + 1);
      if (inner !== undefined) value[field.name] = inner;
    }
    if (hostile() && random() < 0.1) value.unknownField = "x";
    return value;
  }
  const edge = hostile();
  switch (type.name) {
    case "ID":
      if (!edge) return ctx.ids.length > 0 && random() < 0.7 ? pick(random, ctx.ids) : randomUUID();
      return pick(random, EDGE_IDS);
    case "String":
      if (!edge) return pick(random, PLAUSIBLE_STRINGS);
      return random() < 0.05 ? pick(random, EDGE_INTS) : pick(random, EDGE_STRINGS);
    case "Int":
      if (!edge) return 1 + Math.floor(random() * 20);
      return random() < 0.1 ? pick(random, ["1", 1.5, true]) : pick(random, EDGE_INTS);
    case "Float":
      if (!edge) return random();
      return random() < 0.1 ? "1.5" : pick(random, EDGE_FLOATS);
    case "Boolean":
      return edge && random() < 0.2 ? "true" : random() < 0.5;
    case "DateTime":
      if (!edge) return new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 300))).toISOString();
      return random() < 0.1 ? 1_700_000_000 : pick(random, EDGE_DATES);
    case "JSON":
      return edge ? pick(random, EDGE_JSON()) : pick(random, [{}, null, [], { k: 3 }]);
    default:
      throw new Error(`No fuzz values for scalar ${type.name}`);
  }
};

/** Every `id` in a response, to call later operations with ids that exist. */
export const collectIds = (value: unknown, into: Set<string>): void => {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into);
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === "id" || key.endsWith("Id")) && typeof inner === "string") into.add(inner);
      else collectIds(inner, into);
    }
  }
};
