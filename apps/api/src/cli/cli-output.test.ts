import { describe, expect, it } from "vitest";
import { parseRoleMap } from "./cli-output.ts";

describe("parseRoleMap", () => {
  it("reads column=role pairs in the vocabulary's words, and column= as an unbind where allowed", () => {
    expect(parseRoleMap("item_id=itemId, user=userId,old=", "--map", true)).toEqual([
      { column: "item_id", role: "itemId" },
      { column: "user", role: "userId" },
      { column: "old", role: null },
    ]);
  });

  it("names an unknown role, its column and the roles there are", () => {
    expect(() => parseRoleMap("item_id=itemid", "--map", false)).toThrow(
      /--map: "itemid" \(column item_id\) is not a role; roles: itemId, userId/,
    );
    expect(() => parseRoleMap("old=", "--map", false)).toThrow(/"" \(column old\) is not a role/);
  });
});
