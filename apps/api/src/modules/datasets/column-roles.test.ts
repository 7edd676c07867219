import { readFileSync } from "node:fs";
import { COLUMN_ROLES } from "@dam/vocabulary/column-roles";
import { type EnumTypeDefinitionNode, Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { assertColumnRoles, inferColumnRoles } from "./column-roles.ts";

describe("inferColumnRoles", () => {
  it("binds catalogue columns by name and type", () => {
    const roles = inferColumnRoles([
      { name: "ItemID", type: "text" },
      { name: "product_name", type: "text" },
      { name: "Description", type: "text" },
      { name: "category", type: "text" },
      { name: "Brand", type: "text" },
      { name: "unit_price", type: "decimal" },
      { name: "colour", type: "text" },
    ]);
    expect(roles).toEqual({
      ItemID: "itemId",
      product_name: "title",
      Description: "description",
      category: "category",
      Brand: "brand",
      unit_price: "price",
    });
  });

  it("does not bind a price or a timestamp role to a column of the wrong type", () => {
    expect(
      inferColumnRoles([
        { name: "price", type: "text" },
        { name: "date", type: "text" },
      ]),
    ).toEqual({});
  });

  it("finds an event type by its values and the one timestamp column", () => {
    const roles = inferColumnRoles([
      { name: "visitor", type: "text" },
      { name: "customer_id", type: "integer" },
      { name: "what", type: "text", values: ["view", "view", "Add to cart", "purchase", ""] },
      { name: "at", type: "timestamp" },
    ]);
    expect(roles).toEqual({ customer_id: "userId", what: "eventType", at: "timestamp" });
  });

  it("leaves two unnamed timestamps unbound and keeps fixed roles", () => {
    const roles = inferColumnRoles(
      [
        { name: "a", type: "timestamp" },
        { name: "b", type: "timestamp" },
        { name: "sku", type: "text" },
        { name: "code", type: "text" },
      ],
      { code: "itemId" },
    );
    expect(roles).toEqual({});
  });

  it("gives each role to one column, the stronger name first", () => {
    expect(
      inferColumnRoles([
        { name: "name", type: "text" },
        { name: "title", type: "text" },
      ]),
    ).toEqual({ title: "title" });
  });
});

describe("assertColumnRoles", () => {
  const columns = ["itemid", "ttl", "price"];
  it("names an unknown role and an unknown column", () => {
    expect(() => assertColumnRoles(columns, [{ column: "ttl", role: "ttle" }])).toThrow(
      /roles\[0\]\.role: "ttle" is not a role/,
    );
    expect(() =>
      assertColumnRoles(columns, [
        { column: "itemid", role: "itemId" },
        { column: "titel", role: "title" },
      ]),
    ).toThrow(/roles\[1\]\.column: "titel" is not a column \(columns: itemid, ttl, price\)/);
  });
  it("refuses one role on two columns and accepts a clean map", () => {
    expect(() =>
      assertColumnRoles(columns, [
        { column: "itemid", role: "itemId" },
        { column: "ttl", role: "itemId" },
      ]),
    ).toThrow(/already bound to column "itemid"/);
    expect(() =>
      assertColumnRoles(columns, [
        { column: "itemid", role: "itemId" },
        { column: "price", role: null },
      ]),
    ).not.toThrow();
  });
});

describe("the ColumnRole enum", () => {
  it("names exactly the vocabulary's roles, each described, so the API and the pipeline speak one list", () => {
    const sdl = readFileSync(new URL("./column-roles.graphql", import.meta.url), "utf8");
    const definition = parse(sdl).definitions.find(
      (node): node is EnumTypeDefinitionNode =>
        node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === "ColumnRole",
    );
    expect(definition?.values?.map((value) => value.name.value)).toEqual([...COLUMN_ROLES]);
    expect(definition?.values?.every((value) => (value.description?.value ?? "") !== "")).toBe(true);
  });
});
