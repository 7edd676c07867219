import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Resolved from this file, not process.cwd(): migrations must be found whether the caller is the root
// `npm run db:migrate`, a workspace test runner (cwd = packages/db) or an app started from apps/*.
export const prismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const migrationsDir = join(prismaDir, "migrations");
export const schemaPath = join(prismaDir, "schema.prisma");

export type MigrationFile = {
  // Directory name, e.g. `20261128000000_init`; also the `migration_name` recorded in `_prisma_migrations`.
  name: string;
  sql: string;
  // sha256 hex of the file bytes, the same checksum Prisma Migrate records.
  checksum: string;
};

export function checksumOf(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export async function readMigrationFiles(dir: string = migrationsDir): Promise<MigrationFile[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    // Plain code-unit order: timestamps prefix the names, and locale collation must not reorder them.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: checksumOf(bytes) };
    }),
  );
}
