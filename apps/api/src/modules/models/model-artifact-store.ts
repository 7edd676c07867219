import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { decodeModelArtifact, encodeModelArtifact, type TModelArtifact } from "@dam/recsys/model-artifact";

// <ARTIFACTS_DIR>/models/<modelVersionId>.damm (CONTRACT-MODELS.md §2). Written to a temp name in the
// same directory, fsynced, then renamed: a reader sees the whole file or none.

export const modelsDir = (artifactsDir: string): string => path.join(artifactsDir, "models");

export const modelArtifactPath = (artifactsDir: string, modelVersionId: string): string =>
  path.join(modelsDir(artifactsDir), `${modelVersionId}.damm`);

const tempPrefix = (modelVersionId: string) => `${modelVersionId}.damm.tmp-`;

export const writeModelArtifact = async (
  artifactsDir: string,
  modelVersionId: string,
  artifact: TModelArtifact,
): Promise<{ location: string; bytes: number }> => {
  const bytes = encodeModelArtifact(artifact);
  const dir = modelsDir(artifactsDir);
  await mkdir(dir, { recursive: true });
  const location = modelArtifactPath(artifactsDir, modelVersionId);
  const temp = path.join(dir, `${tempPrefix(modelVersionId)}${process.pid}`);
  const handle = await open(temp, "w");
  try {
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, location);
  return { location, bytes: bytes.length };
};

export const readModelArtifact = async (location: string): Promise<TModelArtifact> =>
  decodeModelArtifact(new Uint8Array(await readFile(location)));

/** Removes the artifact and any temp file a killed writer left behind. */
export const removeModelArtifact = async (artifactsDir: string, modelVersionId: string): Promise<void> => {
  const dir = modelsDir(artifactsDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name === `${modelVersionId}.damm` || name.startsWith(tempPrefix(modelVersionId)))
      .map((name) => rm(path.join(dir, name), { force: true })),
  );
};
