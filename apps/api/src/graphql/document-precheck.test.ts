import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { maxRepeatedResponseName, precheckQuery } from "./document-precheck.ts";

describe("maxRepeatedResponseName", () => {
  it("counts a response name through fragments and inline fragments, each fragment once", () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { viewer { name } }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    // 2^29 copies: exact, and only computable because each fragment's counts are reused.
    expect(maxRepeatedResponseName(parse(`{ ...F0 }\n${fragments.join("\n")}`))).toEqual({
      name: "viewer",
      count: 2 ** 29,
    });
    expect(
      maxRepeatedResponseName(
        parse("{ a: viewer { name } ... on Query { a: serverInfo { version } } b: viewer { name } }"),
      ),
    ).toEqual({
      name: "a",
      count: 2,
    });
  });
});

describe("precheckQuery", () => {
  const limits = { maxTokens: 100, maxRepeated: 3 };
  it("lets ordinary, unparsable and absent queries through (Apollo answers those)", () => {
    expect(() => precheckQuery("{ a: viewer { name } b: viewer { role } }", limits)).not.toThrow();
    expect(() => precheckQuery("{ not valid", limits)).not.toThrow();
    expect(() => precheckQuery(undefined, limits)).not.toThrow();
  });
  it("refuses a selection set repeating one response name more than the limit", () => {
    try {
      precheckQuery(
        "{ x: viewer { name } x: viewer { name } x: viewer { role } x: viewer { name } }",
        limits,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details).toEqual({ field: "x", repeated: 4, maxRepeated: 3 });
    }
  });
  it("judges a remembered document again under other limits", () => {
    const query = "{ x: viewer { name } x: viewer { role } }";
    expect(() => precheckQuery(query, limits)).not.toThrow();
    expect(() => precheckQuery(query, limits)).not.toThrow();
    expect(() => precheckQuery(query, { maxTokens: 100, maxRepeated: 1 })).toThrow(AppError);
  });
});
