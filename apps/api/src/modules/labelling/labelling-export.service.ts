import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { createVersionWithJob, upsertDatasetOfKind } from "../datasets/datasets.service.ts";
import { findProjectExportVersions } from "./label-records.repository.ts";
import { getLabelProject } from "./labelling.service.ts";
import { labelExportJob } from "./labelling-export.jobs.ts";
import { countGoldTasks } from "./labelling-export.repository.ts";
import type { TLabelExportSource } from "./labelling-export-source.ts";

// Gold labels become a version of a LABELS dataset, made like every other version: createVersionWithJob,
// a job that fills its table in the data plane, lineage, then ctx.versionReady (the READY hooks: profile, quality).

const DATASET_NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/** Default dataset of a project's exports: labels_<project name as an identifier>. */
export const defaultLabelsDatasetName = (projectName: string): string =>
  `labels_${projectName
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "_")
    .replace(/^_+|_+$/g, "")}`.slice(0, 100);

/** Queues the export of a project's gold labels as the next version of a LABELS dataset. */
export const exportGoldLabels = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { projectId: string; datasetName?: string | null },
) => {
  const project = await getLabelProject(deps, input.projectId);
  const name = input.datasetName?.trim() || defaultLabelsDatasetName(project.name);
  if (!DATASET_NAME.test(name)) {
    throw new AppError(
      "BAD_USER_INPUT",
      "datasetName: letters, digits, _ . - (1-100), starting with a letter",
      {
        field: "datasetName",
      },
    );
  }
  const gold = await countGoldTasks(deps.pool, project.id, project.overlap);
  if (gold === 0) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Project ${project.name} has no gold label yet: adjudicate tasks or let ${project.overlap} labellers agree`,
      { field: "projectId" },
    );
  }
  const source: TLabelExportSource = {
    labelProjectId: project.id,
    projectName: project.name,
    schemaType: project.schema.type,
    overlap: project.overlap,
    projectSourceVersionId: project.sourceVersionId,
  };
  const { job } = await createVersionWithJob(
    deps,
    (tx) =>
      upsertDatasetOfKind(
        tx,
        {
          name,
          kind: "LABELS",
          description: `Gold labels of the label project ${project.name}`,
          tags: ["labels"],
          ownerId: actor.userId,
        },
        "datasetName",
      ).then((dataset) => dataset.id),
    {
      source,
      actor,
      audit: { action: "labels.export", details: { projectId: project.id, dataset: name, goldTasks: gold } },
    },
    { definition: labelExportJob, payload: (versionId) => ({ versionId }) },
  );
  return job;
};

/** The LABELS versions exported from a project (matched on the version's source), newest first. */
export const findLabelExports = async (deps: TDeps, projectId: string) => {
  const versions = await findProjectExportVersions(deps, projectId);
  return versions.map(({ dataset, ...version }) => ({
    datasetId: dataset.id,
    datasetName: dataset.name,
    version: { ...version, dataset },
  }));
};
