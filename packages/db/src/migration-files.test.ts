import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrationsDir, readMigrationFiles } from "./migration-files.ts";
import { isEmptyDiff } from "./schema-engine/diff-migrations.ts";
import { nextMigrationPrefix } from "./schema-engine/migration-name.ts";

describe("readMigrationFiles", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("lists migration directories in name order with Prisma's sha256 checksum", async () => {
    dir = await mkdtemp(join(tmpdir(), "dam-migrations-"));
    for (const name of ["20260102000000_b", "20260101000000_a", "not_a_migration"]) {
      await mkdir(join(dir, name));
    }
    await writeFile(join(dir, "20260101000000_a", "migration.sql"), "SELECT 1;\n");
    await writeFile(join(dir, "20260102000000_b", "migration.sql"), "SELECT 2;\n");
    await writeFile(join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');

    const files = await readMigrationFiles(dir);

    expect(files.map((f) => f.name)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(files[0]?.checksum).toBe(createHash("sha256").update("SELECT 1;\n").digest("hex"));
  });

  it("finds the repository's migrations regardless of the working directory", async () => {
    const files = await readMigrationFiles(migrationsDir);
    expect(files.map((f) => f.name)).toContain("20261128000000_init");
    expect(files.find((f) => f.name === "20261128000000_init")?.sql).toContain(
      "CREATE SCHEMA IF NOT EXISTS data",
    );
  });
});

describe("nextMigrationPrefix", () => {
  it("uses the UTC time", () => {
    expect(nextMigrationPrefix(new Date("2026-12-01T10:20:30Z"), ["20261128000000_init"])).toBe(
      "20261201102030",
    );
  });

  it("sorts after a checked-in migration dated in the future", () => {
    expect(nextMigrationPrefix(new Date("2026-01-01T00:00:00Z"), ["20261128000000_init"])).toBe(
      "20261128000001",
    );
  });
});

describe("isEmptyDiff", () => {
  it("treats comment-only output as no change", () => {
    expect(isEmptyDiff("-- This is an empty migration.\n")).toBe(true);
    expect(isEmptyDiff('-- AlterTable\nALTER TABLE "User" ADD COLUMN "x" TEXT;\n')).toBe(false);
  });
});
