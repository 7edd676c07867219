// Shared shapes of the agreement statistics. Every statistic can be undefined on some inputs (0/0);
// instead of NaN it then carries `value: null` and a reason a caller can switch on and show.

/** One label. A table uses numbers or strings, never both. */
export type TCategory = number | string;

/** One rater's label for one item; null when that rater did not label the item. */
export type TRating = TCategory | null;

/** Items x raters: `table[item][rater]`. Every row has one entry per rater (null when missing). */
export type TRatingsTable = ReadonlyArray<ReadonlyArray<TRating>>;

/**
 * Why a statistic has no value:
 * - ALL_MISSING: there is not a single rating.
 * - SINGLE_RATER: the table has fewer than two raters, so nothing can be compared.
 * - NO_OVERLAP: there are several raters but no item carries two or more ratings.
 * - ONE_CATEGORY: all compared ratings use one category, so chance agreement is 1 (expected
 *   disagreement 0) and the chance-corrected ratio is 0/0.
 */
export type TUndefinedReason = "ALL_MISSING" | "SINGLE_RATER" | "NO_OVERLAP" | "ONE_CATEGORY";

export type TUndefined = { reason: TUndefinedReason; message: string };

/** Agreement weights for ordered labels (Cohen 1968; Fleiss & Cohen 1973 for quadratic). */
export type TWeights = "none" | "linear" | "quadratic";

/** Levels of measurement of Krippendorff (2011), each with its own difference function. */
export type TLevel = "nominal" | "ordinal" | "interval" | "ratio";

/** A chance-corrected agreement coefficient of the kappa family: (Po - Pe) / (1 - Pe). */
export type TKappa = {
  /** null when undefined; `reason` and `message` then say why. */
  value: number | null;
  reason: TUndefinedReason | null;
  message: string | null;
  /** Po, the (weighted) proportion of agreement; null when nothing was compared. */
  observedAgreement: number | null;
  /** Pe, the (weighted) agreement expected by chance; null when nothing was compared. */
  expectedAgreement: number | null;
  /** Items that entered the statistic. */
  items: number;
};

/** Thrown for malformed input; `item` / `rater` locate the offending cell when there is one. */
export class AgreementInputError extends Error {
  readonly code = "BAD_USER_INPUT";
  readonly item: number | null;
  readonly rater: number | null;

  constructor(message: string, where: { item?: number; rater?: number } = {}) {
    super(message);
    this.name = "AgreementInputError";
    this.item = where.item ?? null;
    this.rater = where.rater ?? null;
  }
}

const MESSAGES: Record<TUndefinedReason, string> = {
  ALL_MISSING: "undefined: there are no ratings",
  SINGLE_RATER: "undefined: agreement needs at least two raters",
  NO_OVERLAP: "undefined: no item was rated by two or more raters",
  ONE_CATEGORY: "undefined: every compared rating uses the same single category (chance agreement is 1)",
};

export const undefinedBecause = (reason: TUndefinedReason): TUndefined => ({
  reason,
  message: MESSAGES[reason],
});

/** A kappa with no value; Po and Pe are kept when they were computed (ONE_CATEGORY). */
export const undefinedKappa = (
  reason: TUndefinedReason,
  items: number,
  observed: number | null = null,
  expected: number | null = null,
): TKappa => ({
  value: null,
  ...undefinedBecause(reason),
  observedAgreement: observed,
  expectedAgreement: expected,
  items,
});
