import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { maskerFor, type TVersionMasker } from "./pii-masking.service.ts";
import { findVersionSchema } from "./privacy.repository.ts";

const ZColumns = z.array(z.object({ name: z.string(), role: z.string().nullable().optional() }));

/** Masks a catalogue field found by its column's role (title, category...) or by its column name. */
export type TCatalogMasker = {
  byRole: (role: string, value: string | null) => string | null;
  byColumn: (column: string, value: string) => string;
  tagged: (column: string) => boolean;
};

const wrap = (masker: TVersionMasker, roles: Map<string, string>): TCatalogMasker => ({
  byRole: (role, value) => {
    const column = roles.get(role);
    if (value === null) return null;
    return column && masker.columns.has(column) ? masker.cell(column, value) : masker.text(value);
  },
  byColumn: (column, value) =>
    masker.columns.has(column) ? (masker.cell(column, value) ?? "") : masker.text(value),
  tagged: (column) => masker.columns.has(column),
});

/**
 * For recommend, similarItems and search answers: how a caller without pii:read sees the catalogue
 * fields (titles, categories, facet values, highlighted text) of PII-tagged columns; null when the caller
 * reads them as stored or no catalogue version is known.
 */
export const catalogMaskerFor = async (
  deps: TDeps,
  principal: TPrincipal,
  catalogVersionId: string | null | undefined,
): Promise<TCatalogMasker | null> => {
  if (!catalogVersionId) return null;
  const masker = await maskerFor(deps, principal, [catalogVersionId]);
  if (!masker) return null;
  const parsed = ZColumns.safeParse(await findVersionSchema(deps.db, catalogVersionId));
  const roles = new Map<string, string>();
  for (const column of parsed.success ? parsed.data : [])
    if (column.role) roles.set(column.role, column.name);
  return wrap(masker, roles);
};
