import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { compileStep, type TReferenceTables } from "./compile-step.ts";
import type { TCleaningOp, TRecipeColumn, TStepReport } from "./recipe-schema.ts";
import { createSqlParams } from "./sql-params.ts";
import { validateRecipe } from "./validate-recipe.ts";

export type TTableRef = { schema: string; table: string };

/** Where each step's numbers are found in the row of the count query. */
export type TStepCounts = {
  step: number;
  op: TCleaningOp;
  rowsIn: string;
  rowsOut: string;
  changed: string | null;
};

export type TCompiledRecipe = {
  /** `CREATE TABLE <target> AS WITH s0 AS (SELECT * FROM <source>), s1 AS (...) ... SELECT * FROM sN` */
  createSql: string;
  /** The same CTE chain, counting the rows of every stage and the values each step rewrote. */
  countSql: string;
  /** Bind parameters of both statements (they share the chain, so the same list serves both). */
  params: unknown[];
  /** Columns of the target table (after casts), in order; `_line` comes first in the table. */
  columns: TRecipeColumn[];
  steps: TStepCounts[];
};

export class RecipeValidationError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(issues.join("; "));
    this.name = "RecipeValidationError";
    this.issues = issues;
  }
}

const table = (ref: TTableRef): string => `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;

/**
 * Compiles a recipe into one CREATE TABLE AS over a chain of CTEs (s0 = the source, s<i+1> = step i
 * applied to s<i>), plus one query over the same chain that counts rows in and out of every step and
 * the values it changed. Statistics (means, medians, quartiles, standard deviations) are aggregates
 * inside the chain, each computed on the rows as they enter its step, so nothing leaves Postgres.
 * Throws RecipeValidationError listing every problem, e.g. `steps[2].column: unknown column "price"`.
 */
export const compileRecipe = (input: {
  source: TTableRef;
  target: TTableRef;
  columns: TRecipeColumn[];
  steps: unknown;
  /** Other datasets' versions read by match_dataset steps, by dataset id. */
  references?: Record<string, { ref: TTableRef; columns: TRecipeColumn[] }>;
  /** The install's pseudonym key, for pseudonymise steps that hash. */
  pseudonymSecret?: string | null;
}): TCompiledRecipe => {
  const validation = validateRecipe(input.steps, input.columns);
  if (!validation.ok) throw new RecipeValidationError(validation.issues);
  const params = createSqlParams();
  const ctes = [`s0 AS (SELECT * FROM ${table(input.source)})`];
  const counts: string[] = ["(SELECT count(*) FROM s0) AS r0"];
  const steps: TStepCounts[] = [];
  let columns = input.columns;
  const references: TReferenceTables = Object.fromEntries(
    Object.entries(input.references ?? {}).map(([id, { ref, columns }]) => [
      id,
      { sql: table(ref), columns },
    ]),
  );
  validation.steps.forEach((step, index) => {
    const prev = `s${index}`;
    const out = `s${index + 1}`;
    const compiled = compileStep(step, {
      prev,
      out,
      columns,
      params,
      references,
      pseudonymSecret: input.pseudonymSecret ?? null,
    });
    ctes.push(...compiled.ctes);
    counts.push(`(SELECT count(*) FROM ${out}) AS r${index + 1}`);
    if (compiled.changed) counts.push(`${compiled.changed} AS c${index + 1}`);
    steps.push({
      step: index,
      op: step.op,
      rowsIn: `r${index}`,
      rowsOut: `r${index + 1}`,
      changed: compiled.changed ? `c${index + 1}` : null,
    });
    columns = compiled.columns;
  });
  const chain = `WITH ${ctes.join(",\n")}`;
  return {
    createSql: `CREATE TABLE ${table(input.target)} AS ${chain}\nSELECT * FROM s${validation.steps.length}`,
    countSql: `${chain}\nSELECT ${counts.join(", ")}`,
    params: params.values,
    columns,
    steps,
  };
};

const toCount = (value: unknown): number => {
  const count = Number(value);
  if (!Number.isFinite(count)) throw new Error(`not a count: ${String(value)}`);
  return count;
};

/** The per-step report from the single row of `countSql` (counts arrive as bigint strings). */
export const readStepReports = (compiled: TCompiledRecipe, row: Record<string, unknown>): TStepReport[] =>
  compiled.steps.map((step) => ({
    step: step.step,
    op: step.op,
    rowsIn: toCount(row[step.rowsIn]),
    rowsOut: toCount(row[step.rowsOut]),
    changed: step.changed ? toCount(row[step.changed]) : null,
  }));
