import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { parseIntOption, parsePairs, parseRoleMap, printResult } from "./cli-output.ts";
import { createProgressBar } from "./progress-bar.ts";

export const DATASETS_USAGE = `usage: npm run dam -- datasets <list|show|preview|download|roles> ...
  datasets list [--kind KIND] [--search text] [--first 50]
  datasets show <dataset id or name>
  datasets preview <version id> [--first 20] [--offset 0] [--sort column] [--desc] [--filter column=text]
  datasets download <version id> --out <file> [--format csv|jsonl|parquet]
  datasets roles <version id> [--map column=role,column=,...]   (an empty role unbinds; no --map lists them)`;

const VERSION_FIELDS =
  "id number status rowCount rejectedCount qualityScore createdAt columns { name type role }";

const findDataset = async (client: TApiClient, ref: string) => {
  const byId = /^[0-9a-f-]{36}$/i.test(ref)
    ? await client.graphql<{ dataset: { id: string } | null }>(
        `query($id: ID!) { dataset(id: $id) { id } }`,
        {
          id: ref,
        },
      )
    : { dataset: null };
  if (byId.dataset) return byId.dataset.id;
  const { datasets } = await client.graphql<{
    datasets: { edges: { node: { id: string; name: string } }[] };
  }>(`query($search: String) { datasets(first: 200, search: $search) { edges { node { id name } } } }`, {
    search: ref,
  });
  const match = datasets.edges.find((edge) => edge.node.name === ref);
  if (!match) throw new Error(`no dataset named or with id "${ref}"`);
  return match.node.id;
};

export const resolveDatasetId = findDataset;

export const runDatasets = async (client: TApiClient, argv: string[]): Promise<number> => {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      kind: { type: "string" },
      search: { type: "string" },
      first: { type: "string" },
      offset: { type: "string" },
      sort: { type: "string" },
      desc: { type: "boolean" },
      filter: { type: "string" },
      out: { type: "string" },
      format: { type: "string" },
      map: { type: "string" },
    },
  });
  const target = positionals[0];
  switch (sub) {
    case "list": {
      const { datasets } = await client.graphql<{
        datasets: { totalCount: number; edges: { node: unknown }[] };
      }>(
        `query($first: Int, $kind: DatasetKind, $search: String) {
           datasets(first: $first, kind: $kind, search: $search) {
             totalCount edges { node { id name kind tags latestVersion { id number rowCount qualityScore } } } } }`,
        {
          first: parseIntOption(values.first, "--first", 50),
          kind: values.kind?.toUpperCase(),
          search: values.search,
        },
      );
      printResult({ totalCount: datasets.totalCount, datasets: datasets.edges.map((edge) => edge.node) });
      return 0;
    }
    case "show": {
      if (!target) throw new Error(DATASETS_USAGE);
      const id = await findDataset(client, target);
      const { dataset } = await client.graphql<{ dataset: unknown }>(
        `query($id: ID!) { dataset(id: $id) { id name kind description tags owner createdAt versions { ${VERSION_FIELDS} } } }`,
        { id },
      );
      printResult(dataset);
      return 0;
    }
    case "preview": {
      if (!target) throw new Error(DATASETS_USAGE);
      const filter = values.filter ? parsePairs(values.filter, "--filter")[0] : undefined;
      const { versionRows } = await client.graphql<{
        versionRows: {
          columns: { name: string }[];
          totalCount: number;
          rows: { line: number; cells: unknown[] }[];
        };
      }>(
        `query($v: ID!, $first: Int, $offset: Int, $sortBy: String, $descending: Boolean, $filterColumn: String, $filter: String) {
           versionRows(versionId: $v, first: $first, offset: $offset, sortBy: $sortBy, descending: $descending,
                       filterColumn: $filterColumn, filter: $filter) {
             totalCount columns { name } rows { line cells } } }`,
        {
          v: target,
          first: parseIntOption(values.first, "--first", 20),
          offset: parseIntOption(values.offset, "--offset", 0),
          sortBy: values.sort,
          descending: values.desc ?? false,
          filterColumn: filter?.key,
          filter: filter?.value,
        },
      );
      const names = versionRows.columns.map((column) => column.name);
      printResult({
        totalCount: versionRows.totalCount,
        columns: names,
        rows: versionRows.rows.map((row) =>
          Object.fromEntries(names.map((name, i) => [name, row.cells[i] ?? null])),
        ),
      });
      return 0;
    }
    case "download": {
      if (!target || !values.out) throw new Error(DATASETS_USAGE);
      const format = values.format ?? "csv";
      if (format !== "csv" && format !== "jsonl" && format !== "parquet")
        throw new Error(`--format: "${format}" is not csv, jsonl or parquet`);
      const { versionRows } = await client.graphql<{ versionRows: { totalCount: number } }>(
        `query($v: ID!) { versionRows(versionId: $v, first: 1) { totalCount } }`,
        { v: target },
      );
      const response = await client.download(`/api/v1/versions/${encodeURIComponent(target)}/rows.${format}`);
      const bar = createProgressBar();
      let lines = 0;
      let bytes = 0;
      // Text formats count rows by their line ends; a Parquet file's rows are known only from its
      // footer, so its progress is in bytes and its row count the version's.
      const counted = Readable.fromWeb(response).map((chunk: Buffer) => {
        bytes += chunk.length;
        if (format === "parquet") {
          bar.update(0, `${(bytes / 1e6).toFixed(1)} MB`);
          return chunk;
        }
        for (const byte of chunk) if (byte === 10) lines++;
        const rows = format === "csv" ? Math.max(0, lines - 1) : lines;
        bar.update(versionRows.totalCount > 0 ? (rows / versionRows.totalCount) * 100 : 100, `${rows} rows`);
        return chunk;
      });
      await pipeline(counted, createWriteStream(values.out));
      bar.update(100, "done");
      bar.done();
      printResult({
        versionId: target,
        format,
        out: values.out,
        rows: format === "parquet" ? versionRows.totalCount : format === "csv" ? lines - 1 : lines,
        bytes,
      });
      return 0;
    }
    case "roles": {
      if (!target) throw new Error(DATASETS_USAGE);
      if (!values.map) {
        const { versionRows } = await client.graphql<{ versionRows: { columns: unknown[] } }>(
          `query($v: ID!) { versionRows(versionId: $v, first: 1) { columns { name type role } } }`,
          { v: target },
        );
        printResult({ versionId: target, columns: versionRows.columns });
        return 0;
      }
      const roles = parseRoleMap(values.map, "--map", true);
      const { updateColumnRoles } = await client.graphql<{ updateColumnRoles: { columns: unknown[] } }>(
        `mutation($input: UpdateColumnRolesInput!) { updateColumnRoles(input: $input) { id columns { name type role } } }`,
        { input: { versionId: target, roles } },
      );
      printResult({ versionId: target, columns: updateColumnRoles.columns });
      return 0;
    }
    default:
      throw new Error(DATASETS_USAGE);
  }
};
