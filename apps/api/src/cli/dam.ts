// `npm run dam -- <command>`: the command line of the platform. It talks to the API only (DAM_API_URL,
// DAM_TOKEN), shows progress on stderr and ends with one JSON line of results on stdout.
import { ApiError, createApiClient } from "./api-client.ts";
import { readCliEnv } from "./cli-env.ts";
import { IMPORT_USAGE, runImport } from "./import-command.ts";

const USAGE = `usage: npm run dam -- <command>
commands:
  import   import files as a new dataset version
${IMPORT_USAGE}`;

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help") {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const { apiUrl, token } = readCliEnv();
  const client = createApiClient(apiUrl, token);
  switch (command) {
    case "import":
      return runImport(client, rest);
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
