// What a job worked on, named for people: the jobs page shows "shop_catalog v3" instead of an id.
// Imported by the jobs resolvers only, so the jobs service (which every area imports to enqueue)
// does not import the areas it names.
import type { TDeps } from "../../deps.ts";
import { findDatasetNames } from "../datasets/datasets.service.ts";
import { findNodeLabels } from "../lineage/lineage.service.ts";

export type TJobSubject = { id: string; role: "INPUT" | "OUTPUT"; kind: string | null; name: string };

export const findJobSubjects = async (
  deps: TDeps,
  job: { inputIds: string[]; outputIds: string[] },
): Promise<TJobSubject[]> => {
  const ids = [...new Set([...job.inputIds, ...job.outputIds])];
  const [datasets, nodes] = await Promise.all([findDatasetNames(deps, ids), findNodeLabels(deps, ids)]);
  const subject = (id: string, role: TJobSubject["role"]): TJobSubject => {
    const dataset = datasets.get(id);
    if (dataset) return { id, role, kind: dataset.kind, name: dataset.name };
    const node = nodes.get(id);
    return node ? { id, role, kind: node.type, name: node.label } : { id, role, kind: null, name: id };
  };
  return [
    ...job.inputIds.map((id) => subject(id, "INPUT" as const)),
    ...job.outputIds.map((id) => subject(id, "OUTPUT" as const)),
  ];
};
