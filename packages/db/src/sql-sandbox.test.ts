import { describe, expect, it } from "vitest";
import { sandboxRoleName } from "./sql-sandbox.ts";

describe("sandboxRoleName", () => {
  it("names the role after its database, at most 63 bytes, distinct for names that sanitise alike", () => {
    expect(sandboxRoleName("dam")).toMatch(/^dam_sql_sandbox_[0-9a-f]{8}$/);
    expect(sandboxRoleName("dam_test_0a1b2c3d4e5f")).toMatch(/^dam_test_0a1b2c3d4e5f_sql_sandbox_/);
    expect(sandboxRoleName("Shop-Prod")).not.toBe(sandboxRoleName("shop_prod"));
    expect(sandboxRoleName("x".repeat(63)).length).toBeLessThanOrEqual(63);
    expect(sandboxRoleName('we"ird; name')).toMatch(/^[a-z0-9_]+$/);
    expect(sandboxRoleName("dam")).toBe(sandboxRoleName("dam"));
  });
});
