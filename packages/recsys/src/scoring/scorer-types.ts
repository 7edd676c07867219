// The shapes a scoring request and its answer share across the scorer's parts: who asks (a training
// user, their recent history), what may come back (`TAccept`), and why each item came back (`TReason`).

export type TServingSource =
  | "FACTORS_USER"
  | "FACTORS_FOLD_IN"
  | "NEIGHBOURS_HISTORY"
  | "HYBRID"
  | "CONTENT_USER"
  | "CONTENT_FOLD_IN"
  | "SEGMENT_POPULARITY"
  | "POPULARITY";

export type TReason =
  | { kind: "HISTORY_ITEM"; item: number; weight: number }
  | { kind: "NEIGHBOUR_ITEM"; item: number; weight: number }
  | { kind: "LATENT_FACTOR"; factor: number; weight: number }
  /** `block` is the position in the artifact's content blocks; `weight` its share of x_i . q. */
  | { kind: "FEATURE_BLOCK"; block: number; weight: number }
  | { kind: "POPULARITY"; weight: number }
  /** `segment` is the position in the artifact's segments list; `weight` the members' interactions. */
  | { kind: "SEGMENT_POPULARITY"; segment: number; weight: number };

export type TScoredItem = { item: number; score: number; reasons: TReason[] };

/** A candidate before its reasons are worked out. */
export type TFoundItem = { item: number; score: number };

/** A user's recent items (distinct internal indices) with their confidence (e.g. 1 per click, more per purchase). */
export type THistory = { items: Int32Array; weights: Float32Array };

/** Whether an item may be returned (see item-acceptor.ts). */
export type TAccept = (item: number) => boolean;

export type TRecommendRequest = {
  /** Internal index of a training user, or -1 for a user the model never saw. */
  user: number;
  history: THistory;
  first: number;
  /** Items never to return (e.g. already seen); checked before `allow`. */
  exclude?: ReadonlySet<number>;
  /** Metadata filter (category, price...); items failing it are never returned. */
  allow?: (item: number) => boolean;
  /** Segment position of the user (see `segmentOf`), -1 or omitted when in none. */
  segment?: number;
};

export type TRecommendAnswer = { source: TServingSource; items: TScoredItem[] };

const EMPTY_HISTORY: THistory = { items: new Int32Array(0), weights: new Float32Array(0) };
export const emptyHistory = (): THistory => EMPTY_HISTORY;
