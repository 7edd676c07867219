import { runDbscan } from "@dam/clustering/dbscan";
import { suggestEps } from "@dam/clustering/k-distance";
import { fitKMeans, type KMeansResult } from "@dam/clustering/kmeans";
import { createMatrix } from "@dam/clustering/matrix";
import { fitMiniBatchKMeans } from "@dam/clustering/mini-batch-kmeans";
import { fitPca } from "@dam/clustering/pca";
import { selectKBySilhouette } from "@dam/clustering/select-k";
import { computeSampledSilhouette } from "@dam/clustering/silhouette";
import type { Prisma } from "@dam/db/client";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { profileDir, readProfileArtifact } from "./profile-artifact.ts";
import { removeSegmentArtifact, segmentDir, writeSegmentArtifact } from "./segment-artifact.ts";
import { describeSegment, nameSegment } from "./segment-describe.ts";
import { buildSegmentMatrix } from "./segment-features.ts";
import { type TSegmentParams, ZSegmentParams } from "./segment-params.ts";
import {
  findSegmentSetWithProfiles,
  markUnfinishedSegmentSetFailed,
  saveSegments,
} from "./shopper-profiles.repository.ts";

// Points of the k-distance curve kept in the metrics (for a chart); the full curve stays in memory.
const CURVE_POINTS = 100;

type TClustering = { labels: Int32Array; k: number; metrics: Record<string, unknown> };

const runKMeans = (matrix: ReturnType<typeof createMatrix>, params: TSegmentParams): TClustering => {
  const fit = { seed: params.seed, restarts: params.restarts };
  if (params.k !== null) {
    if (params.k >= matrix.rows)
      throw new UnrecoverableError(`k ${params.k} must be below the ${matrix.rows} users`);
    const model: KMeansResult =
      matrix.rows > params.miniBatchAbove
        ? fitMiniBatchKMeans(matrix, { ...fit, k: params.k })
        : fitKMeans(matrix, { ...fit, k: params.k });
    const silhouette = computeSampledSilhouette(matrix, model.labels, { seed: params.seed });
    return {
      labels: model.labels,
      k: params.k,
      metrics: {
        k: params.k,
        silhouette,
        inertia: model.inertia,
        miniBatch: matrix.rows > params.miniBatchAbove,
      },
    };
  }
  const kMax = Math.min(params.kMax, matrix.rows - 1);
  if (kMax < params.kMin) {
    throw new UnrecoverableError(`${matrix.rows} users are too few for k from ${params.kMin}`);
  }
  const chosen = selectKBySilhouette(matrix, {
    ...fit,
    kMin: params.kMin,
    kMax,
    miniBatchAbove: params.miniBatchAbove,
  });
  return {
    labels: chosen.model.labels,
    k: chosen.k,
    metrics: {
      k: chosen.k,
      silhouette: chosen.silhouette,
      inertia: chosen.model.inertia,
      scores: chosen.scores,
      miniBatch: matrix.rows > params.miniBatchAbove,
    },
  };
};

const runDensity = (matrix: ReturnType<typeof createMatrix>, params: TSegmentParams): TClustering => {
  const suggestion = suggestEps(matrix, params.minPts, { seed: params.seed });
  const eps = params.eps ?? suggestion.eps;
  if (!(eps > 0)) throw new UnrecoverableError("eps is 0: too many identical profiles; give eps explicitly");
  const result = runDbscan(matrix, { eps, minPts: params.minPts });
  const step = Math.max(1, Math.floor(suggestion.kDistances.length / CURVE_POINTS));
  const curve = Array.from(suggestion.kDistances.filter((_, i) => i % step === 0));
  const silhouette =
    result.clusterCount >= 2 && matrix.rows - result.noiseCount > result.clusterCount
      ? computeSampledSilhouette(matrix, result.labels, { seed: params.seed })
      : null;
  return {
    labels: result.labels,
    k: result.clusterCount,
    metrics: {
      k: result.clusterCount,
      eps,
      suggestedEps: suggestion.eps,
      minPts: params.minPts,
      noise: result.noiseCount,
      silhouette,
      kDistanceCurve: curve,
    },
  };
};

/**
 * Clusters a READY profile set's users and stores the segments: sizes, centroids (in the clustered
 * feature space), descriptions, and a 2-D PCA projection of every user. Idempotent: a READY set is
 * left alone; otherwise the segment rows are replaced in one transaction after the artifact is written.
 */
export const executeSegmentRun = async (deps: TDeps, segmentSetId: string, ctx: TJobContext) => {
  const set = await findSegmentSetWithProfiles(deps, segmentSetId);
  if (!set) throw new UnrecoverableError(`Segment set ${segmentSetId} does not exist`);
  if (set.status === "READY") return { k: (set.metrics as { k?: number }).k ?? 0 };
  const params = ZSegmentParams.parse(set.params);
  if (set.profileSet.status !== "READY") {
    throw new UnrecoverableError(`Profile set ${set.profileSetId} is ${set.profileSet.status}, not READY`);
  }
  const profile = await readProfileArtifact(
    set.profileSet.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.profileSetId),
  );
  if (!profile)
    throw new UnrecoverableError(`Profile set ${set.profileSetId} is READY but its artifact is missing`);
  if (profile.manifest.count < 3)
    throw new UnrecoverableError(`${profile.manifest.count} users are too few to segment`);
  await ctx.progress(5, `Building the feature matrix of ${profile.manifest.count} users`);
  let built: ReturnType<typeof buildSegmentMatrix>;
  try {
    built = buildSegmentMatrix(profile, params.features);
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
  const matrix = createMatrix(built.rows, built.cols, built.data);
  await ctx.checkpoint();
  await ctx.progress(15, params.algorithm === "KMEANS" ? "Running k-means" : "Running DBSCAN");
  const clustering = params.algorithm === "KMEANS" ? runKMeans(matrix, params) : runDensity(matrix, params);
  await ctx.checkpoint();

  await ctx.progress(70, "Projecting users to 2-D (PCA) and describing segments");
  const pca = built.cols >= 2 ? fitPca(matrix, 2) : null;
  const projection = new Float32Array(built.rows * 2);
  if (pca) projection.set(pca.projected.data);
  else for (let u = 0; u < built.rows; u++) projection[u * 2] = matrix.data[u]!;
  const members: number[][] = Array.from({ length: clustering.k }, () => []);
  clustering.labels.forEach((label, u) => {
    if (label >= 0) members[label]!.push(u);
  });
  const segments = members.map((rows, index) => {
    const centroid = new Array<number>(built.cols).fill(0);
    for (const u of rows)
      for (let c = 0; c < built.cols; c++) centroid[c]! += matrix.data[u * built.cols + c]!;
    const summary = describeSegment(profile, rows);
    return {
      segmentSetId: set.id,
      index,
      name: nameSegment(index, summary),
      size: rows.length,
      centroid: centroid.map((value) => value / Math.max(1, rows.length)),
      summary: { ...summary, share: rows.length / built.rows } as Prisma.InputJsonValue,
    };
  });
  await ctx.checkpoint();
  const dir = segmentDir(deps.env.ARTIFACTS_DIR, set.id);
  await writeSegmentArtifact(dir, { labels: clustering.labels, projection });
  const metrics = {
    ...clustering.metrics,
    users: built.rows,
    columns: built.columns.length > 40 ? built.columns.length : built.columns,
    explainedVarianceRatio: pca ? Array.from(pca.explainedVarianceRatio) : null,
  };
  await recordLineage(deps, {
    from: [
      { type: "PROFILE_SET", refId: set.profileSetId, label: `profile set ${set.profileSetId.slice(0, 8)}` },
    ],
    to: {
      type: "SEGMENT_SET",
      refId: set.id,
      label: `${params.algorithm === "KMEANS" ? "k-means" : "DBSCAN"} segments (${clustering.k})`,
      metadata: { params, k: clustering.k },
    },
    jobId: ctx.jobRecordId,
    relation: "segmented_by",
  });
  await saveSegments(deps, set.id, segments, {
    params: params as Prisma.InputJsonValue,
    metrics: metrics as Prisma.InputJsonValue,
  });
  await ctx.progress(100, `${clustering.k} segments`);
  return { k: clustering.k };
};

export const discardSegmentRun = async (deps: TDeps, segmentSetId: string): Promise<void> => {
  await removeSegmentArtifact(segmentDir(deps.env.ARTIFACTS_DIR, segmentSetId));
  await markUnfinishedSegmentSetFailed(deps, segmentSetId);
};
