import { describe, expect, it } from "vitest";
import { classifyColumn } from "./classify.ts";
import { generatePlantedTable, scoreClassification } from "./planted-table.ts";

const options = { referenceYear: 2026 };

describe("classifyColumn", () => {
  it("reaches precision and recall of at least 0.95 on the planted table", () => {
    const table = generatePlantedTable(1_000);
    const findings = new Map(table.map((c) => [c.name, classifyColumn(c, options)]));
    const score = scoreClassification(table, findings);
    expect(score.errors).toEqual([]);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("is as right on a small sample and on another seed", () => {
    for (const seed of [1, 2, 3]) {
      const table = generatePlantedTable(200, seed);
      const score = scoreClassification(
        table,
        new Map(table.map((c) => [c.name, classifyColumn(c, options)])),
      );
      expect(score.precision).toBeGreaterThanOrEqual(0.95);
      expect(score.recall).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("trusts a strong column name over a dictionary, and rejects already pseudonymised values", () => {
    const names = classifyColumn(
      { name: "last_name", type: "text", values: ["Zyx", "Qwerty", "Brzezinski"] },
      options,
    );
    expect(names[0]?.type).toBe("PERSON_NAME");
    const hashed = classifyColumn(
      { name: "email", type: "text", values: ["pii_0a1b2c3d4e5f6a7b8c9d"] },
      options,
    );
    expect(hashed).toEqual([]);
  });

  it("reports confidence that grows with the share of matching values", () => {
    const mixed = (n: number) =>
      Array.from({ length: 10 }, (_, i) => (i < n ? `user${i}@example.com` : `SKU-${i}`));
    const six = classifyColumn({ name: "c", type: "text", values: mixed(6) }, options)[0];
    const ten = classifyColumn({ name: "c", type: "text", values: mixed(10) }, options)[0];
    expect(six?.type).toBe("EMAIL");
    expect(ten?.confidence).toBeGreaterThan(six?.confidence ?? 1);
    expect(classifyColumn({ name: "c", type: "text", values: mixed(3) }, options)).toEqual([]);
  });
});
