import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from "graphql";
import { type ComplexityEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import type { TContext } from "../context.ts";
import { AppError } from "../errors/app-error.ts";
import { toGraphQLError } from "../format-error.ts";

/** Depth of the deepest field path, following fragments (introspection's __schema counts like any field). */
export const queryDepth = (document: DocumentNode): number => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk = (selectionSet: SelectionSetNode, depth: number, seen: Set<string>): number => {
    let max = depth;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        max = Math.max(
          max,
          selection.selectionSet ? walk(selection.selectionSet, depth + 1, seen) : depth + 1,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, walk(selection.selectionSet, depth, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name))
          max = Math.max(max, walk(fragment.selectionSet, depth, new Set([...seen, name])));
      }
    }
    return max;
  };
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION)
      deepest = Math.max(deepest, walk(definition.selectionSet, 0, new Set()));
  }
  return deepest;
};

// A list field costs its children times the page size asked for: `first: 200` of a nested list is
// what makes a query expensive, not its number of fields.
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === "number" ? args.first : undefined;
  return first === undefined ? undefined : 1 + childComplexity * Math.max(1, first);
};

export const queryLimitsPlugin = (
  schema: GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
): ApolloServerPlugin<TContext> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const depth = queryDepth(document);
        if (depth > limits.maxDepth) {
          throw toGraphQLError(
            new AppError(
              "QUERY_TOO_COMPLEX",
              `Query depth ${depth} exceeds the limit of ${limits.maxDepth}`,
              {
                depth,
                maxDepth: limits.maxDepth,
              },
            ),
          );
        }
        const cost = getComplexity({
          schema,
          query: document,
          variables: request.variables ?? {},
          operationName: request.operationName ?? undefined,
          estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
        });
        if (cost > limits.maxCost) {
          throw toGraphQLError(
            new AppError("QUERY_TOO_COMPLEX", `Query cost ${cost} exceeds the limit of ${limits.maxCost}`, {
              cost,
              maxCost: limits.maxCost,
            }),
          );
        }
      },
    };
  },
});
