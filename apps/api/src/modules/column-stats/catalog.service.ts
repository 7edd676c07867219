import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { escapeLikePattern } from "../core/input-text.ts";
import {
  findDatasetById,
  findDatasetIdsByTagOrColumn,
  findUserByEmail,
  updateDatasetEntry,
} from "./catalog.repository.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZUpdateDatasetInput = z.object({
  id: z.string(),
  description: z.string().max(10_000, "description: at most 10,000 characters").nullish(),
  tags: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(
          /^[a-z0-9][a-z0-9_.:/-]{0,49}$/,
          "tags: 1-50 of a-z 0-9 _ . : / -, starting with a letter or digit",
        ),
    )
    .max(50, "tags: at most 50")
    .nullish(),
  owner: z.string().trim().nullish(),
});
export type TUpdateDatasetInput = z.infer<typeof ZUpdateDatasetInput>;

/** Edits the catalogue entry of a dataset and records what changed in the audit log. */
export const updateDataset = async (deps: TDeps, actor: TPrincipal, raw: TUpdateDatasetInput) => {
  const parsed = ZUpdateDatasetInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("BAD_USER_INPUT", issue?.message ?? "invalid input", {
      field: String(issue?.path[0] ?? ""),
    });
  }
  const input = parsed.data;
  const existing = UUID.test(input.id) ? await findDatasetById(deps.db, input.id) : null;
  if (!existing) throw new AppError("NOT_FOUND", `Dataset ${input.id} not found`);

  let ownerId: string | null | undefined;
  if (input.owner === "") ownerId = null;
  else if (input.owner) {
    const user = await findUserByEmail(deps.db, input.owner);
    if (!user)
      throw new AppError("BAD_USER_INPUT", `owner: no user with email ${input.owner}`, { field: "owner" });
    ownerId = user.id;
  }
  const data = {
    ...(input.description != null ? { description: input.description } : {}),
    ...(input.tags != null ? { tags: [...new Set(input.tags)] } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
  };
  const updated = await inAuditedTransaction(deps.db, async (tx) => {
    const row = await updateDatasetEntry(tx, input.id, data);
    await recordAudit(tx, actor, "dataset.update", "Dataset", input.id, {
      changed: Object.keys(data),
      ...(data.tags ? { tags: data.tags } : {}),
    });
    return row;
  });
  return updated;
};

/**
 * Ids of datasets with a tag starting with `search` or a column of their latest READY version whose
 * name contains it (case-insensitive). Runs in the database: the schema JSON is unnested there.
 */
export const findDatasetIdsBySearch = async (deps: TDeps, search: string): Promise<string[]> => {
  const term = escapeLikePattern(search.trim().toLowerCase());
  if (term === "") return [];
  return findDatasetIdsByTagOrColumn(deps.pool, term);
};
