import { describe, expect, it } from "vitest";
import { diffSchemas } from "./schema-diff.ts";

describe("diffSchemas", () => {
  it("reports added, removed and retyped columns in schema order", () => {
    const diff = diffSchemas(
      [
        { name: "id", type: "integer" },
        { name: "price", type: "integer" },
        { name: "colour", type: "text" },
      ],
      [
        { name: "id", type: "integer" },
        { name: "size", type: "text" },
        { name: "price", type: "decimal" },
        { name: "brand", type: "text" },
      ],
    );
    expect(diff.added.map((column) => column.name)).toEqual(["size", "brand"]);
    expect(diff.removed.map((column) => column.name)).toEqual(["colour"]);
    expect(diff.changed).toEqual([{ name: "price", fromType: "integer", toType: "decimal" }]);
  });

  it("finds nothing between identical schemas", () => {
    const columns = [{ name: "a", type: "text" }];
    expect(diffSchemas(columns, columns)).toEqual({ added: [], removed: [], changed: [] });
  });
});
