import { mulberry32 } from "@dam/vocabulary/prng";
import { describe, expect, it } from "vitest";
import { readFixedPattern, type TFixedPattern } from "./fixed-pattern.ts";

// What the compiled SQL computes: char_length, then substr(...) = literal or ltrim(substr(...), chars) = ''.
const matches = (fixed: TFixedPattern, value: string): boolean => {
  const chars = [...value];
  if (chars.length !== fixed.length) return false;
  return fixed.segments.every((segment) => {
    const piece = chars.slice(segment.start - 1, segment.start - 1 + segment.length);
    return "literal" in segment
      ? piece.join("") === segment.literal
      : piece.every((char) => segment.chars.includes(char));
  });
};

const seeded = mulberry32;

describe("readFixedPattern", () => {
  it("reads anchored fixed-width patterns into runs of literals and classes", () => {
    expect(readFixedPattern("^E[0-9]{9}$")).toEqual({
      length: 10,
      segments: [
        { start: 1, length: 1, literal: "E" },
        { start: 2, length: 9, chars: "0123456789" },
      ],
    });
    expect(readFixedPattern("^[A-Z]{2}\\-[0-9a-f]{4}x$")).toEqual({
      length: 8,
      segments: [
        { start: 1, length: 2, chars: "ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
        { start: 3, length: 1, literal: "-" },
        { start: 4, length: 4, chars: "0123456789abcdef" },
        { start: 8, length: 1, literal: "x" },
      ],
    });
  });

  it("leaves every other pattern to the regex engine", () => {
    for (const pattern of [
      "E[0-9]{9}$",
      "^E[0-9]{9}",
      "^E[0-9]+$",
      "^E\\d{9}$",
      "^E.{9}$",
      "^(a|b)$",
      "^[^0-9]{2}$",
      "^[0-9]{1,3}$",
      "^a?$",
      "^[9-0]$",
      "^[a-Z]$",
      "^$",
      "^a\\$",
      "^[a-z]{0}$",
    ]) {
      expect(readFixedPattern(pattern), pattern).toBeNull();
    }
  });

  it("accepts exactly the strings the regex accepts", () => {
    const random = seeded(7);
    const alphabet = ["E", "e", "0", "5", "9", "A", "Z", "f", "g", "-", "x", "é", " ", "_"];
    const patterns = ["^E[0-9]{9}$", "^[A-Z]{2}\\-[0-9a-f]{4}x$", "^ab_[xyz]{3}[0-9]$", "^[A-Za-z0-9_]{3}$"];
    for (const pattern of patterns) {
      const fixed = readFixedPattern(pattern);
      expect(fixed, pattern).not.toBeNull();
      const regex = new RegExp(pattern);
      for (let round = 0; round < 3_000; round++) {
        let value = "";
        const length = Math.floor(random() * ((fixed as TFixedPattern).length + 3));
        for (let k = 0; k < length; k++) value += alphabet[Math.floor(random() * alphabet.length)];
        // Half the time, start from a string that matches and change at most one character.
        if (round % 2 === 0 && pattern === "^E[0-9]{9}$") value = `E${String(round).padStart(9, "0")}`;
        expect(matches(fixed as TFixedPattern, value), `${pattern} on ${JSON.stringify(value)}`).toBe(
          regex.test(value),
        );
      }
    }
  });
});
