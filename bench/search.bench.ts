// Search speed on 100,000 generated products (the demo shop's generator): index build time and
// in-process query latency (p50 / p99 over the judged queries of search-relevance, 3 rounds after a
// warm-up round, first 10; at most BUDGET_MS of measuring per engine) for our engine (lexical; and with facets over 5 fields plus a price filter)
// against minisearch (fuzzy 0.2, prefix) and @orama/orama (tolerance 1) on the same catalogue and
// queries in the same run. Goals (issue 15): build <= 2x the faster peer's; query p50 at or below the
// faster peer's median.
import { searchIndex } from "@dam/search/search-query";
import { forgetExpansions } from "@dam/search/word-variants";
import { machineInfo, sampleRss, type TBenchResult, type TBenchRow } from "./bench-result.ts";
import { demoCatalogue, judgedQueries } from "./search-catalogue.ts";
import {
  buildMiniSearch,
  buildOrama,
  buildOurIndex,
  miniSearchEngine,
  oramaEngine,
  type TEngine,
} from "./search-engines.ts";

const PRODUCTS = 100_000;
const ROUNDS = 3;
/**
 * Measuring stops for an engine after this long (after the warm-up), with the queries measured so
 * far: a peer taking seconds per query would otherwise hold the run for hours. The row says how many.
 */
const BUDGET_MS = 120_000;
const log = (line: string) => process.stderr.write(`[bench search] ${line}\n`);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const timeBuild = async <T>(
  build: () => T | Promise<T>,
): Promise<{ value: T; seconds: number; growthMb: number }> => {
  (globalThis as { gc?: () => void }).gc?.();
  const rss = sampleRss();
  const started = performance.now();
  const value = await build();
  const seconds = (performance.now() - started) / 1000;
  return { value, seconds, growthMb: rss.stop().growthMb };
};

const measure = async (engine: TEngine, queries: string[]) => {
  const warmUpStarted = performance.now();
  for (const query of queries) {
    if (performance.now() - warmUpStarted > BUDGET_MS) break;
    await engine.search(query, 10);
  }
  const times: number[] = [];
  const started = performance.now();
  measuring: for (let r = 0; r < ROUNDS; r++) {
    for (const query of queries) {
      if (performance.now() - started > BUDGET_MS) break measuring;
      const queryStarted = performance.now();
      await engine.search(query, 10);
      times.push(performance.now() - queryStarted);
    }
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(quantile(times, 0.5)), p99Ms: round(quantile(times, 0.99)), queries: times.length };
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const rows = demoCatalogue(PRODUCTS);
  const queries = judgedQueries(rows, 40).map((q) => q.query);
  log(`${rows.length} products, ${queries.length} queries x ${ROUNDS} rounds`);

  const ours = await timeBuild(() => buildOurIndex(rows));
  log(`ours built in ${round(ours.seconds)} s`);
  const mini = await timeBuild(() => buildMiniSearch(rows));
  log(`minisearch built in ${round(mini.seconds)} s`);
  const orama = await timeBuild(() => buildOrama(rows));
  log(`orama built in ${round(orama.seconds)} s`);

  const index = ours.value;
  const engines: { engine: TEngine; build: { seconds: number; growthMb: number } }[] = [
    {
      // The goal row: every query expanded afresh (the peers keep no per-word cache either).
      engine: {
        name: "ours: lexical (BM25F, top 10 with highlights), word expansions not cached",
        search: async (query, k) => {
          forgetExpansions(index);
          return searchIndex(index, { query, first: k }).hits.map((h) => h.id);
        },
      },
      build: ours,
    },
    {
      engine: {
        name: "ours: lexical, word expansions cached (as served: query words repeat)",
        search: async (query, k) => searchIndex(index, { query, first: k }).hits.map((h) => h.id),
      },
      build: ours,
    },
    {
      engine: {
        name: "ours: lexical + 5 facets + price filter",
        search: async (query, k) =>
          searchIndex(index, {
            query,
            first: k,
            filter: { ranges: { price: { min: 5, max: 200 } } },
            facets: ["category", "brand", "colour", "material", "size"],
          }).hits.map((h) => h.id),
      },
      build: ours,
    },
    { engine: miniSearchEngine(mini.value), build: mini },
    { engine: oramaEngine(orama.value), build: orama },
  ];
  const out: TBenchRow[] = [];
  for (const { engine, build } of engines) {
    const latency = await measure(engine, queries);
    log(`${engine.name}: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
    out.push({
      engine: engine.name,
      products: rows.length,
      buildSeconds: round(build.seconds),
      buildRssGrowthMb: build.growthMb,
      ...latency,
    });
  }
  const [ourRow, , , miniRow, oramaRow] = out as [TBenchRow, TBenchRow, TBenchRow, TBenchRow, TBenchRow];
  const fasterBuild = Math.min(miniRow.buildSeconds as number, oramaRow.buildSeconds as number);
  const fasterP50 = Math.min(miniRow.p50Ms as number, oramaRow.p50Ms as number);
  const buildMet = (ourRow.buildSeconds as number) <= 2 * fasterBuild;
  const queryMet = (ourRow.p50Ms as number) <= fasterP50;
  out.push({
    engine: "goal",
    buildSecondsOurs: ourRow.buildSeconds,
    buildSecondsLimit: round(2 * fasterBuild),
    buildMet,
    p50MsOurs: ourRow.p50Ms,
    p50MsFasterPeer: fasterP50,
    queryMet,
  });
  return {
    name: "search",
    startedAt,
    machine: machineInfo(),
    rows: out,
    baseline: {
      what: "faster peer's query p50 (ms), same catalogue and queries, same run",
      value: fasterP50,
    },
    ratio: round(fasterP50 / (ourRow.p50Ms as number)),
    goal: "build <= 2x the faster peer's build; query p50 <= the faster peer's p50 (in process, 100,000 products)",
    met: buildMet && queryMet,
  };
};
