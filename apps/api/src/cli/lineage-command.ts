import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { parseIntOption, printResult } from "./cli-output.ts";

export const LINEAGE_USAGE = `usage: npm run dam -- lineage <show|impact> ...
  lineage show <entity id> [--direction upstream|downstream|both] [--depth 0-10, default 3]
  lineage impact <version id>     (what was made from a dataset version, grouped by kind)`;

const DIRECTIONS = ["UPSTREAM", "DOWNSTREAM", "BOTH"] as const;
const NODE_FIELDS = "id type refId label depth createdAt";

export type TLineageArgs =
  | { sub: "show"; id: string; direction: (typeof DIRECTIONS)[number]; depth: number }
  | { sub: "impact"; versionId: string };

/** Reads `lineage` arguments; every mistake is named before anything is sent. */
export const parseLineageArgs = (argv: string[]): TLineageArgs => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { direction: { type: "string" }, depth: { type: "string" } },
  });
  const id = positionals[0];
  if (!id) throw new Error(LINEAGE_USAGE);
  if (sub === "impact") return { sub, versionId: id };
  if (sub !== "show") throw new Error(LINEAGE_USAGE);
  const direction = (values.direction ?? "both").toUpperCase();
  if (!DIRECTIONS.includes(direction as (typeof DIRECTIONS)[number]))
    throw new Error(`--direction: "${values.direction}" is not one of upstream, downstream, both`);
  const depth = parseIntOption(values.depth, "--depth", 3);
  if (depth < 0 || depth > 10) throw new Error(`--depth: ${depth} is not between 0 and 10`);
  return { sub, id, direction: direction as (typeof DIRECTIONS)[number], depth };
};

export const runLineage = async (client: TApiClient, argv: string[]): Promise<number> => {
  const args = parseLineageArgs(argv);
  if (args.sub === "impact") {
    const { impact } = await client.graphql<{ impact: unknown }>(
      `query($v: ID!) { impact(versionId: $v) { versionId total truncated root { ${NODE_FIELDS} }
         groups { type count nodes { ${NODE_FIELDS} } } } }`,
      { v: args.versionId },
    );
    printResult(impact);
    return 0;
  }
  const { lineage } = await client.graphql<{ lineage: unknown }>(
    `query($id: ID!, $direction: LineageDirection!, $depth: Int) {
       lineage(id: $id, direction: $direction, depth: $depth) {
         truncated nodes { ${NODE_FIELDS} } edges { id from to relation jobId } } }`,
    { id: args.id, direction: args.direction, depth: args.depth },
  );
  printResult(lineage);
  return 0;
};
