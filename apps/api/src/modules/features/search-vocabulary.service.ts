// Stewards manage the search vocabulary: synonym groups (each word finds the others) and stop words
// added to the engine's English ones. Each change is written with its audit event in one transaction,
// then this process rebuilds the indexes it holds before answering (other processes rebuild when a
// search finds their index built with an older vocabulary, within the vocabulary cache time).
import { foldWord, MAX_WORD_LENGTH, tokenize } from "@dam/search/analyzer";
import { ENGLISH_STOP_WORDS } from "@dam/search/stop-words";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { badStringReason, isUuid } from "../core/input-text.ts";
import { searchVocabularyChannel } from "./search-index-channel.ts";
import { searchIndexStoreOf } from "./search-index-store.ts";
import {
  countStopWords,
  countSynonymGroups,
  createStopWord,
  createSynonymGroup,
  deleteStopWord,
  deleteSynonymGroup,
  findStopWord,
  findStopWords,
  findSynonymGroup,
  findSynonymGroups,
  updateSynonymGroup,
} from "./search-vocabulary.repository.ts";
import { forgetSearchVocabulary, readSearchVocabulary } from "./search-vocabulary.ts";

export const MAX_SYNONYM_WORDS = 20;
export const MAX_SYNONYM_GROUPS = 1_000;
export const MAX_STOP_WORDS = 1_000;

const bad = (field: string, message: string) =>
  new AppError("BAD_USER_INPUT", `${field}: ${message}`, { field });

/**
 * One word as the engine folds it (lower case, no diacritics). Phrases are refused: synonyms and stop
 * words act on single words, and "tee shirt" would make "tee" and "shirt" synonyms of each other.
 */
export const parseVocabularyWord = (raw: string, field: string): string => {
  const reason = badStringReason(raw);
  if (reason) throw bad(field, reason);
  if (raw.length > 200) throw bad(field, "at most 200 characters");
  const tokens = tokenize(raw);
  if (tokens.length === 0) throw bad(field, `"${raw}" has no letter or digit`);
  if (tokens.length > 1) throw bad(field, `"${raw}" is more than one word; give single words`);
  const token = tokens[0]!;
  // The analyzer cuts longer words to MAX_WORD_LENGTH; a steward's word is refused instead.
  if (token.end - token.start > MAX_WORD_LENGTH)
    throw bad(field, `a word of at most ${MAX_WORD_LENGTH} characters`);
  return foldWord(token.word);
};

const parseSynonymWords = (words: readonly string[]): string[] => {
  if (words.length < 2 || words.length > MAX_SYNONYM_WORDS)
    throw bad("words", `give 2 to ${MAX_SYNONYM_WORDS} words`);
  const folded = words.map((word, i) => parseVocabularyWord(word, `words[${i}]`));
  const seen = new Set<string>();
  folded.forEach((word, i) => {
    if (seen.has(word)) throw bad(`words[${i}]`, `"${word}" is listed twice`);
    seen.add(word);
  });
  return folded;
};

const checkId = (id: string) => {
  if (!isUuid(id)) throw bad("id", "not a synonym group id");
};

/**
 * After a change: this process's indexes are rebuilt with the new vocabulary before it answers, and
 * the other API processes are told to do the same.
 */
const applyVocabulary = async (deps: TDeps) => {
  forgetSearchVocabulary(deps);
  await searchIndexStoreOf(deps).refreshVocabulary();
  const { fingerprint } = await readSearchVocabulary(deps);
  await searchVocabularyChannel
    .publish(deps.redis, deps.env.DAM_QUEUE_PREFIX, { fingerprint })
    .catch((error: Error) =>
      logger.warn("search vocabulary announcement not sent; other processes see it within a minute", {
        error: error.message,
      }),
    );
};

export const listSearchSynonyms = (deps: TDeps) => findSynonymGroups(deps.db, MAX_SYNONYM_GROUPS);

export const listSearchStopWords = (deps: TDeps) => findStopWords(deps.db, MAX_STOP_WORDS);

export const createSearchSynonym = async (deps: TDeps, actor: TPrincipal, words: readonly string[]) => {
  const folded = parseSynonymWords(words);
  const created = await inAuditedTransaction(deps.db, async (tx) => {
    if ((await countSynonymGroups(tx)) >= MAX_SYNONYM_GROUPS)
      throw bad("words", `at most ${MAX_SYNONYM_GROUPS} synonym groups; delete one first`);
    const row = await createSynonymGroup(tx, folded, actor.userId);
    await recordAudit(tx, actor, "search.synonym.create", "SearchSynonym", row.id, { words: folded });
    return row;
  });
  await applyVocabulary(deps);
  return created;
};

export const updateSearchSynonym = async (
  deps: TDeps,
  actor: TPrincipal,
  id: string,
  words: readonly string[],
) => {
  checkId(id);
  const folded = parseSynonymWords(words);
  const updated = await inAuditedTransaction(deps.db, async (tx) => {
    const before = await findSynonymGroup(tx, id);
    if (!before) throw new AppError("NOT_FOUND", `id: synonym group ${id} does not exist`, { field: "id" });
    const row = await updateSynonymGroup(tx, id, folded);
    await recordAudit(tx, actor, "search.synonym.update", "SearchSynonym", id, {
      before: before.words,
      after: folded,
    });
    return row;
  });
  await applyVocabulary(deps);
  return updated;
};

export const deleteSearchSynonym = async (deps: TDeps, actor: TPrincipal, id: string) => {
  checkId(id);
  await inAuditedTransaction(deps.db, async (tx) => {
    const before = await findSynonymGroup(tx, id);
    if (!before) throw new AppError("NOT_FOUND", `id: synonym group ${id} does not exist`, { field: "id" });
    await deleteSynonymGroup(tx, id);
    await recordAudit(tx, actor, "search.synonym.delete", "SearchSynonym", id, { before: before.words });
  });
  await applyVocabulary(deps);
  return id;
};

export const addSearchStopWord = async (deps: TDeps, actor: TPrincipal, raw: string) => {
  const word = parseVocabularyWord(raw, "word");
  if (ENGLISH_STOP_WORDS.includes(word)) throw bad("word", `"${word}" is already an English stop word`);
  const created = await inAuditedTransaction(deps.db, async (tx) => {
    if (await findStopWord(tx, word))
      throw new AppError("CONFLICT", `word: "${word}" is already a stop word`, { field: "word" });
    if ((await countStopWords(tx)) >= MAX_STOP_WORDS)
      throw bad("word", `at most ${MAX_STOP_WORDS} stop words; remove one first`);
    const row = await createStopWord(tx, word, actor.userId);
    await recordAudit(tx, actor, "search.stopword.add", "SearchStopWord", word, { word });
    return row;
  });
  await applyVocabulary(deps);
  return created;
};

export const removeSearchStopWord = async (deps: TDeps, actor: TPrincipal, raw: string) => {
  const word = parseVocabularyWord(raw, "word");
  await inAuditedTransaction(deps.db, async (tx) => {
    if (!(await findStopWord(tx, word)))
      throw new AppError("NOT_FOUND", `word: "${word}" is not a stop word of this installation`, {
        field: "word",
      });
    await deleteStopWord(tx, word);
    await recordAudit(tx, actor, "search.stopword.remove", "SearchStopWord", word, { word });
  });
  await applyVocabulary(deps);
  return word;
};
