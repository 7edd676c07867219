import { GraphQLScalarType, Kind } from "graphql";
import type { Resolvers } from "../../generated/graphql.ts";
import { API_VERSION } from "../../version.ts";

const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 timestamp in UTC.",
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== "string" || Number.isNaN(date.getTime())) {
      throw new TypeError(`DateTime must be an ISO-8601 string, got ${JSON.stringify(value)}`);
    }
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError("DateTime must be an ISO-8601 string");
    const date = new Date(ast.value);
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${ast.value}`);
    return date;
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
