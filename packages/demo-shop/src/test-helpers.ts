// Independent re-implementations used by the tests. Deliberately not shared with the
// generator, so a bookkeeping bug in the generator cannot hide itself.

import type { DemoShop } from "./types.ts";

/** Per-user category proportions from events joined to the catalogue (dirty rows skipped). */
export function categoryProfiles(shop: DemoShop): {
  userIds: string[];
  categories: string[];
  rows: number[][];
} {
  const categoryOf = new Map(shop.products.map((p) => [p.item_id, p.category]));
  const categories = [...new Set(shop.products.map((p) => p.category))].sort();
  const col = new Map(categories.map((c, i) => [c, i]));
  const counts = new Map<string, number[]>();
  for (const e of shop.events) {
    const category = categoryOf.get(e.item_id);
    if (e.user_id === null || category === undefined) continue;
    const row = counts.get(e.user_id) ?? categories.map(() => 0);
    const c = col.get(category) ?? 0;
    row[c] = (row[c] ?? 0) + 1;
    counts.set(e.user_id, row);
  }
  const userIds = [...counts.keys()].sort();
  const rows = userIds.map((u) => {
    const row = counts.get(u) ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((x) => x / total);
  });
  return { userIds, categories, rows };
}

const dist2 = (a: number[], b: number[]) => a.reduce((s, x, i) => s + (x - (b[i] ?? 0)) ** 2, 0);

/** Plain k-means with k-means++ seeding and restarts; a tiny LCG keeps the test deterministic. */
export function kMeans(points: number[][], k: number, restarts = 5): number[] {
  let state = 12345;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  let best: { labels: number[]; cost: number } = { labels: [], cost: Number.POSITIVE_INFINITY };
  for (let r = 0; r < restarts; r++) {
    const centres: number[][] = [[...(points[Math.floor(rand() * points.length)] ?? [])]];
    while (centres.length < k) {
      const d = points.map((p) => Math.min(...centres.map((c) => dist2(p, c))));
      // k-means++: next centre drawn with probability proportional to squared distance.
      let target = rand() * d.reduce((a, b) => a + b, 0);
      let idx = 0;
      while (idx < d.length - 1 && target > (d[idx] ?? 0)) {
        target -= d[idx] ?? 0;
        idx++;
      }
      centres.push([...(points[idx] ?? [])]);
    }
    let labels = points.map(() => 0);
    for (let iter = 0; iter < 50; iter++) {
      const next = points.map((p) => {
        let arg = 0;
        centres.forEach((c, j) => {
          if (dist2(p, c) < dist2(p, centres[arg] ?? [])) arg = j;
        });
        return arg;
      });
      const changed = next.some((l, i) => l !== labels[i]);
      labels = next;
      centres.forEach((c, j) => {
        const members = points.filter((_, i) => labels[i] === j);
        if (members.length === 0) return;
        c.splice(
          0,
          c.length,
          ...c.map((_, d) => members.reduce((s, m) => s + (m[d] ?? 0), 0) / members.length),
        );
      });
      if (!changed) break;
    }
    const cost = points.reduce((s, p, i) => s + dist2(p, centres[labels[i] ?? 0] ?? []), 0);
    if (cost < best.cost) best = { labels, cost };
  }
  return best.labels;
}

const choose2 = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie 1985). */
export function adjustedRandIndex(a: number[], b: number[]): number {
  const table = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const colSums = new Map<number, number>();
  a.forEach((x, i) => {
    const y = b[i] ?? -1;
    table.set(`${x},${y}`, (table.get(`${x},${y}`) ?? 0) + 1);
    rowSums.set(x, (rowSums.get(x) ?? 0) + 1);
    colSums.set(y, (colSums.get(y) ?? 0) + 1);
  });
  const sum = (m: Map<unknown, number>) => [...m.values()].reduce((s, n) => s + choose2(n), 0);
  const index = sum(table);
  const expected = (sum(rowSums) * sum(colSums)) / choose2(a.length);
  const max = (sum(rowSums) + sum(colSums)) / 2;
  return (index - expected) / (max - expected);
}

/** Minimal RFC 4180 parser, written independently of csv.ts so the round trip is a real check. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
