import { buildSchema as parseSdl } from "graphql";
import { describe, expect, it } from "vitest";
import { buildSchema } from "./schema.ts";

type TFieldsOf = { getFields: () => Record<string, { name: string; args: readonly { name: string }[] }> };

/**
 * The rule: a mutation takes at most two arguments. What it creates or changes travels as one `input:`
 * object (beside the id of the row it changes, as in updateDataset(id, input)); two plain arguments
 * remain for an id and a flag or a name (promoteModel(id, force)). A third argument belongs in the input
 * object, where a field can be added without changing every client's argument list.
 * Returns the mutations that break it, as `name(arg, ...)`.
 */
const mutationsWithLooseArguments = (schema: { getMutationType: () => unknown }): string[] => {
  const mutation = schema.getMutationType() as TFieldsOf | null | undefined;
  return Object.values(mutation?.getFields() ?? {})
    .filter((field) => field.args.length > 2)
    .map((field) => `${field.name}(${field.args.map((arg) => arg.name).join(", ")})`);
};

describe("GraphQL schema", () => {
  it("describes every type, field, argument and enum value (the schema is the API's documentation)", () => {
    const schema = buildSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name))
        continue;
      if (!type.description) missing.push(type.name);
      // Duck-typed: @graphql-tools may load graphql's CommonJS build while this file gets the ESM one,
      // and graphql's instanceof-based predicates refuse types from "another realm".
      if ("getFields" in type && typeof type.getFields === "function") {
        const fields = type.getFields() as Record<
          string,
          {
            name: string;
            description?: string | null;
            args?: { name: string; description?: string | null }[];
          }
        >;
        for (const field of Object.values(fields)) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          if (field.args) {
            for (const arg of field.args) {
              // Pagination and id arguments follow one documented convention (see PageInfo).
              if (["first", "after", "id"].includes(arg.name)) continue;
              if (!arg.description) {
                missing.push(`${type.name}.${field.name}(${arg.name})`);
              }
            }
          }
        }
      }
      if ("getValues" in type && typeof type.getValues === "function") {
        for (const value of type.getValues() as readonly { name: string; description?: string | null }[])
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("gives no mutation more than two arguments: three or more go into one input object", () => {
    // The check itself, on a schema that breaks the rule and one that keeps it.
    const loose = parseSdl(
      "type Query { a: Int } type Mutation { tag(id: ID!, name: String, colour: String): Int }",
    );
    expect(mutationsWithLooseArguments(loose)).toEqual(["tag(id, name, colour)"]);
    const kept = parseSdl(
      "input TagInput { name: String, colour: String } type Query { a: Int } type Mutation { tag(id: ID!, input: TagInput!): Int }",
    );
    expect(mutationsWithLooseArguments(kept)).toEqual([]);
    expect(mutationsWithLooseArguments(buildSchema())).toEqual([]);
  });
});
