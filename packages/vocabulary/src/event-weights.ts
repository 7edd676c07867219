import { z } from "zod";

/**
 * How much one event of each type (lower-cased) says about a shopper's interest: the one table that
 * training (interaction weights), serving (fold-in of tracked events) and shopper profiles read.
 *
 * Why these numbers: they are the ones every model so far was trained and evaluated with (the training
 * table; serving folded in with purchase 4 and profiles used a 1..5 ladder, neither chosen on any
 * measurement). Keeping them leaves every trained model's recorded metrics valid, and a model now folds
 * in live events with the weights it was fitted on. The ordering follows the funnel (view < cart <
 * purchase), as in the confidence weighting of Hu, Koren & Volinsky (ICDM 2008), where stronger
 * evidence of preference gets a larger confidence; a click and a view are the same weak evidence.
 * `favorite` is the US spelling some exports use for `favourite`.
 */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  view: 1,
  click: 1,
  favourite: 2,
  favorite: 2,
  cart: 3,
  purchase: 5,
});

/**
 * Weight of an event whose type the table does not name, and of an event without a type (a
 * transaction or rating log). A weight of 0 in a table drops that type's events.
 */
export const DEFAULT_EVENT_WEIGHT = 1;
export const MAX_EVENT_WEIGHT = 1_000;
const MAX_WEIGHTED_TYPES = 50;

export type TEventWeights = Readonly<Record<string, number>>;

/**
 * A weight table given by a client (a training request, a profile set's params): types lower-cased and
 * trimmed, weights between 0 and MAX_EVENT_WEIGHT. Keys that only differ in case must agree.
 */
export const ZEventWeights = z
  .record(z.string().trim().min(1).max(40), z.number().min(0).max(MAX_EVENT_WEIGHT))
  .refine((weights) => Object.keys(weights).length <= MAX_WEIGHTED_TYPES, {
    message: `at most ${MAX_WEIGHTED_TYPES} event types may be weighted`,
  })
  .transform((weights, context): TEventWeights => {
    const out: Record<string, number> = {};
    for (const [type, weight] of Object.entries(weights)) {
      const key = type.toLowerCase();
      if (out[key] !== undefined && out[key] !== weight) {
        context.addIssue({
          code: "custom",
          path: [type],
          message: `"${type}" and another spelling of it weigh ${out[key]} and ${weight}`,
        });
      }
      out[key] = weight;
    }
    return out;
  });

/** The weight of one event by its type (any case); DEFAULT_EVENT_WEIGHT when unnamed or untyped. */
export const eventWeightOf = (weights: TEventWeights, type: string | null | undefined): number => {
  if (type === null || type === undefined) return DEFAULT_EVENT_WEIGHT;
  return weights[type.toLowerCase()] ?? DEFAULT_EVENT_WEIGHT;
};

/**
 * The weights a model recorded when it was trained (its artifact's or its params' `eventWeights`), or
 * the default table for a model trained before weights were recorded (they were trained with it).
 */
export const recordedEventWeights = (recorded: unknown): TEventWeights => {
  const parsed = ZEventWeights.safeParse(recorded);
  return parsed.success ? parsed.data : DEFAULT_EVENT_WEIGHTS;
};
