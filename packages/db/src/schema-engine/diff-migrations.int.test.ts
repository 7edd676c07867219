import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { migrationsDir, readMigrationFiles, schemaPath } from "../migration-files.ts";
import { diffMigrationsToSchema, isEmptyDiff } from "./diff-migrations.ts";

// What `npm run db:migrate:new` computes, through the WASM schema engine and a throw-away PGlite.

describe("diffMigrationsToSchema", () => {
  it("finds the checked-in migrations in sync with schema.prisma, and sees a new column", async () => {
    const schema = await readFile(schemaPath, "utf8");
    const migrations = await readMigrationFiles();

    const inSync = await diffMigrationsToSchema({ schemaPath, schema, migrationsDir, migrations });
    expect(isEmptyDiff(inSync), inSync).toBe(true);

    // An edited copy of the schema (the real file is never touched).
    const edited = schema.replace(/model User \{\n/, "model User {\n  nickname String?\n");
    expect(edited).not.toBe(schema);
    const diff = await diffMigrationsToSchema({ schemaPath, schema: edited, migrationsDir, migrations });
    expect(diff).toContain('ALTER TABLE "User" ADD COLUMN     "nickname" TEXT;');
    // The hand-written `data` schema is outside Prisma's view and must not be dropped.
    expect(diff).not.toMatch(/DROP SCHEMA/i);
  });
});
