import { pseudonymSql } from "@dam/cleaning/pseudonym-sql";
import { PII_TYPES, type TPiiType } from "@dam/privacy/pii-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { buildMasker, type TColumnPolicy } from "./pii-masking.service.ts";
import { readPseudonymSecret } from "./pii-secret.service.ts";
import { alterVersionTable, findRejectedRowsOfVersion, setRejectedRowText } from "./privacy.repository.ts";
import { maskRejectedRow } from "./rejects-masking.ts";

/** An import's pseudonymisation: column (by header or table name) -> hash (keyed pseudonym) or drop. */
export const ZImportPseudonymise = z
  .record(z.string(), z.object({ mode: z.enum(["hash", "drop"]), piiType: z.enum(PII_TYPES).optional() }))
  .default({});
export type TImportPseudonymise = z.input<typeof ZImportPseudonymise>;

type TLoadedColumn = { name: string; source: string; type: string };

/**
 * Applies an import's pseudonymisation to the loaded (still LOADING, invisible) table before it turns
 * READY: a hashed column becomes text holding the install's keyed pseudonyms (the ones masking shows, so
 * joins with masked data still work), a dropped column is removed. Rejected rows are rewritten the same
 * way (hashed fields pseudonymised, dropped ones redacted), so no raw value of those columns stays in the
 * version. Returns the columns as they now are.
 */
export const pseudonymiseImportedColumns = async <T extends TLoadedColumn>(
  deps: TDeps,
  input: { versionId: string; table: string; columns: T[]; options: z.output<typeof ZImportPseudonymise> },
): Promise<T[]> => {
  const chosen = input.columns.flatMap((column) => {
    const option = input.options[column.source] ?? input.options[column.name];
    return option ? [{ column, ...option }] : [];
  });
  if (chosen.length === 0) return input.columns;
  const secret = await readPseudonymSecret(deps);
  const actions = chosen.map(({ column, mode, piiType }) =>
    mode === "drop"
      ? `DROP COLUMN ${quoteIdent(column.name)}`
      : `ALTER COLUMN ${quoteIdent(column.name)} TYPE text USING ${pseudonymSql(`${quoteIdent(column.name)}::text`, piiType, secret)}`,
  );
  await alterVersionTable(deps.pool, input.table, actions);

  const policy = new Map<string, TColumnPolicy>(
    chosen.map(({ column, mode, piiType }) => [
      column.name,
      { piiType: (piiType ?? "FREE_TEXT") as TPiiType, mode: mode === "drop" ? "REDACT" : "HASH" },
    ]),
  );
  const masker = buildMasker(policy, secret);
  const names = input.columns.map((c) => c.name);
  const rejects = await findRejectedRowsOfVersion(deps.db, input.versionId);
  for (const row of rejects) {
    const masked = maskRejectedRow(row, masker, names);
    await setRejectedRowText(deps.db, row.id, { raw: masked.raw, reason: masked.reason });
  }
  const dropped = new Set(chosen.filter((c) => c.mode === "drop").map((c) => c.column.name));
  const hashed = new Set(chosen.filter((c) => c.mode === "hash").map((c) => c.column.name));
  return input.columns
    .filter((c) => !dropped.has(c.name))
    .map((c) => (hashed.has(c.name) ? { ...c, type: "text" } : c));
};
