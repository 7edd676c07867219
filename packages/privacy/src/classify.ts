import { nameHint } from "./name-hints.ts";
import type { TColumnSample, TEmbeddablePiiType, TPiiFinding, TPiiType } from "./pii-types.ts";
import {
  dateYear,
  findEmbeddedPii,
  isEmail,
  isIban,
  isIpAddress,
  isLoosePersonName,
  isLoosePhone,
  isLoosePostcode,
  isPaymentCard,
  isPersonName,
  isPhone,
  isPostalAddress,
  isPostcode,
  luhnValid,
} from "./value-detectors.ts";

export type TClassifyOptions = {
  /** Year used to judge whether dates can be birth dates (people are at least 13: COPPA/GDPR art. 8). */
  referenceYear: number;
  /** Findings below this confidence are dropped. */
  minConfidence?: number;
};

type TValueTests = { strict: (v: string) => boolean; loose: (v: string) => boolean };

const VALUE_TESTS: Record<Exclude<TPiiType, "FREE_TEXT" | "DATE_OF_BIRTH">, TValueTests> = {
  EMAIL: { strict: isEmail, loose: isEmail },
  PHONE: { strict: isPhone, loose: isLoosePhone },
  PERSON_NAME: { strict: isPersonName, loose: isLoosePersonName },
  POSTAL_ADDRESS: {
    strict: isPostalAddress,
    loose: (v) =>
      isPostalAddress(v) || (/\d/.test(v) && /\p{L}{3}/u.test(v) && /\s/.test(v) && v.length >= 8),
  },
  POSTCODE: { strict: isPostcode, loose: isLoosePostcode },
  IP_ADDRESS: { strict: isIpAddress, loose: isIpAddress },
  PAYMENT_CARD: {
    strict: isPaymentCard,
    loose: (v) => /^[\d\s-]{13,23}$/.test(v) && luhnValid(v.replace(/\D/g, "")),
  },
  IBAN: { strict: isIban, loose: isIban },
};

// A column is tagged when at least half of its sampled values pass the kind's test: shop data is dirty
// (placeholders, "n/a", test rows), so requiring every value would miss real PII columns, and a look-alike
// that passes by chance (a 16-digit order number passing Luhn one time in ten) stays far below half.
const MIN_SHARE = 0.5;

const round = (x: number): number => Math.round(x * 1000) / 1000;

const finding = (
  type: TPiiType,
  matched: number,
  sampled: number,
  nameMatch: boolean,
  confidence: number,
): TPiiFinding => ({
  type,
  confidence: round(Math.min(0.99, confidence)),
  valueShare: sampled === 0 ? 0 : round(matched / sampled),
  nameMatch,
  sampled,
  matched,
});

const classifyShape = (
  type: keyof typeof VALUE_TESTS,
  column: TColumnSample,
  values: string[],
): TPiiFinding | null => {
  const hint = nameHint(column.name, type);
  const tests = VALUE_TESTS[type];
  if (values.length === 0) return hint === "STRONG" ? finding(type, 0, 0, true, 0.55) : null;
  const test = hint === "STRONG" ? tests.loose : tests.strict;
  let matched = 0;
  for (const v of values) if (test(v)) matched++;
  const share = matched / values.length;
  if (share < MIN_SHARE) return null;
  const base = hint === "STRONG" ? 0.6 + 0.39 * share : 0.5 + 0.4 * share + (hint === "WEAK" ? 0.05 : 0);
  return finding(type, matched, values.length, hint !== null, base);
};

const classifyBirthDate = (
  column: TColumnSample,
  values: string[],
  referenceYear: number,
): TPiiFinding | null => {
  const hint = nameHint(column.name, "DATE_OF_BIRTH");
  if (values.length === 0) return hint ? finding("DATE_OF_BIRTH", 0, 0, true, 0.55) : null;
  const years: number[] = [];
  for (const v of values) {
    const year = dateYear(v);
    if (year !== null) years.push(year);
  }
  const adult = years.filter((y) => y >= 1900 && y <= referenceYear - 13);
  const share = adult.length / values.length;
  if (hint)
    return share >= MIN_SHARE
      ? finding("DATE_OF_BIRTH", adult.length, values.length, true, 0.6 + 0.39 * share)
      : null;
  // Without a name, birth dates are told from event dates by their spread: they lie at least 13 years back
  // and cover decades, where order and update dates cluster in a few recent years.
  const distinctDecades = new Set(adult.map((y) => Math.floor(y / 10))).size;
  if (share < 0.9 || distinctDecades < 3) return null;
  return finding("DATE_OF_BIRTH", adult.length, values.length, false, 0.5 + 0.3 * share);
};

const classifyFreeText = (column: TColumnSample, values: string[]): TPiiFinding | null => {
  const texts = values.filter((v) => v.length >= 15 && /\s/.test(v));
  if (texts.length < Math.max(1, values.length * 0.5)) return null;
  const contains = new Set<TEmbeddablePiiType>();
  let matched = 0;
  for (const text of texts) {
    const found = findEmbeddedPii(text);
    if (found.length > 0) matched++;
    for (const f of found) contains.add(f.type);
  }
  if (matched === 0) return null;
  const share = matched / values.length;
  // One leaked email in a review column is enough to need masking; confidence grows with the share.
  const hint = nameHint(column.name, "FREE_TEXT");
  const confidence = 0.55 + 0.4 * Math.min(1, share * 5) + (hint ? 0.04 : 0);
  return {
    ...finding("FREE_TEXT", matched, values.length, hint !== null, confidence),
    contains: [...contains].sort(),
  };
};

/**
 * The kinds of personal data a column holds, judged from its name and a sample of its values, most
 * confident first. A column holding whole values of one kind is not also reported as free text.
 */
export const classifyColumn = (column: TColumnSample, options: TClassifyOptions): TPiiFinding[] => {
  const values = column.values
    .filter((v): v is string => v !== null)
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const findings: TPiiFinding[] = [];
  for (const type of Object.keys(VALUE_TESTS) as (keyof typeof VALUE_TESTS)[]) {
    const f = classifyShape(type, column, values);
    if (f) findings.push(f);
  }
  const birth = classifyBirthDate(column, values, options.referenceYear);
  if (birth) findings.push(birth);
  // A column that is wholly one kind (e.g. emails) is that kind, not free text.
  if (!findings.some((f) => f.valueShare >= MIN_SHARE)) {
    const text = classifyFreeText(column, values);
    if (text) findings.push(text);
  }
  const min = options.minConfidence ?? 0.5;
  return findings.filter((f) => f.confidence >= min).sort((a, b) => b.confidence - a.confidence);
};
