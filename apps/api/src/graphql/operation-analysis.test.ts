import { type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { operationLabelOf } from "../metrics.ts";
import { FIELD_COSTS } from "./field-costs.ts";
import { analyseOperation } from "./operation-analysis.ts";
import { buildSchema } from "./schema.ts";

const schema = buildSchema();

const analyse = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition",
  );
  if (!operation) throw new Error("no operation");
  return analyseOperation({ schema, document, operation, variables, maxInputDepth: 32 });
};

const fragmentBomb = (levels: number) =>
  [
    "query Bomb { ...F0 }",
    ...Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { serverInfo { version } }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ),
  ].join("\n");

describe("analyseOperation", () => {
  it("counts a 24-level fragment bomb exactly, each fragment once (2^23 root fields, cost 2^24)", () => {
    // Walked naively this is 16 million field visits; memoised it is 24 fragment computations. The
    // counts below can only come out exact if every spread reused its fragment's totals.
    expect(analyse(fragmentBomb(24))).toEqual({ cost: 2 ** 24, depth: 2, aliases: 0, rootFields: 2 ** 23 });
  });

  it("counts depth through fragments and inline fragments, and aliases in the expanded operation", () => {
    const stats = analyse(`
      query { a: datasets(first: 10) { ...Page } b: datasets { totalCount } }
      fragment Page on DatasetConnection { edges { node { ... on Dataset { x: name versions { id } } } } }`);
    // datasets > edges > node > versions > id
    expect(stats.depth).toBe(5);
    // a, b, and x: the alias inside the page counts once, not once per node.
    expect(stats.aliases).toBe(3);
    expect(stats.rootFields).toBe(2);
  });

  it("multiplies a page's children by `first`, from a literal or a variable", () => {
    const literal = analyse("{ jobs(first: 200) { edges { node { id } } } }");
    const variable = analyse("query($n: Int) { jobs(first: $n) { edges { node { id } } } }", { n: 200 });
    // 1 (jobs) + 200 x (edges 1 + node 1 + id 1)
    expect(literal.cost).toBe(1 + 200 * 3);
    expect(variable.cost).toBe(literal.cost);
  });

  it("prices heavy fields by the table", () => {
    expect(analyse("{ platformStats { datasetCount } }").cost).toBe(FIELD_COSTS["Query.platformStats"]! + 1);
  });

  it("refuses bad arguments with BAD_USER_INPUT naming them, once per field in the document", () => {
    const attempt = (query: string, variables = {}) => {
      try {
        analyse(query, variables);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return { code: (error as AppError).code, field: (error as AppError).details.field };
      }
    };
    expect(attempt(`{ dataset(id: "abc") { name } }`)).toEqual({
      code: "BAD_USER_INPUT",
      field: "dataset(id)",
    });
    expect(attempt(`{ lineage(id: "uploads/a.csv", direction: UPSTREAM) { truncated } }`)).toBeNull();
    expect(attempt("query($s: String) { datasets(search: $s) { totalCount } }", { s: "\u0000" })).toEqual({
      code: "BAD_USER_INPUT",
      field: "datasets(search)",
    });
    expect(
      attempt(
        "mutation($t: [String!]) { updateDataset(id: $id, input: { tags: $t }) { id } }".replace(
          "$id",
          `"${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}"`,
        ),
        {
          t: ["ok", "\udfff"],
        },
      ),
    ).toEqual({ code: "BAD_USER_INPUT", field: "updateDataset(input).tags[1]" });
  });
});

describe("every field-cost entry names a field of the schema", () => {
  it.each(Object.keys(FIELD_COSTS))("%s", (coordinate) => {
    const [typeName, fieldName] = coordinate.split(".") as [string, string];
    const type = schema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined;
    expect(type?.getFields?.()[fieldName]).toBeDefined();
  });
});

describe("operationLabelOf", () => {
  const label = (query: string) => {
    const operation = parse(query).definitions[0] as OperationDefinitionNode;
    return operationLabelOf(schema, operation);
  };
  it("is the one root field asked for, whatever the client named its operation", () => {
    expect(label('query Anything { recommend(userId: "u") { items { itemId } } }')).toBe("recommend");
    expect(label("query { a: viewer { name } b: viewer { role } __typename }")).toBe("viewer");
    expect(label('mutation M { createApiKey(name: "k", role: VIEWER) { key } }')).toBe("createApiKey");
  });
  it("is `other` for several root fields, fragments at the root, unknown fields or no operation", () => {
    expect(label("{ viewer { name } serverInfo { version } }")).toBe("other");
    expect(label("{ ...F } fragment F on Query { viewer { name } }")).toBe("other");
    expect(label("{ noSuchField }")).toBe("other");
    expect(operationLabelOf(schema, undefined)).toBe("other");
  });
});
