import type { Role } from "@dam/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_PERMISSIONS } from "../src/modules/auth/operation-permissions.ts";
import { can, type TPrincipal } from "../src/modules/auth/permissions.ts";
import { loadSchema, minimalValue, operationsOf, requestOf } from "./helpers/schema-cases.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Every operation of the schema x every role, generated from the schema and the permission table:
// an operation is refused (FORBIDDEN) exactly when the table says the role lacks its permission.
// Arguments are minimal valid values (random UUIDs for ids), so a permitted call ends in its own
// answer or a NOT_FOUND / PRECONDITION_FAILED / BAD_USER_INPUT about the data, never in FORBIDDEN.

const ROLES: Role[] = ["ADMIN", "STEWARD", "VIEWER", "LABELLER", "CLIENT"];
const schema = loadSchema();
const operations = operationsOf(schema);

let stack: TTestStack;
const keys = new Map<Role, string>();
beforeAll(async () => {
  stack = await startTestStack();
  for (const role of ROLES) {
    const created = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key } }`,
      { name: `matrix ${role}`, role },
    );
    keys.set(role, created.data!.createApiKey.key);
  }
});
afterAll(async () => {
  await stack?.close();
});

const allowed = (role: Role, coordinate: string): boolean => {
  const permission = OPERATION_PERMISSIONS[coordinate];
  if (permission === undefined) throw new Error(`${coordinate} has no entry in OPERATION_PERMISSIONS`);
  if (permission === "authenticated") return true;
  return can({ role } as TPrincipal, permission);
};

describe("authorisation matrix", () => {
  it("has a permission for every operation of the schema, and none for operations that do not exist", () => {
    const coordinates = operations.map((operation) => operation.coordinate).sort();
    expect(Object.keys(OPERATION_PERMISSIONS).sort()).toEqual(coordinates);
  });

  it.each(operations.map((operation) => [operation.coordinate, operation] as const))(
    "%s is refused exactly for the roles the permission table excludes",
    async (_coordinate, operation) => {
      const args = operation.field.args.filter((arg) => arg.type.toString().endsWith("!"));
      const variables = Object.fromEntries(
        args.map((arg) => [arg.name, minimalValue(arg.type, `${operation.coordinate}.${arg.name}`)]),
      );
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of ROLES) {
        const result = await stack.gql(requestOf(operation, args, 1), variables, keys.get(role));
        const code = result.errors?.[0]?.extensions?.code;
        outcomes[role] = code === "FORBIDDEN" ? "refused" : String(code ?? "ok");
        expected[role] = allowed(role, operation.coordinate) ? outcomes[role] : "refused";
        expect(code, `${role}: ${result.errors?.[0]?.message}`).not.toBe("INTERNAL_SERVER_ERROR");
      }
      // Permitted calls may fail on the (made-up) data, but never as FORBIDDEN.
      for (const role of ROLES) {
        if (allowed(role, operation.coordinate)) expect(outcomes[role], role).not.toBe("refused");
      }
      expect(outcomes).toEqual(expected);
    },
  );
});
