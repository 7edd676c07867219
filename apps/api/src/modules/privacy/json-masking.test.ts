import { describe, expect, it } from "vitest";
import { maskJson, maskQualitySamples, maskRecord } from "./json-masking.ts";
import { buildMasker } from "./pii-masking.service.ts";
import { maskRejectedRow, splitCsvRecord } from "./rejects-masking.ts";

const masker = buildMasker(
  new Map([
    ["email", { piiType: "EMAIL", mode: "PARTIAL" }],
    ["name", { piiType: "PERSON_NAME", mode: "REDACT" }],
    ["card", { piiType: "PAYMENT_CARD", mode: "HASH" }],
  ]),
  "test-secret",
);

describe("masking values that leave the server", () => {
  it("masks tagged fields at any depth and checkable PII in other strings", () => {
    const masked = maskJson(
      { email: "ann@example.com", nested: { name: "Ann Lee", note: "call +44 20 7946 0958" }, sku: "SKU-1" },
      masker,
    );
    expect(masked).toEqual({
      email: "a***@example.com",
      nested: { name: "[redacted]", note: "call [redacted]" },
      sku: "SKU-1",
    });
  });

  it("cuts quality samples to the rule's columns before masking", () => {
    const samples = [{ _line: 3, sku: "x", email: "ann@example.com", name: "Ann Lee" }];
    expect(maskQualitySamples(samples, ["sku"], masker)).toEqual([{ _line: 3, sku: "x" }]);
    expect(maskQualitySamples(samples, ["email"], masker)).toEqual([{ _line: 3, email: "a***@example.com" }]);
  });

  it("masks a rejected CSV record by column position and removes the values from the reason", () => {
    expect(splitCsvRecord('a,"b, c",d')).toEqual(["a", '"b, c"', "d"]);
    const row = maskRejectedRow(
      {
        column: "price",
        reason: "price: 'x' for Ann Lee is not a number",
        raw: "ann@example.com,Ann Lee,x,extra",
      },
      masker,
      ["email", "name", "price"],
    );
    expect(row.raw).toBe('"a***@example.com","[redacted]",x,[redacted]');
    expect(row.reason).toBe("price: 'x' for [redacted] is not a number");
  });

  it("masks a labels export row, parsing its JSON payload", () => {
    const row = maskRecord(
      { task_id: "t1", payload: JSON.stringify({ card: "4111111111111111", title: "Mug" }) },
      masker,
      ["payload"],
    );
    const payload = JSON.parse(String(row.payload));
    expect(payload.title).toBe("Mug");
    expect(payload.card).toMatch(/^pii_[0-9a-f]{20}$/);
  });
});
