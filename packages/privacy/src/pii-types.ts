import { z } from "zod";

/** The kinds of personal data the classifier looks for (issue 14). */
export const PII_TYPES = [
  "EMAIL",
  "PHONE",
  "PERSON_NAME",
  "POSTAL_ADDRESS",
  "POSTCODE",
  "IP_ADDRESS",
  "PAYMENT_CARD",
  "IBAN",
  "DATE_OF_BIRTH",
  "FREE_TEXT",
] as const;

export const ZPiiType = z.enum(PII_TYPES);
export type TPiiType = z.infer<typeof ZPiiType>;

/** Kinds a free-text value is scanned for (the ones with a shape that can be found inside text). */
export const EMBEDDABLE_PII_TYPES = ["EMAIL", "PHONE", "PAYMENT_CARD", "IBAN", "IP_ADDRESS"] as const;
export type TEmbeddablePiiType = (typeof EMBEDDABLE_PII_TYPES)[number];

export const MASKING_MODES = ["REDACT", "PARTIAL", "HASH"] as const;
export const ZMaskingMode = z.enum(MASKING_MODES);
export type TMaskingMode = z.infer<typeof ZMaskingMode>;

/** One column as the classifier sees it: its name, its storage type and a sample of its values as text. */
export type TColumnSample = {
  name: string;
  type: string;
  /** Sampled values rendered as text; nulls are skipped by the classifier. */
  values: readonly (string | null)[];
};

export type TPiiFinding = {
  type: TPiiType;
  /** 0..1: how sure the classifier is that the column holds this kind of data. */
  confidence: number;
  /** Share of the non-null sampled values that matched the type's value test. */
  valueShare: number;
  /** Whether the column's name pointed at the type. */
  nameMatch: boolean;
  sampled: number;
  matched: number;
  /** For FREE_TEXT: which embedded kinds were seen inside the values. */
  contains?: TEmbeddablePiiType[];
};
