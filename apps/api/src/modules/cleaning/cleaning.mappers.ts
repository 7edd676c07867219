import type { CleaningRecipe } from "@dam/db/client";

// Parent type of the CleaningRecipe resolvers (codegen.ts maps the GraphQL type to it).
export type TCleaningRecipeModel = CleaningRecipe;
