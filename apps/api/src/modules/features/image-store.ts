import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { extensionOf, IMAGE_FORMATS } from "./image-decode.ts";

/*
 * On-disk layout of an image set, in <ARTIFACTS_DIR>/images/<setId>/:
 *   originals/<sha256>.<ext>   each distinct picture once, named by its content hash
 *   thumbs/<sha256>.webp       its thumbnail
 *   items.jsonl                one TStoredImage per line: which item shows which picture
 *   manifest.json              written last, as the commit
 * An import builds everything in <setId>.partial and renames it into place, so a re-run starts clean
 * and a reader never sees half a set.
 */

export const ZStoredImage = z.object({
  itemId: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(IMAGE_FORMATS),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  /** The uploaded file and, for an archive, the entry the picture came from. */
  file: z.string(),
  entry: z.string().nullable(),
});
export type TStoredImage = z.infer<typeof ZStoredImage>;

export const ZImageManifest = z.object({
  format: z.literal(1),
  count: z.number().int().nonnegative(),
  rejectedCount: z.number().int().nonnegative(),
  catalogVersionId: z.string(),
  createdAt: z.string(),
});
export type TImageManifest = z.infer<typeof ZImageManifest>;

export const imageSetDir = (artifactsDir: string, setId: string): string =>
  path.join(artifactsDir, "images", setId);

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export const originalPath = (dir: string, image: Pick<TStoredImage, "sha256" | "format">): string =>
  path.join(dir, "originals", `${image.sha256}.${extensionOf(image.format)}`);
export const thumbnailPath = (dir: string, sha256: string): string =>
  path.join(dir, "thumbs", `${sha256}.webp`);

export type TImageWriter = {
  /** Stores the picture (once per content hash) and records that `image.itemId` shows it. */
  add: (image: TStoredImage, bytes: Buffer, thumbnail: Buffer) => Promise<void>;
  count: () => number;
  /** Writes items.jsonl and the manifest, then moves the set into place. */
  commit: (manifest: Omit<TImageManifest, "format" | "count">) => Promise<void>;
};

export const openImageWriter = async (dir: string): Promise<TImageWriter> => {
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(path.join(partial, "originals"), { recursive: true });
  await mkdir(path.join(partial, "thumbs"), { recursive: true });
  const lines: string[] = [];
  return {
    add: async (image, bytes, thumbnail) => {
      const original = originalPath(partial, image);
      if (!(await exists(original))) {
        await writeFile(original, bytes);
        await writeFile(thumbnailPath(partial, image.sha256), thumbnail);
      }
      lines.push(JSON.stringify(image));
    },
    count: () => lines.length,
    commit: async (manifest) => {
      await writeFile(path.join(partial, "items.jsonl"), lines.map((line) => `${line}\n`).join(""));
      const full: TImageManifest = { format: 1, count: lines.length, ...manifest };
      await writeFile(path.join(partial, "manifest.json"), JSON.stringify(full, null, 2));
      await rm(dir, { recursive: true, force: true });
      await rename(partial, dir);
    },
  };
};

export const removeImageSet = async (dir: string): Promise<void> => {
  await rm(`${dir}.partial`, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
};

export type TLoadedImageSet = {
  manifest: TImageManifest;
  images: TStoredImage[];
  byItem: Map<string, TStoredImage>;
};

export const readImageSet = async (dir: string): Promise<TLoadedImageSet | null> => {
  const manifestText = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => null);
  if (manifestText === null) return null;
  const manifest = ZImageManifest.parse(JSON.parse(manifestText));
  const text = await readFile(path.join(dir, "items.jsonl"), "utf8");
  const images = text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => ZStoredImage.parse(JSON.parse(line)));
  return { manifest, images, byItem: new Map(images.map((image) => [image.itemId, image])) };
};
