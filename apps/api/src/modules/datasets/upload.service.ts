import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findUploadsByIds, insertUpload } from "./ingest.repository.ts";

const SAFE_NAME = /[^A-Za-z0-9._-]+/g;

/**
 * Streams a request body to the uploads directory (never held in memory), hashing it on the way, and
 * records it. The file is imported later by `importDataset` with its upload id.
 */
export const receiveUpload = async (
  deps: TDeps,
  actor: TPrincipal,
  body: Readable,
  input: { fileName: string; maxBytes: number },
) => {
  const originalName = path.basename(input.fileName).slice(0, 200);
  if (originalName === "" || originalName === "." || originalName === "..") {
    throw new AppError("BAD_USER_INPUT", "name: the upload needs a file name (?name=events.csv)", {
      field: "name",
    });
  }
  const id = randomUUID();
  await mkdir(deps.env.DAM_UPLOADS_DIR, { recursive: true });
  const target = path.join(deps.env.DAM_UPLOADS_DIR, `${id}-${originalName.replace(SAFE_NAME, "_")}`);
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > input.maxBytes) {
            throw new AppError("BAD_USER_INPUT", `the upload exceeds the limit of ${input.maxBytes} bytes`);
          }
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(target),
    );
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
  return insertUpload(deps.db, {
    id,
    originalName,
    path: target,
    bytes,
    sha256: hash.digest("hex"),
    createdById: actor.userId,
  });
};

/** Resolves upload ids to their files, in the order given; unknown ids are a clear input error. */
export const resolveUploads = async (deps: TDeps, uploadIds: string[]) => {
  const uploads = await findUploadsByIds(deps.db, uploadIds);
  const byId = new Map(uploads.map((upload) => [upload.id, upload]));
  return uploadIds.map((id, index) => {
    const upload = byId.get(id);
    if (!upload)
      throw new AppError("BAD_USER_INPUT", `uploadIds[${index}]: unknown upload ${id}`, {
        field: "uploadIds",
      });
    return upload;
  });
};
