import { AppError } from "../../errors/app-error.ts";
import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { indexSearchJob } from "./search.jobs.ts";
import { searchCatalog, suggestQueries } from "./search.service.ts";
import { readSearchAnalytics } from "./search-analytics.ts";
import { searchIndexStoreOf } from "./search-index-store.ts";

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
  Mutation: {
    indexCatalogSearch: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return enqueueJob(
        deps,
        indexSearchJob,
        { catalogVersionId: args.catalogVersionId },
        { actor: principal },
      );
    },
  },
};
