import { describe, expect, it } from "vitest";
import { parseFeaturesArgs } from "./features-command.ts";
import { parseKeysArgs } from "./keys-command.ts";
import { parseLabellingArgs } from "./labelling-command.ts";
import { parseLineageArgs } from "./lineage-command.ts";
import { parseModelsArgs } from "./models-command.ts";

describe("lineage arguments", () => {
  it("reads direction and depth, defaulting to both ways, depth 3", () => {
    expect(parseLineageArgs(["show", "v1"])).toEqual({ sub: "show", id: "v1", direction: "BOTH", depth: 3 });
    expect(parseLineageArgs(["show", "v1", "--direction", "upstream", "--depth", "5"])).toEqual({
      sub: "show",
      id: "v1",
      direction: "UPSTREAM",
      depth: 5,
    });
    expect(parseLineageArgs(["impact", "v1"])).toEqual({ sub: "impact", versionId: "v1" });
  });
  it("names a bad direction, a bad depth and a missing id", () => {
    expect(() => parseLineageArgs(["show", "v1", "--direction", "sideways"])).toThrow(
      /--direction: "sideways" is not one of upstream, downstream, both/,
    );
    expect(() => parseLineageArgs(["show", "v1", "--depth", "two"])).toThrow(
      /--depth: "two" is not an integer/,
    );
    expect(() => parseLineageArgs(["show", "v1", "--depth", "11"])).toThrow(
      /--depth: 11 is not between 0 and 10/,
    );
    expect(() => parseLineageArgs(["show"])).toThrow(/usage: npm run dam -- lineage/);
    expect(() => parseLineageArgs(["show", "v1", "--deep", "2"])).toThrow(/Unknown option '--deep'/);
  });
});

describe("models arguments", () => {
  it("reads list, compare, promote with --force and rollback", () => {
    expect(parseModelsArgs(["list", "--name", "recs"])).toEqual({ sub: "list", name: "recs", first: 20 });
    expect(parseModelsArgs(["compare", "a", "b", "c"])).toEqual({ sub: "compare", ids: ["a", "b", "c"] });
    expect(parseModelsArgs(["promote", "a", "--force"])).toEqual({ sub: "promote", id: "a", force: true });
    expect(parseModelsArgs(["promote", "a"])).toEqual({ sub: "promote", id: "a", force: false });
    expect(parseModelsArgs(["rollback", "recs"])).toEqual({ sub: "rollback", name: "recs" });
  });
  it("refuses a comparison of one version and unknown subcommands", () => {
    expect(() => parseModelsArgs(["compare", "a"])).toThrow(/two or more version ids/);
    expect(() => parseModelsArgs(["delete", "a"])).toThrow(/usage: npm run dam -- models/);
    expect(() => parseModelsArgs(["rollback"])).toThrow(/usage/);
  });
});

describe("keys arguments", () => {
  it("reads list, create and revoke; roles in any case", () => {
    expect(parseKeysArgs(["list", "--include-revoked"])).toEqual({
      sub: "list",
      includeRevoked: true,
      first: 50,
    });
    expect(parseKeysArgs(["create", "--name", " ci ", "--role", "steward"])).toEqual({
      sub: "create",
      name: "ci",
      role: "STEWARD",
    });
    expect(parseKeysArgs(["revoke", "k1"])).toEqual({ sub: "revoke", id: "k1" });
  });
  it("names a missing name and an unknown role", () => {
    expect(() => parseKeysArgs(["create", "--role", "admin"])).toThrow(/--name is required/);
    expect(() => parseKeysArgs(["create", "--name", "x", "--role", "owner"])).toThrow(
      /--role: "owner" is not one of admin, steward, labeller, viewer/,
    );
    expect(() => parseKeysArgs(["revoke"])).toThrow(/usage: npm run dam -- keys/);
  });
});

describe("features arguments", () => {
  it("reads embed options and builds a fuse recipe from flags over --recipe", () => {
    expect(parseFeaturesArgs(["embed", "v1", "--template", "{title}"])).toEqual({
      sub: "embed",
      versionId: "v1",
      template: "{title}",
      modelId: undefined,
    });
    expect(
      parseFeaturesArgs([
        "fuse",
        "--name",
        "items",
        "--recipe",
        '{"maxOneHot":20,"catalogVersionId":"old"}',
        "--catalog",
        "v1",
        "--embedding-set",
        "e1",
        "--weights",
        '{"text":2}',
      ]),
    ).toEqual({
      sub: "fuse",
      name: "items",
      recipe: { maxOneHot: 20, catalogVersionId: "v1", embeddingSetId: "e1", weights: { text: 2 } },
    });
  });
  it("names a missing catalogue, bad JSON and a non-object recipe", () => {
    expect(() => parseFeaturesArgs(["fuse", "--name", "items"])).toThrow(/--catalog .* is required/);
    expect(() => parseFeaturesArgs(["fuse", "--name", "x", "--catalog", "v", "--weights", "{"])).toThrow(
      /--weights: not valid JSON/,
    );
    expect(() => parseFeaturesArgs(["fuse", "--name", "x", "--recipe", "[1]"])).toThrow(
      /--recipe: not a JSON object/,
    );
    expect(() => parseFeaturesArgs(["embed"])).toThrow(/usage: npm run dam -- features/);
  });
});

describe("labelling arguments", () => {
  it("reads export with an optional dataset name and refuses anything else", () => {
    expect(parseLabellingArgs(["export", "p1", "--dataset-name", "gold"])).toEqual({
      sub: "export",
      projectId: "p1",
      datasetName: "gold",
    });
    expect(() => parseLabellingArgs(["import", "p1"])).toThrow(/usage: npm run dam -- labelling export/);
  });
});
