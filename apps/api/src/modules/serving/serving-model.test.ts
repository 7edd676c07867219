import { describe, expect, it } from "vitest";
import { buildCatalog } from "./serving-model.ts";

describe("buildCatalog", () => {
  it("keeps prices as the catalogue's decimals (no float32 rounding: 9.48 stays 9.48)", () => {
    const scorer = {
      itemCount: 3,
      itemIndex: new Map([
        ["A", 0],
        ["B", 1],
        ["C", 2],
      ]),
    };
    const catalog = buildCatalog(scorer, [
      { itemId: "A", title: "Mug", category: "kitchen", price: 9.48 },
      { itemId: "B", title: "Kettle", category: "kitchen", price: 24.99 },
      { itemId: "C", title: "Card", category: null, price: null },
    ]);
    expect(catalog.price[0]).toBe(9.48);
    expect(catalog.price[1]).toBe(24.99);
    expect(Number.isNaN(catalog.price[2])).toBe(true);
    // The float32 copy this replaced gave 9.479999542236328.
    expect(Math.fround(9.48)).not.toBe(9.48);
    expect(catalog.categories).toEqual(["kitchen"]);
    expect([...catalog.category]).toEqual([0, 0, -1]);
  });
});
