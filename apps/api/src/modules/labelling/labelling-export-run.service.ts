import type { Prisma } from "@dam/db/client";
import { createVersionTable, dropVersionTable } from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import {
  findVersionById,
  findVersionWithDataset,
  updateVersion,
} from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { findLabelProjectById } from "./label-records.repository.ts";
import { LABEL_EXPORT_COLUMNS, writeGoldLabels } from "./labelling-export.repository.ts";
import { ZLabelExportSource } from "./labelling-export-source.ts";

const loadExport = async (deps: TDeps, versionId: string) => {
  const version = await findVersionWithDataset(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  const source = ZLabelExportSource.safeParse(version.source);
  if (!source.success) throw new UnrecoverableError(`Version ${versionId} is not a label export`);
  return { version, source: source.data };
};

/**
 * Fills the version's table with the project's gold labels. Idempotent: the table is dropped and
 * re-created on every attempt, and a READY version is left as it is. Gold labels are read when the
 * job runs, so the version holds what was gold then; later adjudications go into the next export.
 */
export const executeLabelExport = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const { version, source } = await loadExport(deps, versionId);
  if (version.status === "READY") return { version, rows: Number(version.rowCount) };
  const project = await findLabelProjectById(deps, source.labelProjectId);
  if (!project) throw new UnrecoverableError(`Label project ${source.labelProjectId} no longer exists`);
  await updateVersion(deps, versionId, { status: "LOADING" });
  await ctx.progress(10, `Exporting the gold labels of ${project.name}`);
  await createVersionTable(deps.pool, version.tableName, LABEL_EXPORT_COLUMNS);
  await ctx.checkpoint();
  const rows = await writeGoldLabels(deps.pool, {
    table: version.tableName,
    projectId: project.id,
    overlap: project.overlap,
    relevance: source.schemaType === "RELEVANCE",
  });
  await ctx.checkpoint();
  const label = `${version.dataset.name} v${version.number}`;
  await recordLineage(deps, {
    from: [{ type: "LABEL_PROJECT", refId: project.id, label: `label project ${project.name}` }],
    to: { type: "DATASET_VERSION", refId: version.id, label, metadata: { goldLabels: rows } },
    jobId: ctx.jobRecordId,
    relation: "exported_from",
  });
  if (source.projectSourceVersionId) {
    const labelled = await findVersionWithDataset(deps, source.projectSourceVersionId);
    if (labelled) {
      await recordLineage(deps, {
        from: [
          {
            type: "DATASET_VERSION",
            refId: labelled.id,
            label: `${labelled.dataset.name} v${labelled.number}`,
          },
        ],
        to: { type: "DATASET_VERSION", refId: version.id, label },
        jobId: ctx.jobRecordId,
        relation: "labels_of",
      });
    }
  }
  const ready = await updateVersion(deps, versionId, {
    status: "READY",
    rowCount: rows,
    schema: LABEL_EXPORT_COLUMNS.map((column) => ({
      name: column.name,
      type: column.type,
      source: column.name,
      nullable: true,
      role: column.role,
    })) as Prisma.InputJsonValue,
    readyAt: new Date(),
  });
  await ctx.progress(100, `${rows} gold labels exported`);
  return { version: ready, rows };
};

/** Undo for an export that failed for good or was cancelled: no half-written version stays behind. */
export const discardLabelExport = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await findVersionById(deps, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await updateVersion(deps, versionId, { status: "FAILED", rowCount: 0 });
};
