import { buildSchema as parseSdl } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

let stack: TTestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("the published schema", () => {
  it("is served as SDL to keys and refused without one", async () => {
    const refused = await fetch(`${stack.url}/graphql/schema.graphql`);
    expect(refused.status).toBe(401);
    const response = await fetch(`${stack.url}/graphql/schema.graphql`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const sdl = await response.text();
    const schema = parseSdl(sdl);
    expect(schema.getQueryType()?.getFields().versionRows?.description).toMatch(/READY version's rows/);
    expect(schema.getMutationType()?.getFields().updateColumnRoles).toBeDefined();
  });

  it("answers introspection for keys, and nothing without a key", async () => {
    const query = `{ __schema { queryType { name } } __type(name: "VersionRowsPage") { fields { name } } }`;
    const answer = await stack.gql<{
      __schema: { queryType: { name: string } };
      __type: { fields: { name: string }[] };
    }>(query);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.__schema.queryType.name).toBe("Query");
    expect(answer.data?.__type.fields.map((field) => field.name)).toEqual([
      "columns",
      "rows",
      "offset",
      "totalCount",
    ]);
    const anonymous = await stack.gql(query, {}, null);
    expect(anonymous.status).toBe(401);
  });
});
