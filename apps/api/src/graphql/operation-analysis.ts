import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from "graphql";
import { AppError } from "../errors/app-error.ts";
import { fieldCostOf } from "./field-costs.ts";
import { checkInputValue } from "./input-validation.ts";

/** What executing an operation could cost, counted as if every fragment were expanded. */
export type TOperationStats = {
  /** Sum of field costs; a field with `first: n` costs its children n times (a page of n nodes). */
  cost: number;
  /** Length of the deepest field path. */
  depth: number;
  /** Fields asked for under an alias, counted in the expanded operation (not per page node). */
  aliases: number;
  /** Fields at the top of the operation. */
  rootFields: number;
};

type TSelectionStats = { cost: number; depth: number; aliases: number; fields: number };

const EMPTY: TSelectionStats = { cost: 0, depth: 0, aliases: 0, fields: 0 };

const fieldDefOf = (
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined => {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
};

/**
 * Cost, depth, alias and root-field counts of one operation, in time linear in the document's size.
 * Each fragment's totals are computed once and reused at every spread, so a fragment that spreads the
 * next one twice, 24 levels deep, is 24 small computations, not 2^24 walks. Counts may still be huge
 * (the expanded operation would be), and the limits then refuse them.
 *
 * Along the way every field's arguments are coerced and checked (checkInputValue), once per field in
 * the document.
 */
export const analyseOperation = (input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  maxInputDepth: number;
}): TOperationStats => {
  const { schema, document, operation, variables } = input;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, TSelectionStats>();
  const inProgress = new Set<string>();

  const fragmentStats = (name: string): TSelectionStats => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are refused by validation before this runs; count them as nothing.
    if (!fragment || inProgress.has(name)) return EMPTY;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return EMPTY;
    inProgress.add(name);
    const stats = selectionStats(fragment.selectionSet, type);
    inProgress.delete(name);
    memo.set(name, stats);
    return stats;
  };

  const fieldStats = (field: FieldNode, parent: GraphQLCompositeType): TSelectionStats => {
    const definition = fieldDefOf(schema, parent, field.name.value);
    if (!definition) return { ...EMPTY, fields: 1, depth: 1, cost: 1 };
    const coordinate = `${parent.name}.${definition.name}`;
    const args = definition.args.length > 0 ? argumentsOf(definition, field, coordinate) : {};
    const named: GraphQLNamedType = getNamedType(definition.type);
    const children =
      field.selectionSet && isCompositeType(named) ? selectionStats(field.selectionSet, named) : EMPTY;
    const first = typeof args.first === "number" ? Math.max(1, args.first) : 1;
    return {
      cost: fieldCostOf(coordinate) + children.cost * first,
      depth: children.depth + 1,
      aliases: children.aliases + (field.alias ? 1 : 0),
      fields: 1,
    };
  };

  const argumentsOf = (
    definition: GraphQLField<unknown, unknown>,
    field: FieldNode,
    coordinate: string,
  ): Record<string, unknown> => {
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(definition, field, variables);
    } catch (error) {
      throw new AppError(
        "BAD_USER_INPUT",
        `${field.name.value}: ${error instanceof Error ? error.message : String(error)}`,
        { field: field.name.value },
      );
    }
    for (const argument of definition.args) {
      checkInputValue(values[argument.name], argument.type, `${field.name.value}(${argument.name})`, {
        coordinate: `${coordinate}.${argument.name}`,
        maxDepth: input.maxInputDepth,
      });
    }
    return values;
  };

  const selectionStats = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): TSelectionStats => {
    const total = { cost: 0, depth: 0, aliases: 0, fields: 0 };
    const add = (stats: TSelectionStats) => {
      total.cost += stats.cost;
      total.depth = Math.max(total.depth, stats.depth);
      total.aliases += stats.aliases;
      total.fields += stats.fields;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) add(fieldStats(selection, parent));
      else if (selection.kind === Kind.FRAGMENT_SPREAD) add(fragmentStats(selection.name.value));
      else {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (condition && isCompositeType(condition)) add(selectionStats(selection.selectionSet, condition));
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, depth: 0, aliases: 0, rootFields: 0 };
  const stats = selectionStats(operation.selectionSet, root);
  return { cost: stats.cost, depth: stats.depth, aliases: stats.aliases, rootFields: stats.fields };
};
