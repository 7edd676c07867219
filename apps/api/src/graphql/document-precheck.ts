import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  parse,
  type SelectionSetNode,
  visit,
} from "graphql";
import { AppError } from "../errors/app-error.ts";

// Runs before Apollo validates a document. graphql-js's OverlappingFieldsCanBeMerged rule compares
// every pair of fields that share a response name in one selection set: 250 copies of
// `a: search(query: "<n>") { query }` (2 kB) took it a second. Counting the copies first is linear,
// so the document is refused before validation can be the attack. Fragments are expanded by count,
// each once (memoised), so a fragment bomb is counted, not walked.

/** Largest number of fields sharing one response name (alias or field name) in one selection set. */
export const maxRepeatedResponseName = (document: DocumentNode): { name: string; count: number } => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Map<string, number>>();
  const inProgress = new Set<string>();
  const countsOf = (selectionSet: SelectionSetNode): Map<string, number> => {
    const counts = new Map<string, number>();
    const merge = (other: Map<string, number>) => {
      for (const [name, count] of other) counts.set(name, (counts.get(name) ?? 0) + count);
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        merge(countsOf(selection.selectionSet));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown fragments and cycles are validation errors, reported by validation.
        if (!fragment || inProgress.has(name)) continue;
        let known = memo.get(name);
        if (!known) {
          inProgress.add(name);
          known = countsOf(fragment.selectionSet);
          inProgress.delete(name);
          memo.set(name, known);
        }
        merge(known);
      }
    }
    return counts;
  };
  let worst = { name: "", count: 0 };
  visit(document, {
    SelectionSet(node) {
      for (const [name, count] of countsOf(node)) if (count > worst.count) worst = { name, count };
    },
  });
  return worst;
};

/** Documents that passed, oldest first, with the limits they passed under; at most 32 MiB of text. */
const passed = new Map<string, string>();
const MAX_REMEMBERED = 1_024;
const MAX_REMEMBERED_LENGTH = 32 * 1024;

/**
 * Parses a request's query (within the token limit Apollo applies too) and refuses it when one
 * selection set repeats a response name more than `maxRepeated` times. Unparsable queries are left to
 * Apollo, which answers them with GRAPHQL_PARSE_FAILED.
 */
export const precheckQuery = (query: unknown, limits: { maxTokens: number; maxRepeated: number }): void => {
  if (typeof query !== "string") return;
  // Clients send the same few documents again and again: one that passed is not parsed again.
  const under = `${limits.maxTokens}/${limits.maxRepeated}`;
  if (passed.get(query) === under) return;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return;
  }
  const worst = maxRepeatedResponseName(document);
  if (worst.count > limits.maxRepeated) {
    throw new AppError(
      "QUERY_TOO_COMPLEX",
      `Query asks for ${worst.name} ${worst.count} times in one selection set; the limit is ${limits.maxRepeated}`,
      { field: worst.name, repeated: worst.count, maxRepeated: limits.maxRepeated },
    );
  }
  if (query.length <= MAX_REMEMBERED_LENGTH) {
    if (passed.size >= MAX_REMEMBERED) passed.delete(passed.keys().next().value as string);
    passed.set(query, under);
  }
};
