// Search relevance on the demo shop (5,000 products): judged queries generated from the planted
// attributes (search-catalogue.ts), graded 0-3. NDCG@10 (gain 2^g - 1), Recall@50 and MRR (relevant =
// grade 3) for our lexical (BM25F), semantic and hybrid (RRF) rankings and for the peers minisearch
// (fuzzy 0.2, prefix) and @orama/orama (BM25, typo tolerance 1), all on the same catalogue and queries
// in the same run. Semantic uses the platform's lexical fallback embedder (hashed TF-IDF fitted on the
// catalogue: what runs without model weights) and, when ../shared/models/retail-static-64d is present
// (a test fixture beside the checkout, never committed), that small real model through transformers.js.
// Goal (issue 15): our hybrid at or above the best peer on every query kind, overall NDCG@10 >= peer +
// 0.1 x (1 - peer), and above both of our single signals.
import { existsSync } from "node:fs";
import path from "node:path";
import { createLexicalEmbedder } from "@dam/embedder/lexical-embedder";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import { ndcgAt, recallAt, reciprocalRank } from "@dam/search/graded-metrics";
import { machineInfo, type TBenchResult, type TBenchRow } from "./bench-result.ts";
import {
  demoCatalogue,
  judgedQueries,
  productText,
  QUERY_KINDS,
  type TJudgedQuery,
} from "./search-catalogue.ts";
import {
  buildMiniSearch,
  buildOrama,
  buildOurIndex,
  hybridEngine,
  lexicalEngine,
  miniSearchEngine,
  oramaEngine,
  semanticEngine,
  semanticRetriever,
  type TEngine,
} from "./search-engines.ts";

const PRODUCTS = 5_000;
const PER_KIND = 40;
const MODELS_DIR = path.resolve("../shared/models");
const MODEL_ID = "retail-static-64d";
const log = (line: string) => process.stderr.write(`[bench search-relevance] ${line}\n`);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

type TScores = { ndcg: number; recall: number; mrr: number; queries: number };

const evaluate = async (engine: TEngine, queries: TJudgedQuery[]): Promise<Map<string, TScores>> => {
  const sums = new Map<string, TScores>();
  for (const q of queries) {
    const ranked = await engine.search(q.query, 50);
    for (const key of [q.kind, "overall"]) {
      const s = sums.get(key) ?? { ndcg: 0, recall: 0, mrr: 0, queries: 0 };
      s.ndcg += ndcgAt(ranked, q.judgements, 10);
      s.recall += recallAt(ranked, q.judgements, 50, 3);
      s.mrr += reciprocalRank(ranked, q.judgements, 3);
      s.queries++;
      sums.set(key, s);
    }
  }
  for (const s of sums.values()) {
    s.ndcg /= s.queries;
    s.recall /= s.queries;
    s.mrr /= s.queries;
  }
  return sums;
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const rows = demoCatalogue(PRODUCTS);
  const queries = judgedQueries(rows, PER_KIND);
  log(`${rows.length} products, ${queries.length} judged queries`);
  const index = buildOurIndex(rows);
  const lexicalFallback = await semanticRetriever(
    "lexical-fallback embedder",
    createLexicalEmbedder(rows.map(productText)),
    rows,
  );
  const engines: TEngine[] = [
    lexicalEngine(index),
    semanticEngine(lexicalFallback),
    hybridEngine(index, lexicalFallback, "lexical"),
  ];
  const modelDir = path.join(MODELS_DIR, MODEL_ID);
  if (existsSync(path.join(modelDir, "config.json"))) {
    const model = await createTransformersEmbedder({ modelsDir: MODELS_DIR, modelId: MODEL_ID });
    const retriever = await semanticRetriever(MODEL_ID, model, rows);
    engines.push(semanticEngine(retriever), hybridEngine(index, retriever, "transformers"));
  } else {
    log(`no ${modelDir}: semantic with the real model skipped`);
  }
  const peers = [miniSearchEngine(buildMiniSearch(rows)), oramaEngine(await buildOrama(rows))];

  const results = new Map<string, Map<string, TScores>>();
  const out: TBenchRow[] = [];
  for (const engine of [...engines, ...peers]) {
    const scores = await evaluate(engine, queries);
    results.set(engine.name, scores);
    for (const kind of [...QUERY_KINDS, "overall"]) {
      const s = scores.get(kind)!;
      out.push({
        engine: engine.name,
        kind,
        queries: s.queries,
        metrics: { "ndcg@10": round(s.ndcg), "recall@50": round(s.recall), mrr: round(s.mrr) },
      });
    }
    log(`${engine.name}: overall NDCG@10 ${round(scores.get("overall")!.ndcg)}`);
  }

  const ndcg = (name: string, kind: string) => results.get(name)!.get(kind)!.ndcg;
  const hybrid = engines.find((e) => e.name.startsWith("ours: hybrid (lexical-fallback"))!.name;
  const bestPeer = (kind: string) => Math.max(...peers.map((p) => ndcg(p.name, kind)));
  const peerOverall = bestPeer("overall");
  const ours = ndcg(hybrid, "overall");
  const target = peerOverall + 0.1 * (1 - peerOverall);
  const everyKind = QUERY_KINDS.every((kind) => ndcg(hybrid, kind) >= bestPeer(kind));
  const aboveSingles = ours > ndcg(engines[0]!.name, "overall") && ours > ndcg(engines[1]!.name, "overall");
  out.push({
    engine: hybrid,
    kind: "goal",
    ours: round(ours),
    target: round(target),
    everyKindAtOrAboveBestPeer: everyKind,
    aboveLexicalAndSemantic: aboveSingles,
  });
  return {
    name: "search-relevance",
    startedAt,
    machine: machineInfo(),
    rows: out,
    baseline: {
      what: "best peer's overall NDCG@10 (minisearch or orama, same queries, same run)",
      value: round(peerOverall),
    },
    ratio: round(ours / peerOverall),
    goal: "hybrid (fallback embedder) >= best peer on every query kind; overall NDCG@10 >= peer + 0.1 x (1 - peer); above our lexical and semantic alone",
    met: everyKind && ours >= target && aboveSingles,
  };
};
