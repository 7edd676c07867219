import { describe, expect, it } from "vitest";
import { buildPathIndex, isIgnoredEntry, itemIdFromName, normaliseRelativePath } from "./image-keys.ts";

describe("image keys", () => {
  it("names a picture's item after its file name", () => {
    expect(itemIdFromName("images/fm00027.png")).toBe("fm00027");
    expect(itemIdFromName("SKU-1.v2.JPG")).toBe("SKU-1.v2");
    expect(itemIdFromName("a\\b\\c.webp")).toBe("c");
  });

  it("skips folders, resource forks and dot files", () => {
    expect(isIgnoredEntry("images/")).toBe(true);
    expect(isIgnoredEntry("__MACOSX/images/._a.png")).toBe(true);
    expect(isIgnoredEntry("images/.DS_Store")).toBe(true);
    expect(isIgnoredEntry("images/a.png")).toBe(false);
  });

  it("matches catalogue paths to archive entries, also under the archive's top folder", () => {
    expect(normaliseRelativePath("./images//a.png")).toBe("images/a.png");
    const index = buildPathIndex([
      { itemId: "a", path: "images/a.png" },
      { itemId: "b", path: "./images/a.png" },
      { itemId: "c", path: "..\\secret.png" },
    ]);
    expect(index.itemsFor("images/a.png")).toEqual({ path: "images/a.png", itemIds: ["a", "b"] });
    expect(index.itemsFor("shop/images/a.png")).toEqual({ path: "images/a.png", itemIds: ["a", "b"] });
    expect(index.itemsFor("images/b.png")).toBeNull();
    expect([...index.all()].map(([p]) => p)).toEqual(["images/a.png"]);
  });
});
