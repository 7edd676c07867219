import { classifyColumn } from "@dam/privacy/classify";
import { defaultMaskingMode } from "@dam/privacy/masking";
import { type TPiiType, ZMaskingMode, ZPiiType } from "@dam/privacy/pii-types";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { findLinkedVersionIds } from "./pii-lineage.repository.ts";
import { sampleColumnValues } from "./pii-sample.repository.ts";
import { findDecisionsOnColumns, findLiveTagsOnColumns, replaceVersionTags } from "./pii-tags.repository.ts";

const ZStoredColumns = z.array(z.object({ name: z.string(), type: z.string() }));

type TTagDraft = {
  column: string;
  piiType: TPiiType;
  confidence: number;
  source: "CLASSIFIER" | "LINEAGE" | "STEWARD";
  evidence: Record<string, unknown>;
  inheritedFromVersionId: string | null;
};

const key = (column: string, type: string): string => `${column}\u0000${type}`;

/** Tags of upstream versions on columns this version also has (the column keeps its meaning downstream). */
const inheritedTags = async (deps: TDeps, versionId: string, columns: Set<string>): Promise<TTagDraft[]> => {
  const upstream = await findLinkedVersionIds(deps, versionId, "UPSTREAM");
  if (upstream.length === 0) return [];
  const tags = await findLiveTagsOnColumns(deps.db, upstream, [...columns]);
  return tags.map((t) => ({
    column: t.column,
    piiType: ZPiiType.parse(t.piiType),
    confidence: t.confidence,
    source: "LINEAGE" as const,
    evidence: { fromColumn: t.column, fromSource: t.source },
    inheritedFromVersionId: t.inheritedFromVersionId ?? t.versionId,
  }));
};

/**
 * Classifies every column of a READY version from its name and a value sample, adds the tags inherited
 * along lineage and the steward's decisions for the dataset, and replaces the version's tags in one
 * transaction (so a re-run gives the same tags and a failed run leaves the previous ones).
 */
export const classifyVersionPii = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const started = performance.now();
  const version = await findVersionById(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  if (version.status !== "READY")
    throw new UnrecoverableError(`Dataset version ${versionId} is ${version.status}, not READY`);
  const parsed = ZStoredColumns.safeParse(version.schema);
  if (!parsed.success) throw new UnrecoverableError(`Version ${versionId} has no valid schema`);
  const columns = parsed.data;

  await ctx.progress(5, "sampling values");
  const samples = await sampleColumnValues(deps, version.tableName, columns, Number(version.rowCount));
  await ctx.checkpoint();

  const referenceYear = (version.readyAt ?? version.createdAt).getUTCFullYear();
  const drafts = new Map<string, TTagDraft>();
  for (const [i, column] of columns.entries()) {
    for (const f of classifyColumn(
      { name: column.name, type: column.type, values: samples.get(column.name) ?? [] },
      { referenceYear },
    )) {
      drafts.set(key(column.name, f.type), {
        column: column.name,
        piiType: f.type,
        confidence: f.confidence,
        source: "CLASSIFIER",
        evidence: {
          valueShare: f.valueShare,
          nameMatch: f.nameMatch,
          sampled: f.sampled,
          matched: f.matched,
          contains: f.contains ?? [],
        },
        inheritedFromVersionId: null,
      });
    }
    await ctx.progress(10 + (70 * (i + 1)) / Math.max(1, columns.length), `classified ${column.name}`);
  }
  const names = new Set(columns.map((c) => c.name));
  for (const tag of await inheritedTags(deps, versionId, names)) {
    const existing = drafts.get(key(tag.column, tag.piiType));
    if (!existing || existing.confidence < tag.confidence) drafts.set(key(tag.column, tag.piiType), tag);
  }
  const decisions = await findDecisionsOnColumns(deps.db, version.datasetId, [...names]);
  for (const d of decisions) {
    if (d.status === "CONFIRMED" && !drafts.has(key(d.column, d.piiType))) {
      drafts.set(key(d.column, d.piiType), {
        column: d.column,
        piiType: ZPiiType.parse(d.piiType),
        confidence: 1,
        source: "STEWARD",
        evidence: { decidedAt: d.decidedAt.toISOString() },
        inheritedFromVersionId: null,
      });
    }
  }
  const decisionOf = new Map(decisions.map((d) => [key(d.column, d.piiType), d]));
  await ctx.checkpoint();
  await replaceVersionTags(
    deps.db,
    versionId,
    [...drafts.values()].map((t) => {
      const decision = decisionOf.get(key(t.column, t.piiType));
      return {
        versionId,
        column: t.column,
        piiType: t.piiType,
        confidence: t.confidence,
        source: t.source,
        status: decision?.status ?? "SUGGESTED",
        maskingMode: ZMaskingMode.parse(decision?.maskingMode ?? defaultMaskingMode(t.piiType)),
        evidence: t.evidence as object,
        inheritedFromVersionId: t.inheritedFromVersionId,
      };
    }),
  );
  await ctx.progress(100, `${drafts.size} tags`);
  return { tags: drafts.size, columns: columns.length, seconds: (performance.now() - started) / 1000 };
};
