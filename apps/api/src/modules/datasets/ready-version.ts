import { z } from "zod";
import type { TDeps } from "../../deps.ts";

export type TReadyVersionFail = { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED"; message: string };

/**
 * A READY dataset version with its column schema parsed by `column`, and the label messages name it
 * by ("name vN"). Downstream jobs (embedding, profiles, training) read their sources through it.
 * `field`, when given, prefixes every message (the request field that named the version).
 */
export const readReadyVersion = async <TColumn extends z.ZodTypeAny>(
  deps: TDeps,
  versionId: string,
  column: TColumn,
  field?: string,
) => {
  const at = field ? `${field}: ` : "";
  const version = await deps.db.datasetVersion.findUnique({
    where: { id: versionId },
    include: { dataset: { select: { name: true, kind: true } } },
  });
  if (!version) {
    const message = field
      ? `${at}dataset version ${versionId} does not exist`
      : `Dataset version ${versionId} does not exist`;
    return { ok: false, code: "NOT_FOUND", message } as const;
  }
  const label = `${version.dataset.name} v${version.number}`;
  if (version.status !== "READY") {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `${at}${label} is ${version.status}, not READY`,
    } as const;
  }
  const columns = z.array(column).safeParse(version.schema);
  if (!columns.success) {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `${at}${label} has no readable column schema`,
    } as const;
  }
  return { ok: true, version, label, columns: columns.data as z.infer<TColumn>[] } as const;
};
