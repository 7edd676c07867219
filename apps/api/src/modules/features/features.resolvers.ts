import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import {
  embedCatalog,
  findEmbeddingSet,
  findEmbeddingSets,
  findFallbackReason,
  findSimilarItemsByEmbedding,
} from "./features.service.ts";

export const featuresResolvers: Resolvers = {
  Query: {
    embeddingSets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findEmbeddingSets(deps, {
        sourceVersionId: args.sourceVersionId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    embeddingSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findEmbeddingSet(deps, args.id);
    },
    similarItemsByEmbedding: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findSimilarItemsByEmbedding(deps, {
        embeddingSetId: args.embeddingSetId,
        itemId: args.itemId,
        first: args.first ?? 10,
      });
    },
  },
  Mutation: {
    embedCatalog: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return embedCatalog(deps, principal, args.input);
    },
  },
  EmbeddingSet: {
    fallbackReason: (set, _args, { deps }) => findFallbackReason(deps, set),
  },
};
