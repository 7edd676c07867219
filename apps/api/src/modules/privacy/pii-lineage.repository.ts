import type { TDeps } from "../../deps.ts";

const MAX_DEPTH = 20;

/**
 * Dataset versions upstream (or downstream) of a version, at any depth, through lineage edges of any kind
 * (cleaned_by, attributes_extracted, exported_from through a segment set...) and the parent pointer.
 */
export const findLinkedVersionIds = async (
  deps: TDeps,
  versionId: string,
  direction: "UPSTREAM" | "DOWNSTREAM",
): Promise<string[]> => {
  const [next, join] = direction === "UPSTREAM" ? ['"fromId"', '"toId"'] : ['"toId"', '"fromId"'];
  const { rows } = await deps.pool.query<{ ref_id: string }>(
    `WITH RECURSIVE walk(node_id, depth) AS (
       SELECT n.id, 0 FROM "LineageNode" n WHERE n.type = 'DATASET_VERSION' AND n."refId" = $1
       UNION
       SELECT e.${next}, w.depth + 1 FROM "LineageEdge" e JOIN walk w ON e.${join} = w.node_id WHERE w.depth < $2
     )
     SELECT DISTINCT n."refId" AS ref_id FROM walk w JOIN "LineageNode" n ON n.id = w.node_id
     WHERE n.type = 'DATASET_VERSION' AND n."refId" <> $1`,
    [versionId, MAX_DEPTH],
  );
  const ids = new Set(rows.map((r) => r.ref_id));
  if (direction === "UPSTREAM") {
    let current = await deps.db.datasetVersion.findUnique({
      where: { id: versionId },
      select: { parentId: true },
    });
    for (let depth = 0; current?.parentId && depth < MAX_DEPTH; depth++) {
      ids.add(current.parentId);
      current = await deps.db.datasetVersion.findUnique({
        where: { id: current.parentId },
        select: { parentId: true },
      });
    }
  } else {
    const children = await deps.db.datasetVersion.findMany({
      where: { parentId: versionId },
      select: { id: true },
    });
    for (const child of children) ids.add(child.id);
  }
  return [...ids];
};
