import { describe, expect, it } from "vitest";
import { compileTemplate, renderTemplate, type TTemplateColumn } from "./embedding-template.ts";

const COLUMNS: TTemplateColumn[] = [
  { name: "sku", type: "text", role: "itemId" },
  { name: "product_name", type: "text", role: "title" },
  { name: "long_text", type: "text", role: "description" },
  { name: "colour", type: "text", role: null },
];

const compile = (template: string) => {
  const result = compileTemplate(template, COLUMNS);
  if (!result.ok) throw new Error(result.message);
  return result.compiled;
};

describe("compileTemplate", () => {
  it("resolves roles first, then column names", () => {
    const compiled = compile("{title}. {description} ({colour}) {title}");
    expect(compiled.columns).toEqual(["product_name", "long_text", "colour"]);
  });

  it("names every unknown placeholder and the available columns", () => {
    const result = compileTemplate("{title} {brand} {size}", COLUMNS);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain("{brand}, {size}");
      expect(result.message).toContain("title (product_name)");
    }
  });

  it("rejects a template without any placeholder", () => {
    expect(compileTemplate("just text", COLUMNS).ok).toBe(false);
  });
});

describe("renderTemplate", () => {
  it("substitutes values and collapses whitespace", () => {
    const compiled = compile("{title}. {description}");
    expect(renderTemplate(compiled, { product_name: "Blue mug", long_text: "A  mug\nfor tea" })).toBe(
      "Blue mug. A mug for tea",
    );
  });

  it("trims separators left by missing values", () => {
    const compiled = compile("{title}. {description}");
    expect(renderTemplate(compiled, { product_name: null, long_text: "Garden hose" })).toBe("Garden hose");
    expect(renderTemplate(compiled, { product_name: "Lamp", long_text: null })).toBe("Lamp");
    expect(renderTemplate(compiled, { product_name: null, long_text: null })).toBe("");
  });
});
