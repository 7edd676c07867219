import type { TProfileData } from "./profile-artifact.ts";

export type TShare = { name: string; share: number };

export type TSegmentSummary = {
  topCategories: TShare[];
  bands: TShare[];
  rfm: { recencyDaysMedian: number; frequencyMean: number; monetaryMean: number; eventsMean: number };
  eventTypes: { name: string; mean: number }[];
};

const median = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * What a segment is, in the steward's terms: its members' mean category and price-band shares (top 3
 * categories), median recency and mean frequency / monetary value / events, mean counts by event type.
 */
export const describeSegment = (profile: TProfileData, members: number[]): TSegmentSummary => {
  const { manifest, features } = profile;
  const width = manifest.features.length;
  const column = new Map(manifest.features.map((name, i) => [name, i]));
  const mean = (name: string) => {
    const c = column.get(name);
    if (c === undefined || members.length === 0) return 0;
    let sum = 0;
    for (const u of members) sum += features[u * width + c]!;
    return sum / members.length;
  };
  const shares = (prefix: string, names: string[]) =>
    names
      .map((name) => ({ name, share: round(mean(`${prefix}${name}`)) }))
      .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name));
  const recency = column.get("rfm.recencyDays");
  return {
    topCategories: shares("category.", manifest.categories).slice(0, 3),
    bands: shares("band.", manifest.bands),
    rfm: {
      recencyDaysMedian: round(
        recency === undefined ? 0 : median(members.map((u) => features[u * width + recency]!)),
        2,
      ),
      frequencyMean: round(mean("rfm.frequency"), 2),
      monetaryMean: round(mean("rfm.monetary"), 2),
      eventsMean: round(mean("rfm.events"), 2),
    },
    eventTypes: manifest.eventTypes.map((name) => ({ name, mean: round(mean(`events.${name}`), 2) })),
  };
};

/** A short name: the two leading categories and the dominant price band, e.g. "Garden + Kitchen (budget)". */
export const nameSegment = (index: number, summary: TSegmentSummary): string => {
  const cats = summary.topCategories
    .filter((c) => c.share > 0)
    .slice(0, 2)
    .map((c) => c.name);
  const band = summary.bands[0] && summary.bands[0].share > 0 ? ` (${summary.bands[0].name})` : "";
  return cats.length > 0 ? `${cats.join(" + ")}${band}` : `Segment ${index + 1}${band}`;
};
