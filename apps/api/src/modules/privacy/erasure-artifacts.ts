import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { lineNamesSubject, type TErasureSubject } from "@dam/privacy/erasure-subject";
import type { TDeps } from "../../deps.ts";
import {
  profileDir,
  readProfileArtifact,
  writeProfileArtifact,
} from "../shopper-profiles/profile-artifact.ts";
import {
  readSegmentArtifact,
  segmentDir,
  writeSegmentArtifact,
} from "../shopper-profiles/segment-artifact.ts";
import {
  findReadyProfileSets,
  findUploadsOldestFirst,
  setProfileSetUserCount,
  setSegmentSize,
  setUploadContent,
} from "./erasure.repository.ts";

export type TProfileErasure = { profileSets: string[]; profileRows: number; segmentSets: string[] };

const keepRows = (data: Float32Array, width: number, keep: readonly number[]): Float32Array => {
  const out = new Float32Array(keep.length * width);
  for (const [i, row] of keep.entries()) out.set(data.subarray(row * width, (row + 1) * width), i * width);
  return out;
};

/**
 * Removes the users from every READY profile set (users, features and vectors rows) and from its segment
 * sets (labels and projection rows, segment sizes), rewriting the artifacts in place (each written to a
 * temporary directory and renamed). Segments are rewritten before the profile whose row order they follow,
 * and only while their length still matches it, so a re-run after a crash between the two is safe.
 */
export const eraseFromProfiles = async (
  deps: TDeps,
  userIds: ReadonlySet<string>,
): Promise<TProfileErasure> => {
  const out: TProfileErasure = { profileSets: [], profileRows: 0, segmentSets: [] };
  if (userIds.size === 0) return out;
  const sets = await findReadyProfileSets(deps.db);
  for (const set of sets) {
    const dir = set.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.id);
    const profile = await readProfileArtifact(dir);
    if (!profile) continue;
    const keep: number[] = [];
    profile.users.forEach((user, row) => {
      if (!userIds.has(user)) keep.push(row);
    });
    if (keep.length === profile.users.length) continue;
    for (const segmentSet of set.segmentSets) {
      const sdir = segmentDir(deps.env.ARTIFACTS_DIR, segmentSet.id);
      const segments = await readSegmentArtifact(sdir);
      if (!segments || segments.labels.length !== profile.users.length) continue;
      const labels = Int32Array.from(keep.map((row) => segments.labels[row] ?? -1));
      await writeSegmentArtifact(sdir, { labels, projection: keepRows(segments.projection, 2, keep) });
      const sizes = new Map<number, number>();
      for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
      for (const segment of segmentSet.segments) {
        await setSegmentSize(deps.db, segment.id, sizes.get(segment.index) ?? 0);
      }
      out.segmentSets.push(segmentSet.id);
    }
    const manifest = profile.manifest;
    await writeProfileArtifact(dir, {
      manifest: { ...manifest, count: keep.length },
      users: keep.map((row) => profile.users[row] ?? ""),
      features: keepRows(profile.features, manifest.features.length, keep),
      vectors: keepRows(profile.vectors, manifest.vectorDimension, keep),
    });
    await setProfileSetUserCount(deps.db, set.id, keep.length);
    out.profileSets.push(set.id);
    out.profileRows += profile.users.length - keep.length;
  }
  return out;
};

export type TUploadErasure = { uploads: string[]; lines: number };

/**
 * Streams one file into `temp` without the lines naming a subject (the first line, a header, is kept),
 * hashing what it writes; returns the lines dropped, the bytes and sha256 of the copy.
 */
const copyWithoutSubject = async (file: string, temp: string, subjects: readonly TErasureSubject[]) => {
  const input = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  const output = createWriteStream(temp);
  const hash = createHash("sha256");
  let dropped = 0;
  let bytes = 0;
  let first = true;
  for await (const line of input) {
    if (!first && lineNamesSubject(line, subjects)) {
      dropped++;
      continue;
    }
    const chunk = `${line}\n`;
    first = false;
    hash.update(chunk);
    bytes += Buffer.byteLength(chunk);
    if (!output.write(chunk)) await once(output, "drain");
  }
  output.end();
  await finished(output);
  return { dropped, bytes, sha256: hash.digest("hex") };
};

/**
 * Rewrites every stored upload whose lines name a subject without those lines, streamed (any size), then
 * updates its size and checksum. The copy is written beside the file and renamed over it; an upload
 * naming nobody is left byte for byte as it was.
 */
export const eraseFromUploads = async (
  deps: TDeps,
  subjects: readonly TErasureSubject[],
  checkpoint: () => Promise<void>,
): Promise<TUploadErasure> => {
  const out: TUploadErasure = { uploads: [], lines: 0 };
  const uploads = await findUploadsOldestFirst(deps.db);
  for (const upload of uploads) {
    await checkpoint();
    const exists = await stat(upload.path).catch(() => null);
    if (!exists?.isFile()) continue;
    const temp = `${upload.path}.erasing-${process.pid}`;
    const copy = await copyWithoutSubject(upload.path, temp, subjects);
    if (copy.dropped === 0) {
      await rm(temp, { force: true });
      continue;
    }
    await rename(temp, upload.path);
    await setUploadContent(deps.db, upload.id, copy.bytes, copy.sha256);
    out.uploads.push(upload.id);
    out.lines += copy.dropped;
  }
  return out;
};
