import { ENGLISH_STOP_WORDS } from "@dam/search/stop-words";
import { AppError } from "../../errors/app-error.ts";
import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { indexSearchJob } from "./search.jobs.ts";
import { searchCatalog, suggestQueries } from "./search.service.ts";
import { readSearchAnalytics } from "./search-analytics.ts";
import { searchIndexStoreOf } from "./search-index-store.ts";
import {
  createSearchRule,
  deleteSearchRule,
  isRuleActive,
  listSearchRules,
  updateSearchRule,
} from "./search-merchandising.service.ts";
import {
  addSearchStopWord,
  createSearchSynonym,
  deleteSearchSynonym,
  listSearchStopWords,
  listSearchSynonyms,
  removeSearchStopWord,
  updateSearchSynonym,
} from "./search-vocabulary.service.ts";

export const searchResolvers: Resolvers = {
  Query: {
    search: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return searchCatalog(deps, {
        query: args.query,
        first: args.first ?? 10,
        after: args.after,
        filter: args.filter,
        sort: args.sort,
        userId: args.userId,
        personalWeight: args.personalWeight,
        catalogVersionId: args.catalogVersionId,
      });
    },
    suggest: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return suggestQueries(deps, {
        prefix: args.prefix,
        first: args.first ?? 8,
        catalogVersionId: args.catalogVersionId,
      });
    },
    searchAnalytics: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > 100) {
        throw new AppError("BAD_USER_INPUT", "first: must be an integer from 1 to 100", { field: "first" });
      }
      return readSearchAnalytics(deps, first);
    },
    searchRules: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return listSearchRules(deps, {
        query: args.query,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    searchVocabulary: async (_parent, _args, { principal, deps }) => {
      assertCan(principal, "features:read");
      const [synonyms, stopWords] = await Promise.all([listSearchSynonyms(deps), listSearchStopWords(deps)]);
      return { synonyms, stopWords, defaultStopWords: [...ENGLISH_STOP_WORDS] };
    },
    servingSearchIndexes: async (_parent, _args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return (await searchIndexStoreOf(deps).list()).map((loaded) => ({
        catalogVersionId: loaded.catalogVersionId,
        indexVersion: loaded.indexVersion,
        documents: loaded.index.ids.length,
        terms: loaded.index.terms.length,
        builtAt: loaded.builtAt,
        buildMs: loaded.buildMs,
      }));
    },
  },
  SearchRule: {
    active: (rule) => isRuleActive(rule, new Date()),
  },
  Mutation: {
    createSearchRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return createSearchRule(deps, principal, args.input);
    },
    updateSearchRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return updateSearchRule(deps, principal, args.id, args.input);
    },
    deleteSearchRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return deleteSearchRule(deps, principal, args.id);
    },
    createSearchSynonym: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return createSearchSynonym(deps, principal, args.words);
    },
    updateSearchSynonym: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return updateSearchSynonym(deps, principal, args.id, args.words);
    },
    deleteSearchSynonym: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return deleteSearchSynonym(deps, principal, args.id);
    },
    addSearchStopWord: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return addSearchStopWord(deps, principal, args.word);
    },
    removeSearchStopWord: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return removeSearchStopWord(deps, principal, args.word);
    },
    indexCatalogSearch: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return enqueueJob(
        deps,
        indexSearchJob,
        { catalogVersionId: args.catalogVersionId },
        // On demand means build again: the version's automatic job has usually finished already.
        { actor: principal, rerun: true },
      );
    },
  },
};
