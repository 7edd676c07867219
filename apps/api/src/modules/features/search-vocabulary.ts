// The stewards' search vocabulary (synonym groups and extra stop words, PostgreSQL) as the index
// build reads it. Each process reuses what it read for a short time, so a search does not pay a
// database round trip; its own changes are seen at once (search-vocabulary.service.ts forgets it).
import { createHash } from "node:crypto";
import type { TDeps } from "../../deps.ts";

export type TSearchVocabulary = {
  /** Groups of folded single words, each group's words meaning the same. */
  synonyms: string[][];
  /** Folded single words ignored besides the engine's English stop words. */
  stopWords: string[];
  /** Identifies the vocabulary; an index built with another one is rebuilt. */
  fingerprint: string;
};

/** How long a process reuses the vocabulary it read (a change through another process shows within it). */
const VOCABULARY_CACHE_MS = 2_000;

type TCached = { at: number; vocabulary: Promise<TSearchVocabulary> };
const caches = new WeakMap<TDeps, TCached>();

export const vocabularyFingerprint = (synonyms: string[][], stopWords: string[]): string =>
  createHash("sha256").update(JSON.stringify({ synonyms, stopWords })).digest("hex").slice(0, 12);

const loadVocabulary = async (deps: TDeps): Promise<TSearchVocabulary> => {
  const [groups, stops] = await Promise.all([
    deps.db.searchSynonym.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    deps.db.searchStopWord.findMany({ orderBy: { word: "asc" } }),
  ]);
  const synonyms = groups.map((group) => group.words);
  const stopWords = stops.map((row) => row.word);
  return { synonyms, stopWords, fingerprint: vocabularyFingerprint(synonyms, stopWords) };
};

export const readSearchVocabulary = (deps: TDeps): Promise<TSearchVocabulary> => {
  const now = Date.now();
  const cached = caches.get(deps);
  if (cached && now - cached.at < VOCABULARY_CACHE_MS && now >= cached.at) return cached.vocabulary;
  const vocabulary = loadVocabulary(deps);
  caches.set(deps, { at: now, vocabulary });
  vocabulary.catch(() => caches.delete(deps));
  return vocabulary;
};

/** Drops this process's copy (after a change), so the next read sees the database. */
export const forgetSearchVocabulary = (deps: TDeps): void => {
  caches.delete(deps);
};
