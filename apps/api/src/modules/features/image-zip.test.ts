import { mkdtemp, open, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildZip } from "./image-zip.test-helper.ts";
import { listZipEntries, looksLikeZip, readZipEntry, ZipFormatError } from "./image-zip.ts";

const withArchive = async (bytes: Buffer) => {
  const dir = await mkdtemp(path.join(tmpdir(), "dam-zip-"));
  const file = path.join(dir, "a.zip");
  await writeFile(file, bytes);
  return open(file, "r");
};

describe("image-zip", () => {
  const big = Buffer.alloc(50_000, 7);
  const archive = buildZip([
    { name: "images/a.png", bytes: Buffer.from("first picture") },
    { name: "images/", bytes: Buffer.alloc(0), store: true },
    { name: "b.jpg", bytes: Buffer.from("stored bytes"), store: true },
    { name: "big.bin", bytes: big },
  ]);

  it("lists the central directory and reads stored and deflated entries", async () => {
    expect(looksLikeZip(archive)).toBe(true);
    const file = await withArchive(archive);
    try {
      const entries = await listZipEntries(file);
      expect(entries.map((e) => [e.name, e.method, e.size, e.isDirectory])).toEqual([
        ["images/a.png", 8, 13, false],
        ["images/", 0, 0, true],
        ["b.jpg", 0, 12, false],
        ["big.bin", 8, 50_000, false],
      ]);
      expect((await readZipEntry(file, entries[0]!, 1_000)).toString()).toBe("first picture");
      expect((await readZipEntry(file, entries[2]!, 1_000)).toString()).toBe("stored bytes");
      expect((await readZipEntry(file, entries[3]!, 60_000)).equals(big)).toBe(true);
    } finally {
      await file.close();
    }
  });

  it("refuses an entry over the limit before inflating it, and one whose CRC does not match", async () => {
    const file = await withArchive(archive);
    try {
      const entries = await listZipEntries(file);
      await expect(readZipEntry(file, entries[3]!, 10_000)).rejects.toThrow(
        /50000 bytes, over the limit of 10000/,
      );
      // The declared size lies (a zip bomb's trick): inflating stops at the limit.
      await expect(readZipEntry(file, { ...entries[3]!, size: 100 }, 1_000)).rejects.toThrow(ZipFormatError);
      await expect(readZipEntry(file, { ...entries[2]!, crc32: 1 }, 1_000)).rejects.toThrow(/CRC-32/);
    } finally {
      await file.close();
    }
  });

  it("says a file without an end record is not an archive", async () => {
    const file = await withArchive(Buffer.from("PK\u0003\u0004 but then nothing"));
    try {
      await expect(listZipEntries(file)).rejects.toThrow(/not a ZIP archive/);
    } finally {
      await file.close();
    }
    expect(looksLikeZip(Buffer.from("\u0089PNG"))).toBe(false);
  });

  it("reads an archive made by the zip tool", async () => {
    const { execFileSync } = await import("node:child_process");
    const dir = await mkdtemp(path.join(tmpdir(), "dam-zip-tool-"));
    await writeFile(path.join(dir, "x1.txt"), "hello ".repeat(100));
    try {
      execFileSync("zip", ["-q", "-r", "out.zip", "x1.txt"], { cwd: dir });
    } catch {
      return; // no zip tool on this machine; the built archives above cover the format
    }
    const file = await open(path.join(dir, "out.zip"), "r");
    try {
      const [entry] = await listZipEntries(file);
      expect(entry?.name).toBe("x1.txt");
      expect((await readZipEntry(file, entry!, 10_000)).toString()).toBe("hello ".repeat(100));
    } finally {
      await file.close();
    }
  });
});
