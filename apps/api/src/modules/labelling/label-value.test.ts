import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import { agreementCategory, checkSchemaOptions, normaliseLabelValue } from "./label-value.ts";

const choices = [{ value: "shoe" }, { value: "boot" }, { value: "sandal" }];

const rejects = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error("expected a BAD_USER_INPUT");
};

describe("normaliseLabelValue", () => {
  it("accepts an option of a single choice and refuses anything else", () => {
    expect(normaliseLabelValue("SINGLE_CHOICE", choices, "boot")).toBe("boot");
    expect(rejects(() => normaliseLabelValue("SINGLE_CHOICE", choices, "hat"))).toMatch(
      /^BAD_USER_INPUT value:/,
    );
    expect(rejects(() => normaliseLabelValue("SINGLE_CHOICE", choices, ["boot"]))).toMatch(/BAD_USER_INPUT/);
  });

  it("sorts and de-duplicates multiple choices so equal answers compare equal", () => {
    expect(normaliseLabelValue("MULTI_CHOICE", choices, ["sandal", "boot", "sandal"])).toEqual([
      "boot",
      "sandal",
    ]);
    expect(rejects(() => normaliseLabelValue("MULTI_CHOICE", choices, []))).toMatch(/non-empty/);
    expect(rejects(() => normaliseLabelValue("MULTI_CHOICE", choices, ["boot", "hat"]))).toMatch(/"hat"/);
  });

  it("takes relevance grades 0 to 3 only, as numbers", () => {
    expect(normaliseLabelValue("RELEVANCE", [], 0)).toBe(0);
    expect(normaliseLabelValue("RELEVANCE", [], 3)).toBe(3);
    for (const bad of [4, -1, 1.5, "2", null]) {
      expect(rejects(() => normaliseLabelValue("RELEVANCE", [], bad))).toMatch(/grade 0, 1, 2 or 3/);
    }
  });

  it("needs the corrected value when an extracted attribute is not accepted", () => {
    expect(normaliseLabelValue("ATTRIBUTE_CORRECTION", [], { accepted: true, value: "x" })).toEqual({
      accepted: true,
    });
    expect(normaliseLabelValue("ATTRIBUTE_CORRECTION", [], { accepted: false, value: " red " })).toEqual({
      accepted: false,
      value: "red",
    });
    expect(rejects(() => normaliseLabelValue("ATTRIBUTE_CORRECTION", [], { accepted: false }))).toMatch(
      /needs the corrected value/,
    );
    expect(rejects(() => normaliseLabelValue("ATTRIBUTE_CORRECTION", [], { ok: true }))).toMatch(/accepted/);
  });

  it("trims free text and refuses blank text", () => {
    expect(normaliseLabelValue("FREE_TEXT", [], "  nice  ")).toBe("nice");
    expect(rejects(() => normaliseLabelValue("FREE_TEXT", [], "   "))).toMatch(/non-empty/);
  });
});

describe("checkSchemaOptions", () => {
  it("requires two distinct options for choice schemas and grade names for relevance", () => {
    expect(checkSchemaOptions("SINGLE_CHOICE", choices)).toHaveLength(3);
    expect(rejects(() => checkSchemaOptions("SINGLE_CHOICE", [{ value: "a" }]))).toMatch(/at least two/);
    expect(rejects(() => checkSchemaOptions("MULTI_CHOICE", [{ value: "a" }, { value: "a" }]))).toMatch(
      /unique/,
    );
    expect(checkSchemaOptions("RELEVANCE", [{ value: "0", label: "irrelevant" }])).toHaveLength(1);
    expect(rejects(() => checkSchemaOptions("RELEVANCE", [{ value: "5" }]))).toMatch(/grades/);
  });
});

describe("agreementCategory", () => {
  it("keeps grades numeric and maps structured answers to one category string", () => {
    expect(agreementCategory("RELEVANCE", 2)).toBe(2);
    expect(agreementCategory("MULTI_CHOICE", ["boot", "sandal"])).toBe("boot|sandal");
    expect(agreementCategory("ATTRIBUTE_CORRECTION", { accepted: true })).toBe("accept");
    expect(agreementCategory("ATTRIBUTE_CORRECTION", { accepted: false, value: "red" })).toBe("fix:red");
    expect(agreementCategory("FREE_TEXT", "Nice")).toBe("nice");
  });
});
