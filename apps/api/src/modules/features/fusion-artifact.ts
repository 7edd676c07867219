import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/*
 * <ARTIFACTS_DIR>/features/<setId>/: vectors.f32 (row-major float32, count x dimension), ids.jsonl (the
 * item id of each row) and manifest.json (recipe, blocks, category vocabulary, numeric statistics) -
 * the same vectors + ids layout as an embedding set, so a reader of one reads the other. Written to a
 * temporary directory and renamed into place.
 */

export const ZFusionManifest = z.object({
  format: z.literal(1),
  count: z.number().int().nonnegative(),
  dimension: z.number().int().positive(),
  blocks: z.array(z.object({ name: z.string(), offset: z.number(), width: z.number(), weight: z.number() })),
  categories: z.array(z.string()).nullable(),
  numeric: z.array(z.object({ name: z.string(), mean: z.number(), sd: z.number() })),
  recipe: z.record(z.string(), z.unknown()),
  itemsWithoutText: z.number().int().nonnegative(),
  itemsWithoutImage: z.number().int().nonnegative().optional(),
  /**
   * Rows appended after the build, one entry per later catalogue version that added items (READY hook
   * features.extend): encoded with this manifest's blocks, vocabulary and statistics.
   */
  extensions: z
    .array(
      z.object({
        catalogVersionId: z.string(),
        items: z.number().int().nonnegative(),
        itemsWithoutText: z.number().int().nonnegative(),
        at: z.string(),
      }),
    )
    .optional(),
});
export type TFusionManifest = z.infer<typeof ZFusionManifest>;

export const featureSetDir = (artifactsDir: string, setId: string): string =>
  path.join(artifactsDir, "features", setId);

export const writeFusionArtifact = async (
  dir: string,
  data: { ids: string[]; vectors: Float32Array; manifest: TFusionManifest },
): Promise<void> => {
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await writeFile(path.join(temp, "vectors.f32"), new Uint8Array(data.vectors.buffer));
  await writeFile(path.join(temp, "ids.jsonl"), data.ids.map((id) => `${JSON.stringify(id)}\n`).join(""));
  await writeFile(path.join(temp, "manifest.json"), JSON.stringify(data.manifest, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
};

export const readFusionArtifact = async (dir: string) => {
  const raw = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => null);
  if (raw === null) return null;
  const manifest = ZFusionManifest.parse(JSON.parse(raw));
  const [buffer, idText] = await Promise.all([
    readFile(path.join(dir, "vectors.f32")),
    readFile(path.join(dir, "ids.jsonl"), "utf8"),
  ]);
  const ids = idText
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => z.string().parse(JSON.parse(line)));
  const data = new Float32Array(buffer.byteLength / 4);
  new Uint8Array(data.buffer).set(buffer);
  if (ids.length !== manifest.count || data.length !== manifest.count * manifest.dimension) {
    throw new Error(`feature set artifact ${dir} is inconsistent with its manifest`);
  }
  return { manifest, ids, data };
};

export const removeFusionArtifact = (dir: string) => rm(dir, { recursive: true, force: true });
