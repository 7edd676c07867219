/**
 * The member of a generated GraphQL enum (a `const` object of lib/generated/gql) that equals `value`, or
 * undefined: how a <select>'s string becomes an enum value without a cast.
 */
export function enumValue<T extends string>(values: Record<string, T>, value: string): T | undefined {
  return Object.values(values).find((member) => member === value);
}
