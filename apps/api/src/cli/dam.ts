// `npm run dam -- <command>`: the command line of the platform. It talks to the API only (DAM_API_URL,
// DAM_TOKEN), shows progress on stderr and ends with one JSON line of results on stdout.
import { ApiError, createApiClient } from "./api-client.ts";
import { CLEAN_USAGE, runClean } from "./clean-command.ts";
import { readCliEnv } from "./cli-env.ts";
import { DATASETS_USAGE, runDatasets } from "./datasets-command.ts";
import { FEATURES_USAGE, runFeatures } from "./features-command.ts";
import { IMPORT_USAGE, runImport } from "./import-command.ts";
import { JOBS_USAGE, runJobs } from "./jobs-command.ts";
import { KEYS_USAGE, runKeys } from "./keys-command.ts";
import { LABELLING_USAGE, runLabelling } from "./labelling-command.ts";
import { LINEAGE_USAGE, runLineage } from "./lineage-command.ts";
import { MODELS_USAGE, runModels } from "./models-command.ts";
import { RULES_USAGE, runRules } from "./rules-command.ts";
import { runTrain, TRAIN_USAGE } from "./train-command.ts";

const COMMANDS: Record<string, { usage: string; what: string }> = {
  import: { usage: IMPORT_USAGE, what: "import files as a new dataset version" },
  datasets: { usage: DATASETS_USAGE, what: "list, show, preview, download datasets; edit column roles" },
  rules: { usage: RULES_USAGE, what: "suggest, list, add and run quality rules" },
  clean: { usage: CLEAN_USAGE, what: "dry-run or run a cleaning recipe" },
  jobs: { usage: JOBS_USAGE, what: "list, watch and cancel jobs" },
  train: { usage: TRAIN_USAGE, what: "train a recommender and wait for its metrics" },
  models: { usage: MODELS_USAGE, what: "list, compare, promote and roll back model versions" },
  features: { usage: FEATURES_USAGE, what: "embed a catalogue or fuse a feature set" },
  lineage: { usage: LINEAGE_USAGE, what: "show what an entity was made from or what was made from it" },
  labelling: { usage: LABELLING_USAGE, what: "export a labelling project's gold labels" },
  keys: { usage: KEYS_USAGE, what: "list, create and revoke API keys (admin)" },
};

const USAGE = `usage: npm run dam -- <command> [--help]
commands:
${Object.entries(COMMANDS)
  .map(([name, { what }]) => `  ${name.padEnd(10)}${what}`)
  .join("\n")}`;

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help") {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const help = COMMANDS[command];
  if (help && (rest.includes("--help") || rest.includes("-h"))) {
    process.stderr.write(`${help.usage}\n`);
    return 0;
  }
  const { apiUrl, token } = readCliEnv();
  const client = createApiClient(apiUrl, token);
  switch (command) {
    case "import":
      return runImport(client, rest);
    case "datasets":
      return runDatasets(client, rest);
    case "rules":
      return runRules(client, rest);
    case "clean":
      return runClean(client, rest);
    case "jobs":
      return runJobs(client, rest);
    case "train":
      return runTrain(client, rest);
    case "models":
      return runModels(client, rest);
    case "features":
      return runFeatures(client, rest);
    case "lineage":
      return runLineage(client, rest);
    case "labelling":
      return runLabelling(client, rest);
    case "keys":
      return runKeys(client, rest);
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof ApiError ? error.code : "ERROR";
    process.stderr.write(`dam: ${message}\n`);
    process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    process.exit(1);
  },
);
