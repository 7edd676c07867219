import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types generated from the SDL files; parents are mapped to the service layer's row types.
const config: CodegenConfig = {
  schema: "src/modules/**/*.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        contextType: "../context.ts#TContext",
        mappers: {
          Dataset: "../graphql/mappers.ts#TDatasetModel",
          DatasetVersion: "../graphql/mappers.ts#TDatasetVersionModel",
          Job: "../graphql/mappers.ts#TJobModel",
          ApiKey: "../graphql/mappers.ts#TApiKeyModel",
          AuditEvent: "../graphql/mappers.ts#TAuditEventModel",
          CleaningRecipe: "../modules/cleaning/cleaning.mappers.ts#TCleaningRecipeModel",
          QualityRule: "../modules/quality/quality.service.ts#TQualityRuleModel",
          QualityRun: "../modules/quality/quality.service.ts#TQualityRunModel",
          QualityResult: "../modules/quality/quality.service.ts#TQualityResultModel",
          LabelSchema: "../modules/labelling/labelling.mappers.ts#TLabelSchemaModel",
          LabelProject: "../modules/labelling/labelling.mappers.ts#TLabelProjectModel",
          LabelAssignment: "../modules/labelling/labelling.mappers.ts#TLabelAssignmentModel",
          EmbeddingSet: "../modules/features/features.service.ts#TEmbeddingSetModel",
          ModelVersion: "../modules/models/models.service.ts#TModelVersionModel",
          ProfileSet: "../modules/shopper-profiles/shopper-profiles.service.ts#TProfileSetModel",
          SegmentSet: "../modules/shopper-profiles/shopper-profiles.service.ts#TSegmentSetModel",
          Segment: "../modules/shopper-profiles/shopper-profiles.service.ts#TSegmentModel",
          FeatureSet: "../modules/features/fusion.service.ts#TFeatureSetModel",
          ImageSet: "../modules/features/image.service.ts#TImageSetModel",
          Experiment: "../modules/experiments/experiments.mappers.ts#TExperimentModel",
          ExperimentVariant: "../modules/experiments/experiments.mappers.ts#TExperimentVariantModel",
          ExperimentResults: "../modules/experiments/experiments.mappers.ts#TExperimentResultsModel",
          ErasureRequest: "../modules/privacy/erasure.service.ts#TErasureRequestModel",
          RetentionRun: "../modules/privacy/retention.service.ts#TRetentionRunModel",
          SearchRule: "../modules/features/search-merchandising.service.ts#TSearchRuleModel",
        },
        scalars: { DateTime: "Date", JSON: "unknown" },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: "T | null",
      },
    },
  },
};
export default config;
