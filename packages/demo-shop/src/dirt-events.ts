import { itemIdOf } from "./format.ts";
import type { DirtCounts } from "./options.ts";
import { type Rng, sampleIndexList } from "./prng.ts";
import type { DirtTruth, EventRow } from "./types.ts";

type EventDirt = { rows: EventRow[]; truth: DirtTruth["events"] };

/**
 * Plant event dirt on disjoint sets of events: an event is at most one of
 * duplicated / unknown item / missing user. Duplicated events are otherwise clean.
 */
export function applyEventDirt(rng: Rng, clean: EventRow[], counts: DirtCounts, products: number): EventDirt {
  // Copy-on-write: only the touched rows are cloned, so the input stays untouched without
  // paying for 200k object copies.
  const rows = clean.slice();
  const picked = sampleIndexList(
    rng,
    rows.length,
    counts.eventDuplicates + counts.unknownItemEvents + counts.missingUserEvents,
  );
  const duplicated = new Set(picked.slice(0, counts.eventDuplicates));
  const unknown = picked.slice(counts.eventDuplicates, counts.eventDuplicates + counts.unknownItemEvents);
  const noUser = picked.slice(counts.eventDuplicates + counts.unknownItemEvents);

  const unknownItemIds = new Set<string>();
  for (const i of unknown) {
    // Real ids are P000001..P<products>; anything above cannot exist in the catalogue.
    const id = itemIdOf(products + 1 + Math.floor(rng() * products));
    unknownItemIds.add(id);
    rows[i] = { ...(rows[i] as EventRow), item_id: id };
  }
  for (const i of noUser) rows[i] = { ...(rows[i] as EventRow), user_id: null };

  // Copies go right after the original: same timestamp, so the file stays sorted
  // (this is what an at-least-once delivery retry looks like).
  const out: EventRow[] = [];
  rows.forEach((row, i) => {
    out.push(row);
    if (duplicated.has(i)) out.push({ ...row });
  });

  const ids = (idx: Iterable<number>) =>
    [...idx].sort((a, b) => a - b).map((i) => (rows[i] as EventRow).event_id);
  return {
    rows: out,
    truth: {
      duplicateRows: { count: duplicated.size, ids: ids(duplicated) },
      unknownItem: { count: unknown.length, ids: ids(unknown), unknownItemIds: [...unknownItemIds].sort() },
      missingUser: { count: noUser.length, ids: ids(noUser) },
    },
  };
}
