import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { attributesResolvers } from "../modules/attributes/attributes.resolvers.ts";
import { audiencesResolvers } from "../modules/audiences/audiences.resolvers.ts";
import { auditResolvers } from "../modules/audit/audit.resolvers.ts";
import { authResolvers } from "../modules/auth/auth.resolvers.ts";
import { cleaningResolvers } from "../modules/cleaning/cleaning.resolvers.ts";
import { catalogResolvers } from "../modules/column-stats/catalog.resolvers.ts";
import { columnStatsResolvers } from "../modules/column-stats/column-stats.resolvers.ts";
import { coreResolvers } from "../modules/core/core.resolvers.ts";
import { dashboardResolvers } from "../modules/dashboard/dashboard.resolvers.ts";
import { columnRolesResolvers } from "../modules/datasets/column-roles.resolvers.ts";
import { datasetsResolvers } from "../modules/datasets/datasets.resolvers.ts";
import { importResolvers } from "../modules/datasets/import.resolvers.ts";
import { importPreviewResolvers } from "../modules/datasets/import-preview.resolvers.ts";
import { versionRowsResolvers } from "../modules/datasets/version-rows.resolvers.ts";
import { experimentsResolvers } from "../modules/experiments/experiments.resolvers.ts";
import { featuresResolvers } from "../modules/features/features.resolvers.ts";
import { fusionResolvers } from "../modules/features/fusion.resolvers.ts";
import { imageResolvers } from "../modules/features/image.resolvers.ts";
import { searchResolvers } from "../modules/features/search.resolvers.ts";
import { jobsResolvers } from "../modules/jobs/jobs.resolvers.ts";
import { labellingResolvers } from "../modules/labelling/labelling.resolvers.ts";
import { lineageResolvers } from "../modules/lineage/lineage.resolvers.ts";
import { modelsResolvers } from "../modules/models/models.resolvers.ts";
import { erasureResolvers } from "../modules/privacy/erasure.resolvers.ts";
import { privacyResolvers } from "../modules/privacy/privacy.resolvers.ts";
import { servingMaskingResolvers } from "../modules/privacy/serving-masking.resolvers.ts";
import { qualityResolvers } from "../modules/quality/quality.resolvers.ts";
import { ruleSuggestionsResolvers } from "../modules/quality/rule-suggestions.resolvers.ts";
import { servingResolvers } from "../modules/serving/serving.resolvers.ts";
import { shopperProfilesResolvers } from "../modules/shopper-profiles/shopper-profiles.resolvers.ts";

const MODULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../modules");

/** The SDL of every module, core first (it declares Query and Mutation that the others extend). */
export const loadTypeDefs = (): string[] => {
  const areas = readdirSync(MODULES_DIR).sort((a, b) =>
    a === "core" ? -1 : b === "core" ? 1 : a.localeCompare(b),
  );
  return areas.flatMap((area) =>
    readdirSync(path.join(MODULES_DIR, area))
      .filter((file) => file.endsWith(".graphql"))
      .map((file) => readFileSync(path.join(MODULES_DIR, area, file), "utf8")),
  );
};

export const buildSchema = (): GraphQLSchema =>
  makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [
      coreResolvers,
      authResolvers,
      datasetsResolvers,
      importResolvers,
      importPreviewResolvers,
      columnRolesResolvers,
      versionRowsResolvers,
      jobsResolvers,
      dashboardResolvers,
      auditResolvers,
      lineageResolvers,
      columnStatsResolvers,
      catalogResolvers,
      cleaningResolvers,
      qualityResolvers,
      ruleSuggestionsResolvers,
      featuresResolvers,
      shopperProfilesResolvers,
      fusionResolvers,
      imageResolvers,
      attributesResolvers,
      labellingResolvers,
      servingResolvers,
      modelsResolvers,
      searchResolvers,
      privacyResolvers,
      erasureResolvers,
      servingMaskingResolvers,
      experimentsResolvers,
      audiencesResolvers,
    ],
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
