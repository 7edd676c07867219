import { z } from "zod";

// A template names columns by role ({title}) or, when no column has that role, by column name
// ({short_desc}); the text of an item is the template with each placeholder replaced by the value.
export const DEFAULT_EMBEDDING_TEMPLATE = "{title}. {description}";
export const MAX_TEMPLATE_LENGTH = 500;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export const ZTemplateColumn = z.object({
  name: z.string(),
  type: z.string(),
  role: z.string().nullable().optional(),
});
export type TTemplateColumn = z.infer<typeof ZTemplateColumn>;

export type TCompiledTemplate = {
  template: string;
  /** Distinct columns the template reads, in first-use order. */
  columns: string[];
  /** Literal text and column references, alternating as they appear. */
  parts: ({ literal: string } | { column: string })[];
};

export type TTemplateResult = { ok: true; compiled: TCompiledTemplate } | { ok: false; message: string };

const resolveColumn = (key: string, columns: TTemplateColumn[]): string | null =>
  columns.find((column) => column.role === key)?.name ??
  columns.find((column) => column.name === key)?.name ??
  null;

export const compileTemplate = (template: string, columns: TTemplateColumn[]): TTemplateResult => {
  if (template.length > MAX_TEMPLATE_LENGTH) {
    return { ok: false, message: `template: at most ${MAX_TEMPLATE_LENGTH} characters` };
  }
  const parts: TCompiledTemplate["parts"] = [];
  const used: string[] = [];
  const unknown: string[] = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index;
    if (index > at) parts.push({ literal: template.slice(at, index) });
    const key = match[1] as string;
    const column = resolveColumn(key, columns);
    if (column === null) unknown.push(key);
    else {
      parts.push({ column });
      if (!used.includes(column)) used.push(column);
    }
    at = index + match[0].length;
  }
  if (at < template.length) parts.push({ literal: template.slice(at) });
  if (unknown.length > 0) {
    const known = columns.map((column) => (column.role ? `${column.role} (${column.name})` : column.name));
    return {
      ok: false,
      message: `template: no column has the role or name ${unknown.map((key) => `{${key}}`).join(", ")}; columns: ${known.join(", ")}`,
    };
  }
  if (used.length === 0) return { ok: false, message: "template: names no column, e.g. {title}" };
  return { ok: true, compiled: { template, columns: used, parts } };
};

/**
 * The text of one item. Missing values become empty, and separators left dangling by them (". " after an
 * empty title) are trimmed, so an item with only a description embeds as its description.
 */
export const renderTemplate = (
  compiled: TCompiledTemplate,
  values: Record<string, string | null>,
): string => {
  const text = compiled.parts
    .map((part) => ("literal" in part ? part.literal : (values[part.column] ?? "")))
    .join("");
  return text
    .replace(/\s+/g, " ")
    .replace(/^[\s.,;:|-]+|[\s.,;:|-]+$/g, "")
    .trim();
};
