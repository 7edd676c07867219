import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { parseIntOption, printResult } from "./cli-output.ts";

export const KEYS_USAGE = `usage: npm run dam -- keys <list|create|revoke> ...   (admin key)
  keys list [--include-revoked] [--first 50]
  keys create --name <name> --role admin|steward|labeller|viewer   (the secret is printed once)
  keys revoke <key id>`;

const ROLES = ["ADMIN", "STEWARD", "LABELLER", "VIEWER"] as const;
const KEY_FIELDS = "id name prefix role createdAt lastUsedAt revokedAt";

export type TKeysArgs =
  | { sub: "list"; includeRevoked: boolean; first: number }
  | { sub: "create"; name: string; role: (typeof ROLES)[number] }
  | { sub: "revoke"; id: string };

export const parseKeysArgs = (argv: string[]): TKeysArgs => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      "include-revoked": { type: "boolean" },
      first: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
    },
  });
  switch (sub) {
    case "list":
      return {
        sub,
        includeRevoked: values["include-revoked"] ?? false,
        first: parseIntOption(values.first, "--first", 50),
      };
    case "create": {
      const name = values.name?.trim();
      if (!name) throw new Error(`--name is required\n${KEYS_USAGE}`);
      const role = (values.role ?? "").toUpperCase();
      if (!ROLES.includes(role as (typeof ROLES)[number]))
        throw new Error(`--role: "${values.role ?? ""}" is not one of admin, steward, labeller, viewer`);
      return { sub, name, role: role as (typeof ROLES)[number] };
    }
    case "revoke": {
      const id = positionals[0];
      if (!id) throw new Error(KEYS_USAGE);
      return { sub, id };
    }
    default:
      throw new Error(KEYS_USAGE);
  }
};

export const runKeys = async (client: TApiClient, argv: string[]): Promise<number> => {
  const args = parseKeysArgs(argv);
  switch (args.sub) {
    case "list": {
      const { apiKeys } = await client.graphql<{ apiKeys: { edges: { node: unknown }[] } }>(
        `query($first: Int, $all: Boolean) { apiKeys(first: $first, includeRevoked: $all) { edges { node { ${KEY_FIELDS} } } } }`,
        { first: args.first, all: args.includeRevoked },
      );
      printResult({ keys: apiKeys.edges.map((edge) => edge.node) });
      return 0;
    }
    case "create": {
      const { createApiKey } = await client.graphql<{ createApiKey: unknown }>(
        `mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key apiKey { ${KEY_FIELDS} } } }`,
        { name: args.name, role: args.role },
      );
      process.stderr.write("The key is shown once: store it now.\n");
      printResult(createApiKey);
      return 0;
    }
    case "revoke": {
      const { revokeApiKey } = await client.graphql<{ revokeApiKey: unknown }>(
        `mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`,
        { id: args.id },
      );
      printResult(revokeApiKey);
      return 0;
    }
  }
};
