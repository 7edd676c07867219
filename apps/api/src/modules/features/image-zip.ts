import type { FileHandle } from "node:fs/promises";
import { crc32, inflateRawSync } from "node:zlib";

/*
 * A reader for ZIP archives of product images (PKWARE APPNOTE 6.3.10: end of central directory
 * §4.3.16, ZIP64 records §4.3.14-15, central directory headers §4.3.12, local headers §4.3.7).
 * It reads the central directory from the end of the file and one entry at a time by offset, so an
 * archive of any size is never held in memory, and an entry's declared size is checked before a
 * byte of it is inflated (a zip bomb stops at the limit, not at the memory's end).
 */

export type TZipEntry = {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  isDirectory: boolean;
  encrypted: boolean;
};

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

const readAt = async (file: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  if (done < length)
    throw new ZipFormatError(`the archive ends early (wanted ${length} bytes at ${position})`);
  return buffer;
};

const u64 = (buffer: Buffer, at: number): number => {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a ZIP64 size is out of range");
  return Number(value);
};

/** True when the file starts like a ZIP archive (a local header, or the end record of an empty one). */
export const looksLikeZip = (head: Buffer): boolean =>
  head.length >= 4 && (head.readUInt32LE(0) === LOCAL || head.readUInt32LE(0) === EOCD);

/** Every entry of the archive's central directory, in directory order. */
export const listZipEntries = async (file: FileHandle): Promise<TZipEntry[]> => {
  const { size } = await file.stat();
  const tailLength = Math.min(size, 22 + MAX_COMMENT);
  const tail = await readAt(file, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError("not a ZIP archive: no end of central directory record");
  let count = tail.readUInt16LE(at + 10);
  let directorySize = tail.readUInt32LE(at + 12);
  let directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locatorAt = size - tailLength + at - 20;
    const locator = locatorAt >= 0 ? await readAt(file, locatorAt, 20) : null;
    if (!locator || locator.readUInt32LE(0) !== EOCD64_LOCATOR) {
      throw new ZipFormatError("the ZIP64 end of central directory locator is missing");
    }
    const record = await readAt(file, u64(locator, 8), 56);
    if (record.readUInt32LE(0) !== EOCD64) throw new ZipFormatError("the ZIP64 end record is missing");
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryOffset = u64(record, 48);
  }
  const directory = await readAt(file, directoryOffset, directorySize);
  const entries: TZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL) {
      throw new ZipFormatError(`central directory entry ${n + 1} of ${count} is damaged`);
    }
    const flags = directory.readUInt16LE(p + 8);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const nameBytes = directory.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise CP437, read here as Latin-1 (identical for ASCII names).
    const name = nameBytes.toString(flags & 0x800 ? "utf8" : "latin1");
    let compressedSize = directory.readUInt32LE(p + 20);
    let uncompressed = directory.readUInt32LE(p + 24);
    let offset = directory.readUInt32LE(p + 42);
    // ZIP64 extended information (§4.5.3): only the fields whose 32-bit value is saturated, in order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = directory.readUInt16LE(e);
      const length = directory.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) {
          uncompressed = u64(directory, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(directory, q);
          q += 8;
        }
        if (offset === 0xffffffff) offset = u64(directory, q);
      }
      e += 4 + length;
    }
    entries.push({
      name,
      method: directory.readUInt16LE(p + 10),
      compressedSize,
      size: uncompressed,
      crc32: directory.readUInt32LE(p + 16),
      localHeaderOffset: offset,
      isDirectory: name.endsWith("/"),
      encrypted: (flags & 0x1) !== 0,
    });
    p = extraEnd + commentLength;
  }
  return entries;
};

/**
 * The bytes of one entry (stored or deflated), checked against its CRC-32. Throws ZipFormatError
 * with the reason for an encrypted entry, an unknown method, a damaged entry or one over `maxBytes`.
 */
export const readZipEntry = async (file: FileHandle, entry: TZipEntry, maxBytes: number): Promise<Buffer> => {
  if (entry.encrypted) throw new ZipFormatError("the entry is encrypted");
  if (entry.size > maxBytes)
    throw new ZipFormatError(`the entry is ${entry.size} bytes, over the limit of ${maxBytes}`);
  const header = await readAt(file, entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== LOCAL) throw new ZipFormatError("the entry's local header is damaged");
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = await readAt(file, start, entry.compressedSize);
  let bytes: Buffer;
  if (entry.method === 0) bytes = raw;
  else if (entry.method === 8) {
    try {
      bytes = inflateRawSync(raw, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      throw new ZipFormatError(`the entry cannot be inflated (${(error as Error).message})`);
    }
  } else
    throw new ZipFormatError(`compression method ${entry.method} is not supported (only stored and deflate)`);
  if (bytes.length !== entry.size) {
    throw new ZipFormatError(
      `the entry inflates to ${bytes.length} bytes, not the ${entry.size} its header declares`,
    );
  }
  if (crc32(bytes) >>> 0 !== entry.crc32 >>> 0) throw new ZipFormatError("the entry fails its CRC-32 check");
  return bytes;
};
