import { createHash } from "node:crypto";
import { type FileHandle, open, readFile } from "node:fs/promises";
import type { Prisma } from "@dam/db/client";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { checkUsableVersion } from "../datasets/usable-version.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { ZTemplateColumn } from "./embedding-template.ts";
import {
  findImageSetById,
  findUploadsByIds,
  markImageSetReady,
  markUnfinishedImageSetFailed,
} from "./feature-sets.repository.ts";
import { readCatalogImagePaths, readCatalogItemIds } from "./image.repository.ts";
import { checkImage, type TImageLimits } from "./image-decode.ts";
import { buildPathIndex, isIgnoredEntry, itemIdFromName, type TPathIndex } from "./image-keys.ts";
import { imageSetDir, openImageWriter, removeImageSet } from "./image-store.ts";
import { listZipEntries, looksLikeZip, readZipEntry, type TZipEntry, ZipFormatError } from "./image-zip.ts";

export const ZImageSetSource = z.object({
  uploadIds: z.array(z.string().uuid()).min(1),
  pathColumn: z.string().nullable().default(null),
});
export type TImageSetSource = z.infer<typeof ZImageSetSource>;

export type TImageReject = { file: string; entry: string | null; itemId: string | null; reason: string };

// Rejects kept on the set row (the count is exact; the list is for people to read and fix).
export const MAX_KEPT_REJECTS = 1_000;
// Pictures between checkpoints (a cancel or shutdown waits at most this many decodes).
const CHECKPOINT_EVERY = 32;

type TUpload = { id: string; originalName: string; path: string; bytes: bigint };

type TCatalog = {
  label: string;
  /** Item ids of a picture named `name` (keyed by item id), or the reason it belongs to none. */
  itemsOf: (name: string) => { itemIds: string[]; path: string | null } | { reason: string };
  pathIndex: TPathIndex | null;
};

const openCatalog = async (deps: TDeps, versionId: string, pathColumn: string | null): Promise<TCatalog> => {
  const read = await checkUsableVersion(deps, versionId, { column: ZTemplateColumn, roles: ["itemId"] });
  if (!read.ok) throw new UnrecoverableError(read.message);
  const itemColumn = read.byRole("itemId")!.name;
  const table = read.version.tableName;
  if (pathColumn !== null) {
    if (!read.columns.some((column) => column.name === pathColumn)) {
      throw new UnrecoverableError(`${read.label} has no column ${pathColumn}`);
    }
    const index = buildPathIndex(await readCatalogImagePaths(deps.pool, { table, itemColumn, pathColumn }));
    return {
      label: read.label,
      pathIndex: index,
      itemsOf: (name) =>
        index.itemsFor(name) ?? { reason: `no row of ${read.label} names this path in column ${pathColumn}` },
    };
  }
  const ids = await readCatalogItemIds(deps.pool, { table, itemColumn });
  return {
    label: read.label,
    pathIndex: null,
    itemsOf: (name) => {
      const itemId = itemIdFromName(name);
      return ids.has(itemId)
        ? { itemIds: [itemId], path: null }
        : { reason: `no item ${itemId} in ${read.label} (pictures are named <item id>.<ext>)` };
    },
  };
};

type TPicture = { name: string; entry: string | null; read: () => Promise<Buffer>; declaredBytes: number };

/** The pictures of one upload: the entries of an archive, or the file itself. */
const picturesOf = async (
  upload: TUpload,
  maxBytes: number,
): Promise<{ pictures: TPicture[]; close: () => Promise<void> } | { reason: string }> => {
  const file: FileHandle = await open(upload.path, "r");
  const head = Buffer.alloc(4);
  await file.read(head, 0, 4, 0);
  if (!looksLikeZip(head)) {
    await file.close();
    return {
      pictures: [
        {
          name: upload.originalName,
          entry: null,
          // Checked before reading: a multi-gigabyte upload that is no archive must not be read whole.
          declaredBytes: Number(upload.bytes),
          read: () => readFile(upload.path),
        },
      ],
      close: async () => {},
    };
  }
  let entries: TZipEntry[];
  try {
    entries = await listZipEntries(file);
  } catch (error) {
    await file.close();
    return { reason: `unreadable archive: ${(error as Error).message}` };
  }
  return {
    pictures: entries
      .filter((entry) => !isIgnoredEntry(entry.name))
      .map((entry) => ({
        name: entry.name,
        entry: entry.name,
        declaredBytes: entry.size,
        read: () => readZipEntry(file, entry, maxBytes),
      })),
    close: () => file.close(),
  };
};

export type TImageImportResult = { count: number; rejectedCount: number };

/**
 * Imports the pictures of an image set's uploads: every picture is decoded in full and thumbnailed;
 * a picture that is unreadable, oversized, of an unsupported format, or that belongs to no catalogue
 * item is rejected with its file, entry and reason while the rest load. Idempotent: a READY set is
 * kept; otherwise the set is rebuilt from scratch in its .partial directory.
 */
export const executeImageImport = async (
  deps: TDeps,
  imageSetId: string,
  ctx: TJobContext,
): Promise<TImageImportResult> => {
  const set = await findImageSetById(deps, imageSetId);
  if (!set) throw new UnrecoverableError(`Image set ${imageSetId} does not exist`);
  if (set.status === "READY") return { count: set.count, rejectedCount: set.rejectedCount };
  const source = ZImageSetSource.parse(set.source);
  const catalog = await openCatalog(deps, set.catalogVersionId, source.pathColumn);
  const uploads = await findUploadsByIds(deps, source.uploadIds);
  const byId = new Map(uploads.map((upload) => [upload.id, upload]));
  const limits: TImageLimits = {
    maxBytes: deps.env.DAM_MAX_IMAGE_BYTES,
    maxPixels: deps.env.DAM_MAX_IMAGE_PIXELS,
  };
  const dir = imageSetDir(deps.env.ARTIFACTS_DIR, set.id);
  const writer = await openImageWriter(dir);
  const rejects: TImageReject[] = [];
  let rejectedCount = 0;
  const reject = (item: TImageReject) => {
    rejectedCount++;
    if (rejects.length < MAX_KEPT_REJECTS) rejects.push(item);
  };
  const firstSeen = new Map<string, string>();
  const foundPaths = new Set<string>();
  let done = 0;

  for (const [index, uploadId] of source.uploadIds.entries()) {
    const upload = byId.get(uploadId);
    if (!upload) {
      reject({ file: uploadId, entry: null, itemId: null, reason: "the upload no longer exists" });
      continue;
    }
    const opened = await picturesOf(upload, limits.maxBytes);
    if ("reason" in opened) {
      reject({ file: upload.originalName, entry: null, itemId: null, reason: opened.reason });
      continue;
    }
    try {
      for (const picture of opened.pictures) {
        const where = { file: upload.originalName, entry: picture.entry };
        const owner = catalog.itemsOf(picture.name);
        if ("reason" in owner) {
          reject({ ...where, itemId: null, reason: owner.reason });
        } else if (picture.declaredBytes > limits.maxBytes) {
          reject({
            ...where,
            itemId: owner.itemIds[0] ?? null,
            reason: `oversized: ${picture.declaredBytes} bytes, over the limit of ${limits.maxBytes}`,
          });
        } else {
          if (owner.path !== null) foundPaths.add(owner.path);
          let bytes: Buffer | null = null;
          let failure: string | null = null;
          try {
            bytes = await picture.read();
          } catch (error) {
            if (!(error instanceof ZipFormatError)) throw error;
            failure = `unreadable archive entry: ${error.message}`;
          }
          const checked = bytes ? await checkImage(bytes, limits) : null;
          if (!bytes || !checked?.ok) {
            const reason = failure ?? (checked && !checked.ok ? checked.reason : "unreadable");
            for (const itemId of owner.itemIds) reject({ ...where, itemId, reason });
          } else {
            const sha256 = createHash("sha256").update(bytes).digest("hex");
            for (const itemId of owner.itemIds) {
              const earlier = firstSeen.get(itemId);
              if (earlier !== undefined) {
                reject({ ...where, itemId, reason: `a second picture for item ${itemId} (kept ${earlier})` });
                continue;
              }
              firstSeen.set(
                itemId,
                picture.entry === null ? upload.originalName : `${upload.originalName}:${picture.entry}`,
              );
              await writer.add(
                {
                  itemId,
                  sha256,
                  format: checked.format,
                  width: checked.width,
                  height: checked.height,
                  bytes: bytes.length,
                  ...where,
                },
                bytes,
                checked.thumbnail,
              );
            }
          }
        }
        done++;
        if (done % CHECKPOINT_EVERY === 0) {
          await ctx.progress(
            (95 * (index + done / Math.max(1, opened.pictures.length))) / source.uploadIds.length,
            `${writer.count()} pictures stored, ${rejectedCount} rejected`,
          );
          await ctx.checkpoint();
        }
      }
    } finally {
      await opened.close();
    }
    done = 0;
  }
  if (catalog.pathIndex) {
    for (const [relative, itemIds] of catalog.pathIndex.all()) {
      if (foundPaths.has(relative)) continue;
      for (const itemId of itemIds) {
        reject({
          file: "(catalogue)",
          entry: relative,
          itemId,
          reason: "the path is in no uploaded archive",
        });
      }
    }
  }
  await ctx.checkpoint();
  await writer.commit({
    rejectedCount,
    catalogVersionId: set.catalogVersionId,
    createdAt: new Date().toISOString(),
  });
  await recordLineage(deps, {
    from: uploads.map((upload) => ({
      type: "FILE" as const,
      refId: upload.path,
      label: upload.originalName,
    })),
    to: {
      type: "IMAGE_SET",
      refId: set.id,
      label: `images of ${catalog.label}`,
      metadata: { count: writer.count(), rejectedCount, pathColumn: source.pathColumn },
    },
    jobId: ctx.jobRecordId,
    relation: "imported_from",
  });
  await recordLineage(deps, {
    from: [{ type: "DATASET_VERSION", refId: set.catalogVersionId, label: catalog.label }],
    to: { type: "IMAGE_SET", refId: set.id, label: `images of ${catalog.label}` },
    jobId: ctx.jobRecordId,
    relation: "pictures_of",
  });
  await markImageSetReady(deps, set.id, {
    count: writer.count(),
    rejectedCount,
    rejects: rejects as Prisma.InputJsonValue,
    location: dir,
  });
  await ctx.progress(100, `${writer.count()} pictures stored, ${rejectedCount} rejected`);
  return { count: writer.count(), rejectedCount };
};

/** Undo of an import that gave up: no partial pictures stay behind, the set says FAILED. */
export const discardImageImport = async (deps: TDeps, imageSetId: string): Promise<void> => {
  await removeImageSet(imageSetDir(deps.env.ARTIFACTS_DIR, imageSetId));
  await markUnfinishedImageSetFailed(deps, imageSetId);
};
