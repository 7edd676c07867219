import { describe, expect, it } from "vitest";
import { mapSearchColumns, searchIndexVersion } from "./search-schema.ts";

const DEMO_COLUMNS = [
  { name: "item_id", type: "text", role: "itemId" },
  { name: "title", type: "text", role: "title" },
  { name: "description", type: "text", role: "description" },
  { name: "category", type: "text", role: "category" },
  { name: "subcategory", type: "text", role: null },
  { name: "brand", type: "text", role: "brand" },
  { name: "colour", type: "text", role: null },
  { name: "material", type: "text", role: null },
  { name: "price", type: "decimal", role: "price" },
  { name: "image_url", type: "text", role: null },
];

describe("mapSearchColumns", () => {
  it("weighs fields by role, finds attribute columns by name, makes the item id exact-only", () => {
    const mapping = mapSearchColumns(DEMO_COLUMNS)!;
    expect(mapping.schema.textFields).toEqual([
      { name: "title", weight: 3 },
      { name: "description", weight: 0.5 },
      { name: "category", weight: 3 },
      { name: "subcategory", weight: 1.5 },
      { name: "brand", weight: 2 },
      { name: "colour", weight: 1.5 },
      { name: "material", weight: 1.5 },
      { name: "item_id", weight: 1, typos: false, prefix: false },
    ]);
    expect(mapping.schema.facetFields).toEqual(["category", "brand", "colour", "material"]);
    expect(mapping.schema.numericFields).toEqual(["price"]);
    expect(mapping.roles).toEqual({ category: "category", brand: "brand", price: "price" });
    expect(mapping.columns).not.toContain("image_url");
  });

  it("names the same index version for the same columns, another for other columns, none without an item id", () => {
    const a = mapSearchColumns(DEMO_COLUMNS)!;
    const b = mapSearchColumns([...DEMO_COLUMNS])!;
    const c = mapSearchColumns(DEMO_COLUMNS.filter((column) => column.name !== "colour"))!;
    expect(searchIndexVersion("v1", a)).toBe(searchIndexVersion("v1", b));
    expect(searchIndexVersion("v1", a)).not.toBe(searchIndexVersion("v1", c));
    expect(mapSearchColumns(DEMO_COLUMNS.filter((column) => column.role !== "itemId"))).toBeNull();
  });
});
