// Merchandising rules: stewards pin, boost or bury items or categories for queries. Rules are stored
// in PostgreSQL and changed with their audit event in one transaction; each search applies the rules
// active now whose query matches (@dam/search/merchandising places them over the whole ranking).
import type { SearchRule } from "@dam/db/client";
import type { TPlacement } from "@dam/search/merchandising";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { escapeLikePattern } from "../core/input-text.ts";
import type { TLoadedSearchIndex } from "./search-index-build.service.ts";
import {
  deleteSearchRuleRow,
  findActiveSearchRules,
  findSearchRule,
  findSearchRules,
  findSearchRulesStartingBetween,
  insertSearchRule,
  type TSearchRuleData,
  updateSearchRuleRow,
} from "./search-merchandising.repository.ts";

export type TSearchRuleModel = SearchRule;

const MAX_RULE_TEXT = 200;
/**
 * How long a process reuses the active rules it read: searches then cost no database round trip, and
 * a change made through another process is seen within this time (this process's own changes at once).
 */
const RULE_CACHE_MS = 2_000;

/** Lower case, NFKC, single spaces: how rule queries are stored and searched queries compared. */
export const foldQuery = (text: string): string =>
  text.normalize("NFKC").toLowerCase().split(/\s+/u).filter(Boolean).join(" ");

const isControl = (char: string) => {
  const code = char.codePointAt(0)!;
  return code < 0x20 || code === 0x7f;
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Control characters and lone surrogates are refused rather than stored (they cannot be typed into
// a search box, and a lone surrogate is not valid UTF-8 in PostgreSQL).
const ZRuleText = (field: string) =>
  z
    .string()
    .refine((s) => ![...s].some(isControl), `${field}: control characters are not allowed`)
    .refine((s) => !LONE_SURROGATE.test(s), `${field}: not well-formed Unicode`);

export const ZSearchRuleInput = z
  .object({
    query: ZRuleText("input.query")
      .transform(foldQuery)
      .refine(
        (s) => s.length >= 1 && s.length <= MAX_RULE_TEXT,
        `input.query: 1 to ${MAX_RULE_TEXT} characters`,
      ),
    match: z.enum(["EXACT", "CONTAINS"]),
    action: z.enum(["PIN", "BOOST", "BURY"]),
    target: z.enum(["ITEM", "CATEGORY"]),
    value: ZRuleText("input.value").refine(
      (s) => s.trim().length >= 1 && s.length <= MAX_RULE_TEXT,
      `input.value: 1 to ${MAX_RULE_TEXT} characters`,
    ),
    position: z
      .number()
      .int("input.position: an integer")
      .min(-1_000_000, "input.position: from -1000000")
      .max(1_000_000, "input.position: to 1000000")
      .nullish(),
    startsAt: z.date().nullish(),
    endsAt: z.date().nullish(),
  })
  .refine((r) => !r.startsAt || !r.endsAt || r.endsAt > r.startsAt, {
    message: "input.endsAt: must be after startsAt",
  });
export type TSearchRuleInput = z.input<typeof ZSearchRuleInput>;

const parseRuleInput = (input: TSearchRuleInput): TSearchRuleData => {
  const parsed = ZSearchRuleInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.message.match(/^(input\.\w+):/)?.[1] ?? `input.${issue.path.join(".")}`;
    const message = issue.message.startsWith("input.") ? issue.message : `${field}: ${issue.message}`;
    throw new AppError("BAD_USER_INPUT", message, { field });
  }
  const { position, startsAt, endsAt, ...rest } = parsed.data;
  return {
    ...rest,
    value: rest.value.trim(),
    position: position ?? 0,
    startsAt: startsAt ?? null,
    endsAt: endsAt ?? null,
  };
};

const ZUuid = z.string().uuid();
const checkRuleId = (id: string) => {
  if (!ZUuid.safeParse(id).success)
    throw new AppError("BAD_USER_INPUT", "id: not a rule id", { field: "id" });
};

type TRuleCache = { at: number; rules: SearchRule[] };
const caches = new WeakMap<TDeps, TRuleCache>();
const forgetRules = (deps: TDeps) => caches.delete(deps);

export const isRuleActive = (rule: Pick<SearchRule, "startsAt" | "endsAt">, at: Date): boolean =>
  (!rule.startsAt || rule.startsAt <= at) && (!rule.endsAt || rule.endsAt > at);

export const listSearchRules = (
  deps: TDeps,
  args: { query?: string | null; first: number; after?: string | null },
) =>
  // Prisma's contains is a LIKE: % and _ in the text are matched literally.
  findSearchRules(deps.db, args.query ? escapeLikePattern(foldQuery(args.query)) : null, args);

export const createSearchRule = async (deps: TDeps, actor: TPrincipal, input: TSearchRuleInput) => {
  const data = parseRuleInput(input);
  const rule = await inAuditedTransaction(deps.db, async (tx) => {
    const created = await insertSearchRule(tx, data, actor.userId);
    await recordAudit(tx, actor, "search.rule.create", "SearchRule", created.id, { ...data });
    return created;
  });
  forgetRules(deps);
  return rule;
};

export const updateSearchRule = async (
  deps: TDeps,
  actor: TPrincipal,
  id: string,
  input: TSearchRuleInput,
) => {
  checkRuleId(id);
  const data = parseRuleInput(input);
  const rule = await inAuditedTransaction(deps.db, async (tx) => {
    const before = await findSearchRule(tx, id);
    if (!before) throw new AppError("NOT_FOUND", `id: search rule ${id} does not exist`, { field: "id" });
    const updated = await updateSearchRuleRow(tx, id, data);
    const { id: _id, createdAt: _c, updatedAt: _u, createdById: _b, ...old } = before;
    await recordAudit(tx, actor, "search.rule.update", "SearchRule", id, { before: old, after: data });
    return updated;
  });
  forgetRules(deps);
  return rule;
};

export const deleteSearchRule = async (deps: TDeps, actor: TPrincipal, id: string) => {
  checkRuleId(id);
  await inAuditedTransaction(deps.db, async (tx) => {
    const before = await findSearchRule(tx, id);
    if (!before) throw new AppError("NOT_FOUND", `id: search rule ${id} does not exist`, { field: "id" });
    await deleteSearchRuleRow(tx, id);
    const { id: _id, createdAt: _c, updatedAt: _u, createdById: _b, ...old } = before;
    await recordAudit(tx, actor, "search.rule.delete", "SearchRule", id, { before: old });
  });
  forgetRules(deps);
  return id;
};

const activeRules = async (deps: TDeps, now: Date): Promise<SearchRule[]> => {
  const cached = caches.get(deps);
  if (cached && now.getTime() - cached.at < RULE_CACHE_MS && now.getTime() >= cached.at) {
    return cached.rules.filter((rule) => isRuleActive(rule, now));
  }
  // Read every rule not yet ended, so a window opening within the cache time is not missed.
  const rules = await findActiveSearchRules(deps.db, now);
  const upcoming = await findSearchRulesStartingBetween(
    deps.db,
    now,
    new Date(now.getTime() + RULE_CACHE_MS),
  );
  caches.set(deps, { at: now.getTime(), rules: [...rules, ...upcoming] });
  return rules;
};

/** Whether a rule answers a (folded) query: the whole query, or its words as a run of whole words. */
export const ruleMatchesQuery = (rule: Pick<SearchRule, "match" | "query">, folded: string): boolean =>
  rule.match === "EXACT" ? folded === rule.query : ` ${folded} `.includes(` ${rule.query} `);

/** The engine's placements for a query: the active matching rules, in position order. */
export const placementsForQuery = async (
  deps: TDeps,
  loaded: TLoadedSearchIndex,
  query: string,
  now = new Date(),
): Promise<TPlacement[]> => {
  const folded = foldQuery(query);
  const category = loaded.mapping.roles.category;
  const placements: TPlacement[] = [];
  const rules = (await activeRules(deps, now))
    .filter((rule) => ruleMatchesQuery(rule, folded))
    .sort((a, b) => a.position - b.position || a.createdAt.getTime() - b.createdAt.getTime());
  for (const rule of rules) {
    const action = rule.action === "PIN" ? "pin" : rule.action === "BOOST" ? "boost" : "bury";
    if (rule.target === "ITEM") {
      placements.push({ ruleId: rule.id, action, target: { kind: "item", id: rule.value } });
    } else if (category) {
      placements.push({
        ruleId: rule.id,
        action,
        target: { kind: "facet", field: category, value: rule.value },
      });
    }
  }
  return placements;
};
