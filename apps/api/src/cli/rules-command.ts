import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { followJob, JOB_FIELDS, parseJsonOption, printResult, type TJobView } from "./cli-output.ts";
import { resolveDatasetId } from "./datasets-command.ts";

export const RULES_USAGE = `usage: npm run dam -- rules <suggest|list|add|run> ...
  rules suggest <version id> [--accept all|name,name]
  rules list <dataset id or name>
  rules add <dataset id or name> --name <name> --type <type> --params <json> [--severity ERROR|WARN]
  rules run <version id>            (waits for the quality run and prints its score)`;

type TSuggestion = { name: string; type: string; params: unknown; severity: string; reason: string };

export const runRules = async (client: TApiClient, argv: string[]): Promise<number> => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      accept: { type: "string" },
      name: { type: "string" },
      type: { type: "string" },
      params: { type: "string" },
      severity: { type: "string" },
    },
  });
  const target = positionals[0];
  if (!target) throw new Error(RULES_USAGE);
  switch (sub) {
    case "suggest": {
      const { suggestedQualityRules } = await client.graphql<{ suggestedQualityRules: TSuggestion[] }>(
        `query($v: ID!) { suggestedQualityRules(versionId: $v) { name type params severity reason } }`,
        { v: target },
      );
      if (!values.accept) {
        printResult({ versionId: target, suggestions: suggestedQualityRules });
        return 0;
      }
      const names =
        values.accept === "all"
          ? suggestedQualityRules.map((rule) => rule.name)
          : values.accept.split(",").map((name) => name.trim());
      const accepted =
        names.length === 0
          ? []
          : (
              await client.graphql<{ acceptSuggestedQualityRules: unknown[] }>(
                `mutation($v: ID!, $names: [String!]!) {
                   acceptSuggestedQualityRules(versionId: $v, names: $names) { id name type severity } }`,
                { v: target, names },
              )
            ).acceptSuggestedQualityRules;
      printResult({ versionId: target, accepted });
      return 0;
    }
    case "list": {
      const datasetId = await resolveDatasetId(client, target);
      const { qualityRules } = await client.graphql<{ qualityRules: unknown[] }>(
        `query($id: ID!) { qualityRules(datasetId: $id) { id name type params severity enabled schedule } }`,
        { id: datasetId },
      );
      printResult({ datasetId, rules: qualityRules });
      return 0;
    }
    case "add": {
      if (!values.name || !values.type || !values.params) throw new Error(RULES_USAGE);
      const datasetId = await resolveDatasetId(client, target);
      const { createQualityRule } = await client.graphql<{ createQualityRule: unknown }>(
        `mutation($id: ID!, $input: QualityRuleInput!) {
           createQualityRule(datasetId: $id, input: $input) { id name type params severity } }`,
        {
          id: datasetId,
          input: {
            name: values.name,
            type: values.type,
            params: parseJsonOption(values.params, "--params"),
            severity: values.severity?.toUpperCase(),
          },
        },
      );
      printResult({ datasetId, rule: createQualityRule });
      return 0;
    }
    case "run": {
      const { runQualityCheck } = await client.graphql<{ runQualityCheck: TJobView }>(
        `mutation($v: ID!) { runQualityCheck(versionId: $v) { ${JOB_FIELDS} } }`,
        { v: target },
      );
      const job = await followJob(client, runQualityCheck.id);
      const { qualityRuns } = await client.graphql<{
        qualityRuns: { edges: { node: { id: string; status: string; score: number | null } }[] };
      }>(`query($v: ID!) { qualityRuns(versionId: $v, first: 1) { edges { node { id status score } } } }`, {
        v: target,
      });
      printResult({
        versionId: target,
        jobId: job.id,
        status: job.status,
        run: qualityRuns.edges[0]?.node ?? null,
      });
      return job.status === "COMPLETED" ? 0 : 1;
    }
    default:
      throw new Error(RULES_USAGE);
  }
};
