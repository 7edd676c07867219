import type { LabelOption, LabelSchema } from "./queries";

// How the keyboard maps onto a schema's answers, and the value each draft submits. Kept apart from
// the components so the workbench and the review board answer the same way.

/** Järvelin & Kekäläinen's graded relevance, the API's RELEVANCE scale. */
const RELEVANCE_NAMES = ["irrelevant", "marginal", "relevant", "highly relevant"];

export type Draft =
  | { kind: "choice"; value: string | null }
  | { kind: "multi"; values: string[] }
  | { kind: "correction"; accepted: boolean | null; value: string }
  | { kind: "text"; value: string };

export type Choice = { key: string; value: string; label: string };

/** The answers shown as keys: digit -> option. Relevance uses its grades 0-3, choices count from 1. */
export const choicesOf = (schema: LabelSchema): Choice[] => {
  if (schema.type === "RELEVANCE") {
    const named = new Map(schema.options.map((option) => [option.value, option.label]));
    return ["0", "1", "2", "3"].map((grade) => ({
      key: grade,
      value: grade,
      label:
        named.get(grade) && named.get(grade) !== grade
          ? (named.get(grade) as string)
          : (RELEVANCE_NAMES[Number(grade)] ?? grade),
    }));
  }
  if (schema.type === "SINGLE_CHOICE" || schema.type === "MULTI_CHOICE") {
    return schema.options.slice(0, 9).map((option: LabelOption, i) => ({
      key: String(i + 1),
      value: option.value,
      label: option.label,
    }));
  }
  if (schema.type === "ATTRIBUTE_CORRECTION") {
    return [
      { key: "1", value: "accept", label: "accept the suggestion" },
      { key: "2", value: "fix", label: "fix it" },
    ];
  }
  return [];
};

export const emptyDraft = (schema: LabelSchema, payload: Record<string, unknown>): Draft => {
  switch (schema.type) {
    case "MULTI_CHOICE":
      return { kind: "multi", values: [] };
    case "ATTRIBUTE_CORRECTION":
      return { kind: "correction", accepted: null, value: String(payload.suggestion ?? "") };
    case "FREE_TEXT":
      return { kind: "text", value: "" };
    default: {
      // A verification task's suggestion is pre-selected, so Enter alone accepts it.
      const suggested = String(payload.suggestion ?? "");
      const preset =
        schema.type === "SINGLE_CHOICE" && schema.options.some((option) => option.value === suggested);
      return { kind: "choice", value: preset ? suggested : null };
    }
  }
};

/** The draft after pressing `key`, or null when the key means nothing for this schema. */
export const pressKey = (schema: LabelSchema, draft: Draft, key: string): Draft | null => {
  const choice = choicesOf(schema).find((candidate) => candidate.key === key);
  if (!choice) return null;
  if (draft.kind === "choice") return { kind: "choice", value: choice.value };
  if (draft.kind === "multi") {
    const values = draft.values.includes(choice.value)
      ? draft.values.filter((value) => value !== choice.value)
      : [...draft.values, choice.value];
    return { kind: "multi", values };
  }
  if (draft.kind === "correction") return { ...draft, accepted: choice.value === "accept" };
  return null;
};

/** The value to submit (as the API's schema type wants it), or null while the draft is incomplete. */
export const draftValue = (schema: LabelSchema, draft: Draft): unknown | null => {
  switch (draft.kind) {
    case "choice":
      if (draft.value === null) return null;
      return schema.type === "RELEVANCE" ? Number(draft.value) : draft.value;
    case "multi":
      return draft.values.length > 0 ? draft.values : null;
    case "correction":
      if (draft.accepted === null) return null;
      if (draft.accepted) return { accepted: true };
      return draft.value.trim() ? { accepted: false, value: draft.value.trim() } : null;
    case "text":
      return draft.value.trim() ? draft.value.trim() : null;
  }
};

/** A stored label as a reviewer reads it. */
export const formatValue = (schema: LabelSchema, value: unknown): string => {
  if (value === null || value === undefined) return "—";
  if (schema.type === "RELEVANCE") {
    const choice = choicesOf(schema).find((candidate) => candidate.value === String(value));
    return choice ? `${String(value)} ${choice.label}` : String(value);
  }
  if (schema.type === "ATTRIBUTE_CORRECTION") {
    const answer = value as { accepted?: boolean; value?: string };
    return answer.accepted ? "accept" : `fix: ${answer.value ?? ""}`;
  }
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "string") {
    return schema.options.find((option) => option.value === value)?.label ?? value;
  }
  return JSON.stringify(value);
};

// Fields of a generated payload that are for evaluation, not for the labeller (blind labelling).
const HIDDEN_FIELDS = new Set(["search", "catalogVersionId", "_line"]);

/** The payload's fields a labeller sees, in a stable order: query, title, description, the rest. */
export const visibleFields = (payload: Record<string, unknown>): [string, string][] => {
  const first = ["query", "title", "description", "attribute", "suggestion"];
  const keys = [
    ...first.filter((key) => key in payload),
    ...Object.keys(payload).filter((key) => !first.includes(key) && !HIDDEN_FIELDS.has(key)),
  ];
  return keys.map((key) => {
    const value = payload[key];
    return [key, typeof value === "string" ? value : JSON.stringify(value)];
  });
};
