import type { Prisma, PrismaClient } from "@dam/db/client";

type TDb = PrismaClient | Prisma.TransactionClient;

export type TSearchRuleData = Omit<
  Prisma.SearchRuleUncheckedCreateInput,
  "id" | "createdAt" | "updatedAt" | "createdById"
>;

/** The most rules one searchRules answer lists. */
export const MAX_LISTED_RULES = 1_000;

export const findSearchRules = (db: TDb, queryContains?: string | null) =>
  db.searchRule.findMany({
    where: queryContains ? { query: { contains: queryContains } } : {},
    take: MAX_LISTED_RULES,
    orderBy: [{ query: "asc" }, { position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });

/** Rules whose window holds `at`, by position then age: the candidates for any query. */
export const findActiveSearchRules = (db: TDb, at: Date) =>
  db.searchRule.findMany({
    where: {
      AND: [
        { OR: [{ startsAt: null }, { startsAt: { lte: at } }] },
        { OR: [{ endsAt: null }, { endsAt: { gt: at } }] },
      ],
    },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });

export const insertSearchRule = (db: TDb, data: TSearchRuleData, createdById: string | null) =>
  db.searchRule.create({ data: { ...data, createdById } });

export const updateSearchRuleRow = (db: TDb, id: string, data: TSearchRuleData) =>
  db.searchRule.update({ where: { id }, data });

export const deleteSearchRuleRow = (db: TDb, id: string) => db.searchRule.delete({ where: { id } });

export const findSearchRule = (db: TDb, id: string) => db.searchRule.findUnique({ where: { id } });

/** Rules whose window opens after `after` and no later than `until`. */
export const findSearchRulesStartingBetween = (db: TDb, after: Date, until: Date) =>
  db.searchRule.findMany({ where: { startsAt: { gt: after, lte: until } } });
