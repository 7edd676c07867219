import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, parseJsonOption, printResult, type TJobView } from "./cli-output.ts";

export const FEATURES_USAGE = `usage: npm run dam -- features <embed|fuse> ...
  features embed <catalogue version id> [--template "{title}. {description}"] [--model model id]
  features fuse --name <feature set> --catalog <version id> [--embedding-set id] [--image-embedding-set id]
                [--events <version id>] [--weights '{"text":1,"category":0.5}'] [--recipe <json>]
  (both wait for the job with progress on stderr and print the built set's id)`;

export type TFeaturesArgs =
  | { sub: "embed"; versionId: string; template?: string; modelId?: string }
  | { sub: "fuse"; name: string; recipe: Record<string, unknown> };

export const parseFeaturesArgs = (argv: string[]): TFeaturesArgs => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      template: { type: "string" },
      model: { type: "string" },
      name: { type: "string" },
      catalog: { type: "string" },
      "embedding-set": { type: "string" },
      "image-embedding-set": { type: "string" },
      events: { type: "string" },
      weights: { type: "string" },
      recipe: { type: "string" },
    },
  });
  if (sub === "embed") {
    const versionId = positionals[0];
    if (!versionId) throw new Error(FEATURES_USAGE);
    return { sub, versionId, template: values.template, modelId: values.model };
  }
  if (sub !== "fuse") throw new Error(FEATURES_USAGE);
  const name = values.name?.trim();
  if (!name) throw new Error(`--name is required\n${FEATURES_USAGE}`);
  const base = parseJsonOption(values.recipe, "--recipe") ?? {};
  if (typeof base !== "object" || base === null || Array.isArray(base))
    throw new Error("--recipe: not a JSON object");
  const weights = parseJsonOption(values.weights, "--weights");
  if (weights !== undefined && (typeof weights !== "object" || weights === null || Array.isArray(weights)))
    throw new Error("--weights: not a JSON object");
  const recipe: Record<string, unknown> = {
    ...base,
    ...(values.catalog ? { catalogVersionId: values.catalog } : {}),
    ...(values["embedding-set"] ? { embeddingSetId: values["embedding-set"] } : {}),
    ...(values["image-embedding-set"] ? { imageEmbeddingSetId: values["image-embedding-set"] } : {}),
    ...(values.events ? { eventsVersionId: values.events } : {}),
    ...(weights ? { weights } : {}),
  };
  if (!recipe.catalogVersionId) throw new Error(`--catalog (or catalogVersionId in --recipe) is required`);
  return { sub, name, recipe };
};

const finish = (job: TJobView, idKey: string): number => {
  printResult({
    jobId: job.id,
    status: job.status,
    [idKey]: job.outputIds[0] ?? null,
    result: job.result,
    ...(job.error ? { error: job.error } : {}),
  });
  return job.status === "COMPLETED" ? 0 : 1;
};

export const runFeatures = async (client: TApiClient, argv: string[]): Promise<number> => {
  const args = parseFeaturesArgs(argv);
  if (args.sub === "embed") {
    const { embedCatalog } = await client.graphql<{ embedCatalog: TJobView }>(
      `mutation($input: EmbedCatalogInput!) { embedCatalog(input: $input) { ${JOB_FIELDS} } }`,
      { input: { versionId: args.versionId, template: args.template, modelId: args.modelId } },
    );
    return finish(await followJob(client, embedCatalog.id), "embeddingSetId");
  }
  const { buildFeatureSet } = await client.graphql<{ buildFeatureSet: TJobView }>(
    `mutation($name: String!, $recipe: JSON!) { buildFeatureSet(name: $name, recipe: $recipe) { ${JOB_FIELDS} } }`,
    { name: args.name, recipe: args.recipe },
  );
  return finish(await followJob(client, buildFeatureSet.id), "featureSetId");
};
