// Cold start: the answer for a user the model cannot score. Within the user's segment when the
// artifact carries segment popularity and the user is a member, filled up from overall popularity
// when the segment runs short; overall popularity otherwise.
import type { TModelArtifact } from "../model-artifact.ts";
import type { TAccept, TScoredItem } from "./scorer-types.ts";

export class PopularityScoring {
  private readonly artifact: TModelArtifact;
  /** Items by descending popularity (ties to the lower index), for the walk. */
  private readonly byPopularity: Int32Array;
  /** Segment position of each member of the artifact's segment set (noise users are not members). */
  private readonly segmentIndex: Map<string, number>;

  constructor(artifact: TModelArtifact) {
    this.artifact = artifact;
    const segments = artifact.segments;
    this.segmentIndex = new Map(segments?.memberIds.map((id, m) => [id, segments.memberSegment[m]!]));
    const order = Array.from({ length: artifact.itemIds.length }, (_, i) => i);
    order.sort((a, b) => artifact.popularity[b]! - artifact.popularity[a]! || a - b);
    this.byPopularity = Int32Array.from(order);
  }

  /** The user's segment position in the artifact's segments list, -1 when in none (or no segments). */
  segmentOf(userId: string): number {
    return this.segmentIndex.get(userId) ?? -1;
  }

  /** Whether `segment` is a position of the artifact's segments list. */
  hasSegment(segment: number): boolean {
    return segment >= 0 && !!this.artifact.segments && segment < this.artifact.segments.list.length;
  }

  /** The most popular acceptable items (score = training interactions). */
  top(first: number, accept: TAccept): TScoredItem[] {
    const out: TScoredItem[] = [];
    for (let r = 0; r < this.byPopularity.length && out.length < first; r++) {
      const item = this.byPopularity[r]!;
      if (!accept(item)) continue;
      const score = this.artifact.popularity[item]!;
      out.push({ item, score, reasons: [{ kind: "POPULARITY", weight: score }] });
    }
    return out;
  }

  /**
   * The segment's most popular acceptable items (score = the members' interactions), then, when the
   * segment's list runs short, overall popular items not listed yet. Those fill items score 0: the
   * answer stays ordered by score, and their reason carries the overall count.
   */
  segmentTop(segment: number, first: number, accept: TAccept): TScoredItem[] {
    const { k, items, counts } = this.artifact.segments!.top;
    const out: TScoredItem[] = [];
    const taken = new Set<number>();
    for (let t = segment * k; t < (segment + 1) * k && out.length < first; t++) {
      const item = items[t]!;
      if (item < 0) break;
      if (!accept(item)) continue;
      taken.add(item);
      out.push({
        item,
        score: counts[t]!,
        reasons: [{ kind: "SEGMENT_POPULARITY", segment, weight: counts[t]! }],
      });
    }
    if (out.length === 0 || out.length >= first) return out;
    const fill = this.top(first - out.length, (item) => !taken.has(item) && accept(item));
    for (const found of fill) out.push({ ...found, score: 0 });
    return out;
  }
}
