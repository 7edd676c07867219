import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { ArtifactScorer } from "@dam/recsys/artifact-scorer";
import { decodeModelArtifact, encodeModelArtifact, type TModelArtifact } from "@dam/recsys/model-artifact";

// <ARTIFACTS_DIR>/models/<modelVersionId>.damm (CONTRACT-MODELS.md §2). Written to a temp name in the
// same directory, fsynced, then renamed: a reader sees the whole file or none.

export const modelsDir = (artifactsDir: string): string => path.join(artifactsDir, "models");

export const modelArtifactPath = (artifactsDir: string, modelVersionId: string): string =>
  path.join(modelsDir(artifactsDir), `${modelVersionId}.damm`);

/** The serving HNSW index of a large factor model, cached beside its artifact. */
export const annIndexPath = (location: string): string => `${location}.hnsw`;

/** Writes bytes to a temp name beside `target`, fsynced, then renames it: readers see all or nothing. */
const writeWhole = async (target: string, bytes: Uint8Array): Promise<void> => {
  const temp = `${target}.tmp-${process.pid}`;
  const handle = await open(temp, "w");
  try {
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
};

export const writeModelArtifact = async (
  artifactsDir: string,
  modelVersionId: string,
  artifact: TModelArtifact,
): Promise<{ location: string; bytes: number }> => {
  const bytes = encodeModelArtifact(artifact);
  await mkdir(modelsDir(artifactsDir), { recursive: true });
  const location = modelArtifactPath(artifactsDir, modelVersionId);
  await writeWhole(location, bytes);
  return { location, bytes: bytes.length };
};

/**
 * Builds `scorer`'s HNSW index (it keeps it) and writes it beside the artifact at `location`.
 * Resolves to its size and build time, or null when the build was abandoned (nothing written).
 */
export const buildAndStoreAnn = async (
  scorer: ArtifactScorer,
  location: string,
): Promise<{ bytes: number; ms: number } | null> => {
  const started = performance.now();
  await scorer.buildAnn();
  const buffer = scorer.exportAnn();
  if (!buffer) return null;
  await writeWhole(annIndexPath(location), new Uint8Array(buffer));
  return { bytes: buffer.byteLength, ms: Math.round(performance.now() - started) };
};

/**
 * Builds the HNSW index serving will query for a factor model with a large catalogue (the scorer's
 * threshold) and writes it beside the artifact, so API processes adopt it at load instead of each
 * building it while answering by exact scan. Returns null (nothing written) for models that do
 * not use one. The build yields to the event loop between slices, so the job's lock stays renewed.
 */
export const writeAnnIndex = async (
  location: string,
  artifact: TModelArtifact,
  options: { annMinItems?: number } = {},
): Promise<{ bytes: number; ms: number } | null> => {
  // Most models have no factors or a small catalogue: decided before any scorer is made.
  if (!ArtifactScorer.usesAnnFor(artifact, options.annMinItems)) return null;
  return buildAndStoreAnn(new ArtifactScorer(artifact, { annMinItems: options.annMinItems }), location);
};

export const readModelArtifact = async (location: string): Promise<TModelArtifact> =>
  decodeModelArtifact(new Uint8Array(await readFile(location)));

/** Removes the artifact, its index and any temp file a killed writer left behind. */
export const removeModelArtifact = async (artifactsDir: string, modelVersionId: string): Promise<void> => {
  const dir = modelsDir(artifactsDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name === `${modelVersionId}.damm` || name.startsWith(`${modelVersionId}.damm.`))
      .map((name) => rm(path.join(dir, name), { force: true })),
  );
};
