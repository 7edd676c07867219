import {
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  GraphQLString,
} from "graphql";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { badStringReason, escapeLikePattern } from "../modules/core/input-text.ts";
import { checkInputValue, jsonDepthExceeds } from "./input-validation.ts";

const JSONScalar = new GraphQLScalarType({ name: "JSON" });

const refusal = (run: () => void) => {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return `${error.code} ${error.message}`;
  }
};

describe("badStringReason", () => {
  it("accepts text, emoji (a surrogate pair) and the empty string", () => {
    for (const text of ["", "plain", "😀 ok", "日本語", "\n\t"]) expect(badStringReason(text)).toBeNull();
  });
  it("names NUL characters and unpaired surrogates, high or low, anywhere", () => {
    expect(badStringReason("a\u0000")).toMatch(/NUL/);
    expect(badStringReason("\ud800")).toMatch(/surrogate/);
    expect(badStringReason("x\ud800y")).toMatch(/surrogate/);
    expect(badStringReason("\udc00")).toMatch(/surrogate/);
    expect(badStringReason("😀\udc00")).toMatch(/surrogate/);
  });
});

describe("checkInputValue", () => {
  const check = (value: unknown, type: Parameters<typeof checkInputValue>[1], coordinate = "Query.x.arg") =>
    refusal(() => checkInputValue(value, type, "x(arg)", { coordinate, maxDepth: 4 }));

  it("requires UUIDs for IDs, except for the arguments listed as taking other ids", () => {
    expect(check("123e4567-e89b-42d3-a456-426614174000", GraphQLID)).toBeNull();
    expect(check("nope", GraphQLID)).toMatch(/^BAD_USER_INPUT x\(arg\): must be a UUID/);
    expect(check("uploads/a.csv", GraphQLID, "Query.lineage.id")).toBeNull();
  });

  it("names the path of a bad value inside lists and input objects", () => {
    const Input = new GraphQLInputObjectType({
      name: "Input",
      fields: {
        ids: { type: new GraphQLList(new GraphQLNonNull(GraphQLID)) },
        name: { type: GraphQLString },
      },
    });
    expect(check({ name: "ok", ids: [] }, Input)).toBeNull();
    expect(check({ ids: ["123e4567-e89b-42d3-a456-426614174000", "bad"] }, Input)).toMatch(
      /x\(arg\)\.ids\[1\]/,
    );
    expect(check({ name: "a\u0000" }, Input)).toMatch(/x\(arg\)\.name: must not contain NUL/);
  });

  it("checks strings and keys inside JSON, and its depth", () => {
    expect(check({ a: [1, "two", { b: null }] }, JSONScalar)).toBeNull();
    expect(check({ a: ["\ud800"] }, JSONScalar)).toMatch(/x\(arg\)\.a\[0\]: must not contain unpaired/);
    expect(check({ "k\u0000": 1 }, JSONScalar)).toMatch(/a key/);
    expect(check([[[[[1]]]]], JSONScalar)).toMatch(/nested deeper than 4 levels/);
  });
});

describe("jsonDepthExceeds", () => {
  it("measures 100,000 levels without a stack overflow", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}1${"]".repeat(100_000)}`);
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});

describe("escapeLikePattern", () => {
  it("escapes %, _ and the backslash itself", () => {
    expect(escapeLikePattern("100%_a\\b")).toBe("100\\%\\_a\\\\b");
  });
});
