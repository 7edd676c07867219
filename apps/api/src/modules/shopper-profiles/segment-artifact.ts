import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/*
 * <ARTIFACTS_DIR>/segments/<setId>/: labels.i32 (one segment index per profile row, -1 = DBSCAN noise)
 * and projection.f32 (rows x 2, the PCA coordinates for the scatter chart), in the row order of the
 * profile set's users.jsonl. Written to a temporary directory and renamed into place.
 */

export const segmentDir = (artifactsDir: string, setId: string): string =>
  path.join(artifactsDir, "segments", setId);

export const writeSegmentArtifact = async (
  dir: string,
  data: { labels: Int32Array; projection: Float32Array },
): Promise<void> => {
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await writeFile(path.join(temp, "labels.i32"), new Uint8Array(data.labels.buffer));
  await writeFile(path.join(temp, "projection.f32"), new Uint8Array(data.projection.buffer));
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
};

export const readSegmentArtifact = async (
  dir: string,
): Promise<{ labels: Int32Array; projection: Float32Array } | null> => {
  const [labels, projection] = await Promise.all([
    readFile(path.join(dir, "labels.i32")).catch(() => null),
    readFile(path.join(dir, "projection.f32")).catch(() => null),
  ]);
  if (!labels || !projection) return null;
  const l = new Int32Array(labels.byteLength / 4);
  new Uint8Array(l.buffer).set(labels);
  const p = new Float32Array(projection.byteLength / 4);
  new Uint8Array(p.buffer).set(projection);
  if (p.length !== l.length * 2) throw new Error(`segment artifact ${dir} is inconsistent`);
  return { labels: l, projection: p };
};

export const removeSegmentArtifact = (dir: string): Promise<void> =>
  rm(dir, { recursive: true, force: true });
