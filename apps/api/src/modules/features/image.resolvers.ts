import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import {
  embedImages,
  findImageSet,
  findImageSets,
  findItemImages,
  imageSetRejects,
  imageSetSource,
  importImages,
} from "./image.service.ts";
import { findSimilarItemsBy, searchByImage } from "./image-similar.service.ts";

export const imageResolvers: Resolvers = {
  Query: {
    imageSets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findImageSets(deps, {
        catalogVersionId: args.catalogVersionId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    imageSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findImageSet(deps, args.id);
    },
    similarItemsBy: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findSimilarItemsBy(deps, {
        itemId: args.itemId,
        by: args.by,
        setId: args.setId,
        first: args.first ?? 10,
      });
    },
    searchByImage: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return searchByImage(deps, {
        uploadId: args.uploadId,
        embeddingSetId: args.embeddingSetId,
        first: args.first ?? 10,
      });
    },
  },
  Mutation: {
    importImages: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return importImages(deps, principal, args.input);
    },
    embedImages: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return embedImages(deps, principal, args);
    },
  },
  ImageSet: {
    uploadIds: (set) => imageSetSource(set).uploadIds,
    pathColumn: (set) => imageSetSource(set).pathColumn,
    rejects: (set, args) => imageSetRejects(set, args.first ?? 50),
    images: (set, args, { deps }) =>
      findItemImages(deps, set, { itemIds: args.itemIds, first: args.first ?? 20 }),
  },
};
