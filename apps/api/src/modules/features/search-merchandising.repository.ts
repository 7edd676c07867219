import type { Prisma, PrismaClient } from "@dam/db/client";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient | Prisma.TransactionClient;

export type TSearchRuleData = Omit<
  Prisma.SearchRuleUncheckedCreateInput,
  "id" | "createdAt" | "updatedAt" | "createdById"
>;

/** One page of the rules, by query, then position (the order a steward reads them in). */
export const findSearchRules = (db: TDb, queryContains: string | null, page: TPageArgs) =>
  findConnectionPage(
    db.searchRule,
    {
      where: queryContains ? { query: { contains: queryContains } } : {},
      orderBy: [{ query: "asc" }, { position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    },
    page,
  );

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
