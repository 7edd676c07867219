import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { parseIntOption, printResult } from "./cli-output.ts";

export const MODELS_USAGE = `usage: npm run dam -- models <list|compare|promote|rollback> ...
  models list [--name model] [--first 20]
  models compare <version id> <version id> [...]   (test metrics side by side; bestId when comparable)
  models promote <version id> [--force]            (make it the active version of its name)
  models rollback <model name>                     (re-activate the previously active version)`;

const METRICS = "recall ndcg mrr hit precision coverage users";
const MODEL_FIELDS = `id name version algorithm status protocol trainSeconds createdAt promotedAt metrics { ${METRICS} }`;

export type TModelsArgs =
  | { sub: "list"; name?: string; first: number }
  | { sub: "compare"; ids: string[] }
  | { sub: "promote"; id: string; force: boolean }
  | { sub: "rollback"; name: string };

export const parseModelsArgs = (argv: string[]): TModelsArgs => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { name: { type: "string" }, first: { type: "string" }, force: { type: "boolean" } },
  });
  switch (sub) {
    case "list":
      return { sub, name: values.name, first: parseIntOption(values.first, "--first", 20) };
    case "compare":
      if (positionals.length < 2)
        throw new Error(`models compare needs two or more version ids\n${MODELS_USAGE}`);
      return { sub, ids: positionals };
    case "promote": {
      const id = positionals[0];
      if (!id) throw new Error(MODELS_USAGE);
      return { sub, id, force: values.force ?? false };
    }
    case "rollback": {
      const name = positionals[0];
      if (!name) throw new Error(MODELS_USAGE);
      return { sub, name };
    }
    default:
      throw new Error(MODELS_USAGE);
  }
};

export const runModels = async (client: TApiClient, argv: string[]): Promise<number> => {
  const args = parseModelsArgs(argv);
  switch (args.sub) {
    case "list": {
      const { modelVersions } = await client.graphql<{
        modelVersions: { totalCount: number; edges: { node: unknown }[] };
      }>(
        `query($name: String, $first: Int) { modelVersions(name: $name, first: $first) { totalCount edges { node { ${MODEL_FIELDS} } } } }`,
        { name: args.name, first: args.first },
      );
      printResult({
        totalCount: modelVersions.totalCount,
        models: modelVersions.edges.map((edge) => edge.node),
      });
      return 0;
    }
    case "compare": {
      const { compareModels } = await client.graphql<{ compareModels: unknown }>(
        `query($ids: [ID!]!) { compareModels(ids: $ids) { sameProtocol bestId versions { ${MODEL_FIELDS} } } }`,
        { ids: args.ids },
      );
      printResult(compareModels);
      return 0;
    }
    case "promote": {
      const { promoteModel } = await client.graphql<{ promoteModel: unknown }>(
        `mutation($id: ID!, $force: Boolean) { promoteModel(id: $id, force: $force) { ${MODEL_FIELDS} } }`,
        { id: args.id, force: args.force },
      );
      printResult(promoteModel);
      return 0;
    }
    case "rollback": {
      const { rollbackModel } = await client.graphql<{ rollbackModel: unknown }>(
        `mutation($name: String!) { rollbackModel(name: $name) { ${MODEL_FIELDS} } }`,
        { name: args.name },
      );
      printResult(rollbackModel);
      return 0;
    }
  }
};
