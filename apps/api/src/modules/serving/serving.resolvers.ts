import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { findNewItemShare, setNewItemShare } from "./new-items.service.ts";
import {
  findUserEvents,
  listServingModels,
  recommend,
  similarItems,
  trackEvents,
} from "./serving.service.ts";

export const servingResolvers: Resolvers = {
  Query: {
    recommend: (_parent, args, { principal, deps }) => {
      assertCan(principal, "recommend:read");
      return recommend(deps, args);
    },
    similarItems: (_parent, args, { principal, deps }) => {
      assertCan(principal, "recommend:read");
      return similarItems(deps, args);
    },
    servingModels: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "recommend:read");
      return listServingModels(deps);
    },
    newItemShare: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:read");
      return findNewItemShare(deps, args.modelName);
    },
    userEvents: (_parent, args, { principal, deps }) => {
      assertCan(principal, "recommend:read");
      return findUserEvents(deps, args.userId, args.first);
    },
  },
  Mutation: {
    trackEvents: (_parent, args, { principal, deps }) => {
      assertCan(principal, "events:write");
      return trackEvents(deps, principal, args.events);
    },
    setNewItemShare: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:write");
      return setNewItemShare(deps, principal, args);
    },
  },
};
