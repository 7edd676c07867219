import { GraphQLScalarType, Kind } from "graphql";
import type { Resolvers } from "../../generated/graphql.ts";
import { API_VERSION } from "../../version.ts";

// ISO-8601 date or date-time, years 0001-9999 (PostgreSQL's timestamp range holds them; JavaScript's
// Date also accepts "1", "May 5" or year 275760, which the database would refuse).
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const parseDateTime = (value: unknown): Date => {
  const date = typeof value === "string" && ISO_8601.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw new TypeError(
      `DateTime must be an ISO-8601 string (e.g. 2026-12-03T17:00:00Z), got ${JSON.stringify(value)?.slice(0, 64)}`,
    );
  }
  return date;
};

const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 timestamp in UTC.",
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError("DateTime must be an ISO-8601 string");
    return parseDateTime(ast.value);
  },
});

const toJsonSafe = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? Number(inner) : inner)));

const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  description: "Arbitrary JSON value.",
  serialize: toJsonSafe,
  parseValue: (value) => value,
});

export const coreResolvers: Resolvers = {
  DateTime,
  JSON: JSONScalar,
  Query: {
    serverInfo: (_parent, _args, ctx) => ({
      version: API_VERSION,
      embeddedDatabase: ctx.deps.env.DAM_EMBEDDED_DB === "1",
    }),
  },
};
