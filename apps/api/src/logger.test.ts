import { describe, expect, it } from "vitest";
import { formatLogLine } from "./logger.ts";

describe("log lines", () => {
  it("redact personal data with a checkable shape in the message and every field", () => {
    const line = formatLogLine("warn", "job attempt failed for jane.doe@example.com", {
      error: "row 12: card 4111 1111 1111 1111 refused",
      nested: { phone: "+44 20 7946 0958", count: 3 },
      at: "2026-12-04T04:00:00.000Z",
    });
    const parsed = JSON.parse(line);
    expect(line).not.toContain("jane.doe@example.com");
    expect(line).not.toContain("4111 1111 1111 1111");
    expect(line).not.toContain("7946 0958");
    expect(parsed.msg).toBe("job attempt failed for [redacted]");
    expect(parsed.nested.count).toBe(3);
    expect(parsed.at).toBe("2026-12-04T04:00:00.000Z");
  });
});
