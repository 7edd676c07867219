/**
 * The console's GraphQL documents are `TypedDocumentString`s made by graphql-codegen's client preset
 * (lib/generated/gql, generated from the API's SDL): the operation's text with its result and variable types.
 * The helpers that send them infer both, so no caller names a result type by hand.
 */
import type { TypedDocumentString } from "./generated/gql/graphql";

export type { TypedDocumentString };

/** The variables argument: optional when every variable is optional (or there are none). */
export type VariablesArg<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** The request body of one operation, as the API and the console's proxy read it. */
export function requestBody<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | undefined,
): string {
  return JSON.stringify({ query: document.toString(), variables: variables ?? {} });
}
