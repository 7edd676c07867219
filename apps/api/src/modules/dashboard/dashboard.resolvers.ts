import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { getEventsChart, getEventsPerDay, getPlatformStats } from "./dashboard.service.ts";

export const dashboardResolvers: Resolvers = {
  Query: {
    platformStats: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "stats:read");
      return getPlatformStats(deps);
    },
    eventsPerDay: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return getEventsPerDay(deps, args.datasetId);
    },
    eventsChart: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return getEventsChart(deps, args.datasetId);
    },
  },
};
