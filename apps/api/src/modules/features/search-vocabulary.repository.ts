// Synonym groups and stop words of search. Every function takes the Prisma client or a transaction's
// client, so a change, its checks and its audit entry share one transaction. No decisions here.
import type { PrismaClient } from "@dam/db/client";

export type TVocabularyDb = Pick<PrismaClient, "searchSynonym" | "searchStopWord">;

/** Synonym groups oldest first, at most `take` when given. */
export const findSynonymGroups = (db: TVocabularyDb, take?: number) =>
  db.searchSynonym.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...(take ? { take } : {}) });

/** Stop words alphabetically, at most `take` when given. */
export const findStopWords = (db: TVocabularyDb, take?: number) =>
  db.searchStopWord.findMany({ orderBy: { word: "asc" }, ...(take ? { take } : {}) });

export const countSynonymGroups = (db: TVocabularyDb) => db.searchSynonym.count();

export const findSynonymGroup = (db: TVocabularyDb, id: string) =>
  db.searchSynonym.findUnique({ where: { id } });

export const createSynonymGroup = (db: TVocabularyDb, words: string[], createdById: string | null) =>
  db.searchSynonym.create({ data: { words, createdById } });

export const updateSynonymGroup = (db: TVocabularyDb, id: string, words: string[]) =>
  db.searchSynonym.update({ where: { id }, data: { words } });

export const deleteSynonymGroup = async (db: TVocabularyDb, id: string): Promise<void> => {
  await db.searchSynonym.delete({ where: { id } });
};

export const countStopWords = (db: TVocabularyDb) => db.searchStopWord.count();

export const findStopWord = (db: TVocabularyDb, word: string) =>
  db.searchStopWord.findUnique({ where: { word } });

export const createStopWord = (db: TVocabularyDb, word: string, createdById: string | null) =>
  db.searchStopWord.create({ data: { word, createdById } });

export const deleteStopWord = async (db: TVocabularyDb, word: string): Promise<void> => {
  await db.searchStopWord.delete({ where: { word } });
};
