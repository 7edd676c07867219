import {
  GraphQLID,
  type GraphQLInputType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { AppError } from "../errors/app-error.ts";
import { badStringReason, isUuid } from "../modules/core/input-text.ts";

// Every client-supplied value is checked here once, at the edge, before a resolver sees it: a NUL
// byte or a lone surrogate cannot be stored by PostgreSQL (text is UTF-8 without NUL), an `ID` that is
// not a UUID makes Prisma throw on a `@db.Uuid` column, and a value nested thousands deep overflows
// the stack of whatever recursive code reads it next. All of these are the client's mistake, so they
// are BAD_USER_INPUT naming the argument, never an internal error.

// `ID` arguments that name something other than a UUID row (schema coordinate, e.g. "Query.lineage.id").
// lineage accepts a file path or a lineage node key as well as a row id.
export const NON_UUID_ID_ARGUMENTS: ReadonlySet<string> = new Set(["Query.lineage.id"]);

const refuse = (path: string, reason: string): never => {
  throw new AppError("BAD_USER_INPUT", `${path}: ${reason}`, { field: path });
};

const checkString = (value: string, path: string) => {
  const reason = badStringReason(value);
  if (reason) refuse(path, reason);
};

/**
 * Depth of a raw JSON value (objects and arrays), walked without recursion so a value nested 100,000
 * deep is measured, not a stack overflow. Stops counting once past `limit`.
 */
export const jsonDepthExceeds = (value: unknown, limit: number): boolean => {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number };
    if (top.value === null || typeof top.value !== "object") continue;
    const depth = top.depth + 1;
    if (depth > limit) return true;
    const children = Array.isArray(top.value) ? top.value : Object.values(top.value as object);
    for (const child of children) stack.push({ value: child, depth });
  }
  return false;
};

const checkJson = (value: unknown, path: string, depth: number, maxDepth: number): void => {
  if (typeof value === "string") {
    checkString(value, path);
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth >= maxDepth) refuse(path, `nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkJson(item, `${path}[${index}]`, depth + 1, maxDepth);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    checkString(key, `${path} (a key)`);
    checkJson(item, `${path}.${key}`, depth + 1, maxDepth);
  }
};

export type TInputCheck = {
  /** Schema coordinate of the argument, e.g. "Query.dataset.id"; decides whether an ID must be a UUID. */
  coordinate: string;
  maxDepth: number;
};

/** Checks one coerced argument value against its declared type; throws BAD_USER_INPUT naming `path`. */
export const checkInputValue = (
  value: unknown,
  type: GraphQLInputType,
  path: string,
  check: TInputCheck,
  depth = 0,
): void => {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) {
    checkInputValue(value, type.ofType, path, check, depth);
    return;
  }
  if (depth > check.maxDepth) refuse(path, `nested deeper than ${check.maxDepth} levels`);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      checkInputValue(item, type.ofType, `${path}[${index}]`, check, depth + 1);
    }
    return;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) checkInputValue(inner, field.type, `${path}.${name}`, check, depth + 1);
    }
    return;
  }
  if (isScalarType(type)) {
    if (typeof value === "string") {
      checkString(value, path);
      if (type === GraphQLID && !NON_UUID_ID_ARGUMENTS.has(check.coordinate) && !isUuid(value)) {
        refuse(path, `must be a UUID, got ${JSON.stringify(value.slice(0, 64))}`);
      }
      return;
    }
    if (type.name === "JSON") checkJson(value, path, depth, check.maxDepth);
  }
};
