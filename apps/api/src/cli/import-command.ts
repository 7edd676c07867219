import { parseArgs } from "node:util";
import type { TApiClient } from "./api-client.ts";
import { parseRoleMap } from "./cli-output.ts";
import { createProgressBar } from "./progress-bar.ts";

const KINDS = ["CATALOG", "EVENTS", "TRANSACTIONS", "USERS", "LABELS", "DERIVED", "OTHER"];

export const IMPORT_USAGE = `usage: npm run dam -- import <file...> --name <dataset> --kind <KIND>
         [--map column=role,...] [--type column=type,...] [--format csv|jsonl]
         [--delimiter ,] [--encoding utf8|latin1] [--strict-utf8] [--no-header] [--description text]
         [--tags a,b] [--preview [--first N]]
  --preview: read the start of the files as the import would and print the columns with their
             inferred types and roles and the first rows (N, default 20), importing nothing.
  KIND: ${KINDS.join(" | ")}`;

const parsePairs = (value: string | undefined, flag: string) =>
  (value ?? "")
    .split(",")
    .filter((pair) => pair.trim() !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0 || at === pair.length - 1) throw new Error(`${flag}: "${pair}" is not column=value`);
      return { column: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
    });

type TJobView = { status: string; progress: number; message: string | null; error: string | null };

/** Uploads the files, starts the import, follows the job with a progress bar, prints one JSON line. */
export const runImport = async (client: TApiClient, argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      kind: { type: "string" },
      map: { type: "string" },
      type: { type: "string" },
      format: { type: "string" },
      delimiter: { type: "string" },
      encoding: { type: "string" },
      description: { type: "string" },
      tags: { type: "string" },
      "no-header": { type: "boolean" },
      "strict-utf8": { type: "boolean" },
      preview: { type: "boolean" },
      first: { type: "string" },
    },
  });
  const preview = values.preview ?? false;
  if (positionals.length === 0 || (!preview && (!values.name || !values.kind))) throw new Error(IMPORT_USAGE);
  const kind = (values.kind ?? "").toUpperCase();
  if (!preview && !KINDS.includes(kind))
    throw new Error(`--kind: "${values.kind}" is not one of ${KINDS.join(", ")}`);

  const bar = createProgressBar();
  const uploadIds: string[] = [];
  for (const [index, file] of positionals.entries()) {
    bar.update((index / positionals.length) * 10, `uploading ${file}`);
    uploadIds.push((await client.upload(file)).uploadId);
  }
  const reading = {
    uploadIds,
    format: values.format?.toUpperCase(),
    delimiter: values.delimiter,
    encoding: values.encoding === "latin1" ? "LATIN1" : values.encoding ? "UTF8" : undefined,
    header: values["no-header"] ? false : undefined,
    roles: parseRoleMap(values.map, "--map", false),
    types: parsePairs(values.type, "--type").map(({ column, value }) => ({ column, type: value })),
  };
  if (preview) {
    const first = values.first === undefined ? undefined : Number(values.first);
    if (first !== undefined && !Number.isInteger(first))
      throw new Error(`--first: "${values.first}" is not a whole number`);
    const { importPreview } = await client.graphql<{ importPreview: unknown }>(
      `query Preview($input: ImportPreviewInput!) { importPreview(input: $input) {
         columns { source name type role roleInferred roleInherited nullable } rows sampledRows } }`,
      { input: { ...reading, first, name: values.name } },
    );
    bar.done();
    process.stdout.write(`${JSON.stringify(importPreview)}\n`);
    return 0;
  }
  const started = await client.graphql<{
    importDataset: { dataset: { id: string }; version: { id: string }; job: { id: string } };
  }>(
    `mutation Import($input: ImportDatasetInput!) {
       importDataset(input: $input) { dataset { id } version { id } job { id } } }`,
    {
      input: {
        name: values.name,
        kind,
        description: values.description,
        tags: values.tags?.split(",").map((tag) => tag.trim()),
        ...reading,
        strictUtf8: values["strict-utf8"] ? true : undefined,
      },
    },
  );
  const { dataset, version, job } = started.importDataset;
  let view: TJobView;
  for (;;) {
    view = (
      await client.graphql<{ job: TJobView }>(
        `query($id: ID!) { job(id: $id) { status progress message error } }`,
        { id: job.id },
      )
    ).job;
    bar.update(10 + view.progress * 0.9, view.message ?? view.status.toLowerCase());
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(view.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  bar.done();
  const loaded = await client.graphql<{
    dataset: { versions: { id: string; rowCount: number; rejectedCount: number }[] };
  }>(`query($id: ID!) { dataset(id: $id) { versions { id rowCount rejectedCount } } }`, { id: dataset.id });
  const result = loaded.dataset.versions.find((candidate) => candidate.id === version.id);
  const line = {
    datasetId: dataset.id,
    versionId: version.id,
    jobId: job.id,
    status: view.status,
    rowsLoaded: result?.rowCount ?? 0,
    rowsRejected: result?.rejectedCount ?? 0,
    ...(view.error ? { error: view.error } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return view.status === "COMPLETED" ? 0 : 1;
};
