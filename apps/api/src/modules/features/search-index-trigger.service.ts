// The automatic half of "an index per catalogue version": when a CATALOG version becomes READY the
// search.index job is queued for it, so the index is built, recorded in lineage and announced before
// the first search. Versions the index could not be built from (not a catalogue, no item id column)
// queue nothing rather than a job that is bound to fail three times.
import type { TDeps } from "../../deps.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { ZTemplateColumn } from "./embedding-template.ts";
import { findVersionKind } from "./feature-sets.repository.ts";
import { indexSearchJob } from "./search.jobs.ts";
import { mapSearchColumns } from "./search-schema.ts";

export const enqueueCatalogSearchIndex = async (deps: TDeps, versionId: string) => {
  const version = await findVersionKind(deps, versionId);
  if (version?.status !== "READY" || version.dataset.kind !== "CATALOG") return null;
  const columns = ZTemplateColumn.array().safeParse(version.schema);
  if (!columns.success || !mapSearchColumns(columns.data)) return null;
  return enqueueJob(deps, indexSearchJob, { catalogVersionId: versionId });
};
