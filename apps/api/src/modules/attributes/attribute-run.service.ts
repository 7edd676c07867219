import { createAttributeExtractor } from "@dam/attributes/extract-attributes";
import type { Prisma } from "@dam/db/client";
import { dropVersionTable } from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import {
  findVersionById,
  findVersionWithDataset,
  updateVersion,
} from "../datasets/dataset-versions.service.ts";
import { checkUsableVersion } from "../datasets/usable-version.service.ts";
import { compileTemplate, renderTemplate, ZTemplateColumn } from "../features/embedding-template.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { ATTRIBUTE_COLUMNS } from "./attribute-columns.ts";
import {
  createAttributeTable,
  insertAttributePage,
  readDistinctValues,
  readSourcePage,
} from "./attributes.repository.ts";

export const ZAttributeSource = z.object({
  kind: z.literal("attribute-extraction"),
  parentVersionId: z.string().uuid(),
  template: z.string(),
  brands: z.array(z.string()).default([]),
  /** Filled in when the run ends: rows and how many got each attribute. */
  report: z.record(z.string(), z.number()).optional(),
});

const PAGE_ROWS = 2_000;
// Brand names taken from the catalogue's own brand column (beyond this the column is not a brand list).
const MAX_CATALOGUE_BRANDS = 5_000;

const ZColumns = z.array(
  ZTemplateColumn.extend({ nullable: z.boolean().optional(), source: z.string().optional() }),
);

/**
 * Writes a derived version of a catalogue: every source row, plus the attributes extracted from its
 * text. Idempotent: the target table is dropped and re-made on every attempt; a READY version is kept.
 */
export const executeAttributeRun = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const version = await findVersionWithDataset(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  const source = ZAttributeSource.safeParse(version.source);
  if (!source.success)
    throw new UnrecoverableError(`Version ${versionId} was not made by attribute extraction`);
  if (version.status === "READY") return { version, report: source.data.report ?? {} };
  const read = await checkUsableVersion(deps, source.data.parentVersionId);
  if (!read.ok) throw new UnrecoverableError(`Source version: ${read.message}`);
  const parent = read.version;
  const columns = ZColumns.parse(parent.schema);
  const compiled = compileTemplate(source.data.template, columns);
  if (!compiled.ok) throw new UnrecoverableError(compiled.message);
  const brandColumn = columns.find((c) => c.role === "brand")?.name ?? null;
  const brands = [
    ...source.data.brands,
    ...(brandColumn
      ? await readDistinctValues(deps.pool, parent.tableName, brandColumn, MAX_CATALOGUE_BRANDS)
      : []),
  ];
  const extractor = createAttributeExtractor({ brands });

  await updateVersion(deps, versionId, { status: "LOADING" });
  await createAttributeTable(deps.pool, parent.tableName, version.tableName);
  const counts = Object.fromEntries(ATTRIBUTE_COLUMNS.map((c) => [c.name, 0]));
  let rows = 0;
  let after = Number.MIN_SAFE_INTEGER;
  const total = Number(parent.rowCount);
  for (;;) {
    const page = await readSourcePage(deps.pool, {
      table: parent.tableName,
      columns: compiled.compiled.columns,
      afterLine: after,
      limit: PAGE_ROWS,
    });
    if (page.length === 0) break;
    const values = page.map((row) => {
      const attributes = extractor.extract(renderTemplate(compiled.compiled, row.values));
      return ATTRIBUTE_COLUMNS.map((column) => {
        const value = column.value(attributes);
        if (value !== null) counts[column.name]! += 1;
        return value;
      });
    });
    await insertAttributePage(deps.pool, {
      source: parent.tableName,
      target: version.tableName,
      lines: page.map((row) => row.line),
      values,
    });
    rows += page.length;
    after = page[page.length - 1]!.line;
    await ctx.progress((95 * rows) / Math.max(1, total), `Extracted attributes of ${rows} of ${total} rows`);
    await ctx.checkpoint();
  }
  // A derived category takes the category role only where the catalogue has none of its own.
  const hasCategory = columns.some((c) => c.role === "category");
  const schema = [
    ...columns,
    ...ATTRIBUTE_COLUMNS.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: true,
      source: "extracted",
      role: column.name === "extracted_category" && !hasCategory ? "category" : column.role,
    })),
  ];
  const report = { rows, ...counts };
  const ready = await updateVersion(deps, versionId, {
    status: "READY",
    rowCount: rows,
    schema: schema as Prisma.InputJsonValue,
    source: { ...source.data, report } as Prisma.InputJsonValue,
    readyAt: new Date(),
  });
  await recordLineage(deps, {
    from: [{ type: "DATASET_VERSION", refId: parent.id, label: `${version.dataset.name} v${parent.number}` }],
    to: {
      type: "DATASET_VERSION",
      refId: version.id,
      label: `${version.dataset.name} v${version.number}`,
      metadata: { attributes: ATTRIBUTE_COLUMNS.map((c) => c.name), template: source.data.template, report },
    },
    jobId: ctx.jobRecordId,
    relation: "attributes_extracted",
  });
  await ctx.progress(100, `Attributes extracted from ${rows} rows`);
  return { version: ready, report };
};

export const discardAttributeRun = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await findVersionById(deps, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await updateVersion(deps, versionId, { status: "FAILED", rowCount: 0 });
};
