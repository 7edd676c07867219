import { describe, expect, it } from "vitest";
import { modelInputIds, readModelInputs } from "./model-inputs.ts";

const EVENTS = "0b0d6c1e-8a57-4b8e-9a55-1f1f3a0e2c11";
const CATALOG = "6f7a2b90-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("model inputs", () => {
  it("reads back what training writes and lists every referenced id", () => {
    const stored: unknown = JSON.parse(
      JSON.stringify({
        eventsVersionId: EVENTS,
        catalogVersionId: CATALOG,
        featureSetId: null,
        segmentSetId: null,
      }),
    );
    const inputs = readModelInputs(stored);
    expect(inputs).toEqual({
      eventsVersionId: EVENTS,
      catalogVersionId: CATALOG,
      featureSetId: null,
      segmentSetId: null,
    });
    expect(modelInputIds(inputs)).toEqual([EVENTS, CATALOG]);
  });

  it("refuses stored JSON of another shape, and lists no id for a version without recorded inputs", () => {
    expect(() => readModelInputs([`events:${EVENTS}`])).toThrow();
    expect(() => readModelInputs({ eventsVersionId: EVENTS })).toThrow();
    const none = readModelInputs({
      eventsVersionId: "",
      catalogVersionId: null,
      featureSetId: null,
      segmentSetId: null,
    });
    expect(modelInputIds(none)).toEqual([]);
  });
});
