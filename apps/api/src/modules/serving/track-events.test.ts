import { describe, expect, it } from "vitest";
import { validateEvents } from "./track-events.ts";

const now = new Date("2026-11-28T12:00:00Z");

describe("validateEvents", () => {
  it("keeps valid events (trimmed ids, ts defaulting to now) and reports each bad field by index", () => {
    const { valid, errors } = validateEvents(
      [
        { userId: " u1 ", itemId: "i1", type: "click" },
        { userId: "u1", itemId: "", type: "nope" },
        { userId: "x".repeat(201), itemId: "i2", type: "view", ts: new Date("2026-11-28T12:04:00Z") },
        { userId: "u2", itemId: "i3", type: "purchase", ts: new Date("2026-11-28T12:06:00Z") },
        { userId: "u2", itemId: "i4", type: "cart", ts: new Date("invalid") },
      ],
      now,
    );
    expect(valid).toEqual([
      { userId: "u1", itemId: "i1", type: "click", ts: now, recommendationId: null, value: null },
    ]);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [1, "itemId"],
      [1, "type"],
      [2, "userId"],
      [3, "ts"],
      [4, "ts"],
    ]);
    expect(errors[2]!.message).toBe("userId is longer than 200 characters");
    expect(errors[4]!.message).toBe("ts is not a valid time");
  });

  it("keeps a recommendationId (lower-cased) and a purchase value, and refuses malformed ones", () => {
    const id = "0B3F2A1C-1111-4222-8333-444455556666";
    const { valid, errors } = validateEvents(
      [
        { userId: "u1", itemId: "i1", type: "purchase", recommendationId: id, value: 12.5 },
        { userId: "u1", itemId: "i1", type: "click", recommendationId: "rec-1" },
        { userId: "u1", itemId: "i1", type: "purchase", value: -3 },
      ],
      now,
    );
    expect(valid).toEqual([
      {
        userId: "u1",
        itemId: "i1",
        type: "purchase",
        ts: now,
        recommendationId: id.toLowerCase(),
        value: 12.5,
      },
    ]);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [1, "recommendationId"],
      [2, "value"],
    ]);
  });
});
