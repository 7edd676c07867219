// Which items an answer may hold: the request's exclusions (items already seen, the query item) and
// its metadata filter, folded into one predicate that every candidate walk checks.
import type { TAccept } from "./scorer-types.ts";

/**
 * The acceptor of a request that neither excludes nor filters. Walks compare against it by identity
 * to skip the per-item call (factor-index.ts).
 */
export const ACCEPT_ALL: TAccept = (_item: number): boolean => true;

/** One predicate for "not excluded and allowed"; `ACCEPT_ALL` itself when neither is given. */
export const acceptorOf = (exclude?: ReadonlySet<number>, allow?: TAccept): TAccept => {
  if (exclude && exclude.size > 0) return allow ? (i) => !exclude.has(i) && allow(i) : (i) => !exclude.has(i);
  return allow ?? ACCEPT_ALL;
};
