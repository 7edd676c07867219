import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/*
 * On-disk layout of a profile set, in <ARTIFACTS_DIR>/profiles/<setId>/:
 *   users.jsonl    one JSON string per line: the user id of the row with the same number
 *   features.f32   row-major float32, count x features.length: counts by event type, RFM, category
 *                  and price-band shares (names in the manifest)
 *   vectors.f32    row-major float32, count x vectorDimension: the decayed, weighted mean item vector
 *                  (absent when the set has no item vectors)
 *   manifest.json  column names, dimensions, as-of time and the vector source
 * The files are written into a temporary sibling directory that is renamed into place, so a crashed
 * run never leaves a half-written set that looks complete.
 */

export const ZProfileManifest = z.object({
  format: z.literal(1),
  count: z.number().int().nonnegative(),
  features: z.array(z.string()),
  vectorDimension: z.number().int().nonnegative(),
  asOf: z.string(),
  eventTypes: z.array(z.string()),
  categories: z.array(z.string()),
  bands: z.array(z.string()),
  /** Users whose events touched no item with a vector (their profile vector is all zeros). */
  usersWithoutVector: z.number().int().nonnegative(),
  vectorSource: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export type TProfileManifest = z.infer<typeof ZProfileManifest>;

export type TProfileData = {
  manifest: TProfileManifest;
  users: string[];
  features: Float32Array;
  vectors: Float32Array;
};

export const profileDir = (artifactsDir: string, setId: string): string =>
  path.join(artifactsDir, "profiles", setId);

const bytes = (array: Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export const writeProfileArtifact = async (dir: string, data: TProfileData): Promise<void> => {
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await writeFile(path.join(temp, "users.jsonl"), data.users.map((u) => `${JSON.stringify(u)}\n`).join(""));
  await writeFile(path.join(temp, "features.f32"), bytes(data.features));
  if (data.manifest.vectorDimension > 0) await writeFile(path.join(temp, "vectors.f32"), bytes(data.vectors));
  await writeFile(path.join(temp, "manifest.json"), JSON.stringify(data.manifest, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
};

const readFloats = async (file: string): Promise<Float32Array> => {
  const buffer = await readFile(file);
  // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset of a shared pool.
  const out = new Float32Array(buffer.byteLength / 4);
  new Uint8Array(out.buffer).set(buffer);
  return out;
};

const readUsers = async (dir: string): Promise<string[]> =>
  (await readFile(path.join(dir, "users.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => z.string().parse(JSON.parse(line)));

export const readProfileArtifact = async (dir: string): Promise<TProfileData | null> => {
  const raw = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => null);
  if (raw === null) return null;
  const manifest = ZProfileManifest.parse(JSON.parse(raw));
  const users = await readUsers(dir);
  const features = await readFloats(path.join(dir, "features.f32"));
  const vectors =
    manifest.vectorDimension > 0 ? await readFloats(path.join(dir, "vectors.f32")) : new Float32Array(0);
  if (
    users.length !== manifest.count ||
    features.length !== manifest.count * manifest.features.length ||
    vectors.length !== manifest.count * manifest.vectorDimension
  ) {
    throw new Error(`profile artifact ${dir} is inconsistent with its manifest`);
  }
  return { manifest, users, features, vectors };
};

/** Only the user ids of a profile set, in row order (no feature or vector matrices); null when absent. */
export const readProfileUsers = async (dir: string): Promise<string[] | null> => {
  const manifest = await readProfileManifest(dir);
  if (!manifest) return null;
  const users = await readUsers(dir);
  if (users.length !== manifest.count)
    throw new Error(`profile artifact ${dir} is inconsistent with its manifest`);
  return users;
};

export const removeProfileArtifact = (dir: string): Promise<void> =>
  rm(dir, { recursive: true, force: true });

export const readProfileManifest = async (dir: string): Promise<TProfileManifest | null> => {
  const raw = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => null);
  return raw === null ? null : ZProfileManifest.parse(JSON.parse(raw));
};
