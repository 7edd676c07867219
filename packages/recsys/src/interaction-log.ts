// Raw (user, item, weight, time) triples mapped to dense integer ids: the splits work on this log,
// the models on CSR matrices built from a split's selection of it.
import { csrFromCoo, type TCsrMatrix } from "./csr-matrix.ts";

export type TInteraction = { user: string; item: string; weight: number; timestamp?: number };

export type TInteractionLog = {
  userIds: string[];
  itemIds: string[];
  userIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  users: Int32Array;
  items: Int32Array;
  weights: Float32Array;
  /** Seconds (or any monotone unit); 0 when the source had no time. */
  timestamps: Float64Array;
};

const indexOf = (index: Map<string, number>, ids: string[], id: string): number => {
  const known = index.get(id);
  if (known !== undefined) return known;
  index.set(id, ids.length);
  ids.push(id);
  return ids.length - 1;
};

/** Ids are numbered in order of first appearance, so the same input always gives the same ids. */
export const buildInteractionLog = (interactions: Iterable<TInteraction>): TInteractionLog => {
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  const timestamps: number[] = [];
  for (const row of interactions) {
    users.push(indexOf(userIndex, userIds, row.user));
    items.push(indexOf(itemIndex, itemIds, row.item));
    weights.push(row.weight);
    timestamps.push(row.timestamp ?? 0);
  }
  return {
    userIds,
    itemIds,
    userIndex,
    itemIndex,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: Float32Array.from(weights),
    timestamps: Float64Array.from(timestamps),
  };
};

/** users x items matrix of the selected log entries (all when `select` is omitted). */
export const matrixFromLog = (log: TInteractionLog, select?: ArrayLike<number>): TCsrMatrix =>
  csrFromCoo(
    { rows: log.userIds.length, cols: log.itemIds.length },
    { rows: log.users, cols: log.items, values: log.weights },
    select,
  );
