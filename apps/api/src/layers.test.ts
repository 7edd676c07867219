// Layers (issue 13): every Prisma call and every SQL statement of an area lives in a repository file
// (`<area>.repository.ts`, `<topic>.repository.ts`); services decide, resolvers check permissions and call
// services. This test reads every non-test source file under modules/ and fails on a database call in a
// file whose name does not say `repository`, so a new one cannot slip in.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "modules");

const PRISMA_OPERATIONS = [
  "findMany",
  "findFirst",
  "findFirstOrThrow",
  "findUnique",
  "findUniqueOrThrow",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
  "count",
  "aggregate",
  "groupBy",
].join("|");

/** What counts as database access; `\s*` between the parts, since the formatter breaks long chains. */
const DATABASE_CALLS: { what: string; pattern: RegExp }[] = [
  {
    what: "Prisma model call",
    pattern: new RegExp(
      `\\b(?:db|tx|prisma|client)\\s*\\.\\s*[A-Za-z]\\w*\\s*\\.\\s*(?:${PRISMA_OPERATIONS})\\s*\\(`,
    ),
  },
  { what: "raw Prisma SQL", pattern: /\$(?:queryRaw|executeRaw)(?:Unsafe)?\s*[`(<]/ },
  { what: "Prisma transaction", pattern: /\.\s*\$transaction\s*[(<]/ },
  { what: "SQL statement", pattern: /\b(?:pool|client|sandbox)\s*\.\s*query\s*[(<]/ },
  // A page helper (core/pagination.ts) handed a model delegate runs findMany and count itself.
  {
    what: "paged Prisma read",
    pattern: /\bfind(?:BigInt)?ConnectionPage\s*\(\s*(?:[\w.]*\.)?(?:db|tx)\s*\./,
  },
];

// Comments may show a call (`db.$transaction(async (tx) => ...)` in a doc comment); only code counts.
const withoutComments = (source: string): string =>
  source.replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/(^|\s)\/\/.*$/gm, "$1");

/** The kinds of database call a source text makes. */
const findDatabaseCalls = (source: string): string[] => {
  const code = withoutComments(source);
  return DATABASE_CALLS.filter(({ pattern }) => pattern.test(code)).map(({ what }) => what);
};

const isSource = (file: string): boolean =>
  file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".test-helper.ts");

const isRepository = (file: string): boolean => path.basename(file).includes("repository");

/** Every non-test TypeScript file under modules/, relative to it with forward slashes. */
const sourceFiles = (dir = MODULES_DIR): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return isSource(entry.name) ? [path.relative(MODULES_DIR, full).split(path.sep).join("/")] : [];
  });

describe("layers: database calls live in repositories", () => {
  it("recognises each kind of call, across line breaks, and ignores comments and look-alikes", () => {
    expect(findDatabaseCalls("const rows = await deps.db.dataset.findMany({ where: {} });")).toEqual([
      "Prisma model call",
    ]);
    expect(findDatabaseCalls("await deps.db.privacySetting\n  .upsert({ where: { id } })")).toEqual([
      "Prisma model call",
    ]);
    expect(findDatabaseCalls("await tx.job.update({ where: { id }, data })")).toEqual(["Prisma model call"]);
    expect(findDatabaseCalls("await db.$queryRaw<{ n: number }[]>`SELECT 1`")).toEqual(["raw Prisma SQL"]);
    expect(findDatabaseCalls("await deps.db.$transaction(async (tx) => write(tx))")).toEqual([
      "Prisma transaction",
    ]);
    expect(findDatabaseCalls("const { rows } = await deps.pool.query(sql, params);")).toEqual([
      "SQL statement",
    ]);
    expect(findDatabaseCalls('await client.query("BEGIN")')).toEqual(["SQL statement"]);
    expect(findDatabaseCalls("findConnectionPage(deps.db.job, { where, orderBy }, args)")).toEqual([
      "paged Prisma read",
    ]);
    // Comments, types and same-named methods of other objects are not database calls.
    expect(findDatabaseCalls("/**\n * Use db.dataset.findMany({}) inside db.$transaction(fn).\n */")).toEqual(
      [],
    );
    expect(findDatabaseCalls("// await deps.pool.query(sql)")).toEqual([]);
    expect(findDatabaseCalls('type T = Parameters<TDeps["db"]["$transaction"]>[0];')).toEqual([]);
    expect(findDatabaseCalls("cache.delete(hash); queue.remove(id); map.count;")).toEqual([]);
    expect(findDatabaseCalls("await findRulesOfDataset(deps, datasetId)")).toEqual([]);
  });

  it("finds no database call outside a repository (none is exempt: job bookkeeping, audit and pseudonym keys included)", () => {
    const files = sourceFiles();
    // Guards the walk itself: a wrong directory would find nothing and pass.
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(isRepository).length).toBeGreaterThan(10);
    const offenders = files
      .filter((file) => !isRepository(file))
      .flatMap((file) => {
        const calls = findDatabaseCalls(readFileSync(path.join(MODULES_DIR, file), "utf8"));
        return calls.length > 0 ? [`${file}: ${calls.join(", ")}`] : [];
      });
    expect(offenders, "move these calls into the area's repository").toEqual([]);
  });
});
