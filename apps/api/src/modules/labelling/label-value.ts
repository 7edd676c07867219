import { z } from "zod";
import { AppError } from "../../errors/app-error.ts";

// What a label looks like for each schema type, and the category a label counts as in agreement
// statistics. The service stores the normalised value, so equal answers compare equal as jsonb in SQL.

export const LABEL_SCHEMA_TYPES = [
  "SINGLE_CHOICE",
  "MULTI_CHOICE",
  "RELEVANCE",
  "ATTRIBUTE_CORRECTION",
  "FREE_TEXT",
] as const;
export type TLabelSchemaType = (typeof LABEL_SCHEMA_TYPES)[number];

export const ZLabelOption = z.object({
  value: z.string().trim().min(1).max(200),
  label: z.string().trim().max(200).optional(),
});
export type TLabelOption = z.infer<typeof ZLabelOption>;

/** Graded relevance of Järvelin & Kekäläinen's cumulated-gain scale: 0 irrelevant .. 3 highly relevant. */
export const RELEVANCE_GRADES = [0, 1, 2, 3] as const;
const MAX_TEXT = 10_000;

export const checkSchemaOptions = (type: TLabelSchemaType, options: TLabelOption[]): TLabelOption[] => {
  const parsed = z.array(ZLabelOption).max(100).safeParse(options);
  if (!parsed.success) {
    throw new AppError("BAD_USER_INPUT", `options: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      field: "options",
    });
  }
  const values = parsed.data.map((option) => option.value);
  if (new Set(values).size !== values.length) {
    throw new AppError("BAD_USER_INPUT", "options: every option value must be unique", { field: "options" });
  }
  if ((type === "SINGLE_CHOICE" || type === "MULTI_CHOICE") && values.length < 2) {
    throw new AppError("BAD_USER_INPUT", `options: a ${type} schema needs at least two options`, {
      field: "options",
    });
  }
  if (type === "RELEVANCE" && values.some((value) => !RELEVANCE_GRADES.map(String).includes(value))) {
    throw new AppError("BAD_USER_INPUT", "options: RELEVANCE options may only name the grades 0, 1, 2, 3", {
      field: "options",
    });
  }
  return parsed.data;
};

const bad = (message: string): AppError =>
  new AppError("BAD_USER_INPUT", `value: ${message}`, { field: "value" });

/** Validates a submitted value against its schema and returns the normalised value to store. */
export const normaliseLabelValue = (
  type: TLabelSchemaType,
  options: TLabelOption[],
  value: unknown,
): unknown => {
  const allowed = new Set(options.map((option) => option.value));
  switch (type) {
    case "SINGLE_CHOICE": {
      if (typeof value !== "string" || !allowed.has(value)) {
        throw bad(`must be one of ${[...allowed].join(", ")}`);
      }
      return value;
    }
    case "MULTI_CHOICE": {
      if (!Array.isArray(value) || value.length === 0) throw bad("must be a non-empty list of option values");
      const unknown = value.find((item) => typeof item !== "string" || !allowed.has(item));
      if (unknown !== undefined)
        throw bad(`${JSON.stringify(unknown)} is not one of ${[...allowed].join(", ")}`);
      // Sorted and de-duplicated: ["b","a"] and ["a","b","a"] are the same answer.
      return [...new Set(value as string[])].sort();
    }
    case "RELEVANCE": {
      if (typeof value !== "number" || !(RELEVANCE_GRADES as readonly number[]).includes(value)) {
        throw bad("must be a relevance grade 0, 1, 2 or 3");
      }
      return value;
    }
    case "ATTRIBUTE_CORRECTION": {
      const parsed = z
        .object({ accepted: z.boolean(), value: z.string().trim().max(MAX_TEXT).optional() })
        .strict()
        .safeParse(value);
      if (!parsed.success) throw bad('must be { "accepted": true } or { "accepted": false, "value": "..." }');
      if (parsed.data.accepted) return { accepted: true };
      if (!parsed.data.value) throw bad("a correction (accepted: false) needs the corrected value");
      return { accepted: false, value: parsed.data.value };
    }
    case "FREE_TEXT": {
      if (typeof value !== "string" || value.trim() === "" || value.length > MAX_TEXT) {
        throw bad(`must be non-empty text of at most ${MAX_TEXT} characters`);
      }
      return value.trim();
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown label schema type ${String(unreachable)}`);
    }
  }
};

/**
 * The category a stored label counts as for agreement: relevance grades stay numbers (ordinal alpha
 * needs them); a multiple choice counts as its whole set; an attribute correction counts as "accept"
 * or as the corrected value; free text as its case-folded text.
 */
export const agreementCategory = (type: TLabelSchemaType, value: unknown): string | number => {
  switch (type) {
    case "RELEVANCE":
      return Number(value);
    case "SINGLE_CHOICE":
      return String(value);
    case "MULTI_CHOICE":
      return (value as string[]).join("|");
    case "ATTRIBUTE_CORRECTION": {
      const answer = value as { accepted: boolean; value?: string };
      return answer.accepted ? "accept" : `fix:${answer.value ?? ""}`;
    }
    case "FREE_TEXT":
      return String(value).toLowerCase();
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown label schema type ${String(unreachable)}`);
    }
  }
};

export const isLabelSchemaType = (type: string): type is TLabelSchemaType =>
  (LABEL_SCHEMA_TYPES as readonly string[]).includes(type);
