import { describe, expect, it } from "vitest";
import { buildSchema } from "./schema.ts";

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
});
