import { describe, expect, it } from "vitest";
import { decodeInputIds, encodeInputIds, readInputRefs } from "./model-inputs.ts";

const EVENTS = "0b0d6c1e-8a57-4b8e-9a55-1f1f3a0e2c11";
const CATALOG = "6f7a2b90-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("model inputs", () => {
  it("reads back what training writes", () => {
    const inputs = {
      eventsVersionId: EVENTS,
      catalogVersionId: CATALOG,
      featureSetId: null,
      segmentSetId: null,
    };
    expect(encodeInputIds(inputs)).toEqual([`events:${EVENTS}`, `catalog:${CATALOG}`]);
    expect(decodeInputIds(encodeInputIds(inputs))).toEqual(inputs);
  });

  it("gives serving every referenced id, bare ids too, and skips entries it cannot read", () => {
    const refs = readInputRefs([`events:${EVENTS}`, CATALOG, "events:not-an-id", `weights:${EVENTS}`, ""]);
    expect(refs).toEqual([
      { role: "events", id: EVENTS },
      { role: null, id: CATALOG },
    ]);
    expect(decodeInputIds([CATALOG]).eventsVersionId).toBe("");
  });
});
