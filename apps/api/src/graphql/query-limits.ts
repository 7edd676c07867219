import type { ApolloServerPlugin } from "@apollo/server";
import { type GraphQLError, type GraphQLSchema, getVariableValues } from "graphql";
import type { TContext } from "../context.ts";
import { AppError } from "../errors/app-error.ts";
import { toGraphQLError } from "../format-error.ts";
import { jsonDepthExceeds } from "./input-validation.ts";
import { analyseOperation, type TOperationStats } from "./operation-analysis.ts";

export type TQueryLimits = {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxRootFields: number;
  /** Nesting of lists, input objects and JSON values in one argument or variable. */
  maxInputDepth: number;
};

// graphql-js names the variable in its message ('Variable "$id" got invalid value ...').
const variableNameOf = (error: GraphQLError): string | undefined =>
  /Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(error.message)?.[1];

/**
 * Coerces the request's variables the way execution will, so that a bad value is a BAD_USER_INPUT
 * naming the variable here, instead of an exception inside the analysis.
 */
const coerceVariables = (
  schema: GraphQLSchema,
  operation: Parameters<typeof getVariableValues>[1],
  raw: Record<string, unknown>,
  maxInputDepth: number,
): Record<string, unknown> => {
  for (const [name, value] of Object.entries(raw)) {
    // Checked before coercion: graphql-js coerces recursively, and 100,000 levels overflow its stack.
    if (jsonDepthExceeds(value, maxInputDepth + 1)) {
      throw new AppError("BAD_USER_INPUT", `$${name}: nested deeper than ${maxInputDepth} levels`, {
        field: `$${name}`,
      });
    }
  }
  const result = getVariableValues(schema, operation, raw, { maxErrors: 1 });
  if (result.errors) {
    const [first] = result.errors;
    const variable = first ? variableNameOf(first) : undefined;
    throw new AppError("BAD_USER_INPUT", first?.message ?? "Invalid variables", {
      ...(variable ? { field: `$${variable}` } : {}),
    });
  }
  return result.coerced;
};

/** Refuses an operation whose analysis exceeds a limit; the message names the limit and the value. */
export const checkOperationStats = (stats: TOperationStats, limits: TQueryLimits): void => {
  const over = (what: string, value: number, limit: number, details: Record<string, number>) => {
    if (value > limit) {
      throw new AppError(
        "QUERY_TOO_COMPLEX",
        `Query ${what} ${value} exceeds the limit of ${limit}`,
        details,
      );
    }
  };
  over("depth", stats.depth, limits.maxDepth, { depth: stats.depth, maxDepth: limits.maxDepth });
  over("aliases", stats.aliases, limits.maxAliases, {
    aliases: stats.aliases,
    maxAliases: limits.maxAliases,
  });
  over("root fields", stats.rootFields, limits.maxRootFields, {
    rootFields: stats.rootFields,
    maxRootFields: limits.maxRootFields,
  });
  over("cost", stats.cost, limits.maxCost, { cost: stats.cost, maxCost: limits.maxCost });
};

/**
 * Checks each operation before it executes: variables coerce, every argument is acceptable input
 * (input-validation.ts), and depth, aliases, root fields and cost are within the limits. Runs in time
 * linear in the document (operation-analysis.ts), so the check itself cannot be the attack.
 */
export const queryLimitsPlugin = (
  schema: GraphQLSchema,
  limits: TQueryLimits,
): ApolloServerPlugin<TContext> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request }) {
        if (!operation) return;
        try {
          const variables = coerceVariables(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
            limits.maxInputDepth,
          );
          const stats = analyseOperation({
            schema,
            document,
            operation,
            variables,
            maxInputDepth: limits.maxInputDepth,
          });
          checkOperationStats(stats, limits);
        } catch (error) {
          if (error instanceof AppError) throw toGraphQLError(error);
          if (error instanceof RangeError) {
            // A stack overflow on some pathological shape we did not foresee: still the client's input.
            throw toGraphQLError(new AppError("BAD_USER_INPUT", "Request nested too deeply to analyse"));
          }
          throw error;
        }
      },
    };
  },
});
