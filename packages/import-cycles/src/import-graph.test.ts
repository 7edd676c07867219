import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildImportGraph, cyclePath, findCycles, runtimeSpecifiers } from "./import-graph.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

let root = "";
const write = (files: Record<string, string>) => {
  root = mkdtempSync(path.join(tmpdir(), "import-cycles-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
};
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = "";
});
const cyclesIn = () =>
  findCycles(buildImportGraph(root)).map((cycle) => cycle.map((f) => path.relative(root, f)));

describe("runtimeSpecifiers", () => {
  it("keeps value imports, re-exports and dynamic imports, and drops type-only ones", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type { B } from "./b.ts";',
      'export type { C } from "./c.ts";',
      'export { d } from "./d.ts";',
      'import "./e.ts";',
      "// import { f } from './f.ts';",
      'const g = () => import("./g.ts");',
      "const h = \"import { h } from './h.ts'\";",
    ].join("\n");
    expect(runtimeSpecifiers("x.ts", text)).toEqual(["./a.ts", "./d.ts", "./e.ts", "./g.ts"]);
  });
});

describe("findCycles", () => {
  it("finds a three-file cycle, one path around it, and ignores what only hangs off it", () => {
    write({
      "apps/api/package.json": '{ "name": "@x/api" }',
      "apps/api/src/a.ts": 'import { b } from "./b.ts";\nexport const a = b;',
      "apps/api/src/b.ts": 'import { c } from "./c";\nexport const b = c;',
      "apps/api/src/c.ts": 'export const c = 1;\nexport const load = () => import("./a.js");',
      "apps/api/src/leaf.ts": 'import { a } from "./a.ts";\nexport const leaf = a;',
    });
    const graph = buildImportGraph(root);
    const cycles = findCycles(graph);
    expect(cycles.map((cycle) => cycle.map((f) => path.relative(root, f)))).toEqual([
      ["apps/api/src/a.ts", "apps/api/src/b.ts", "apps/api/src/c.ts"],
    ]);
    expect(cyclePath(graph, cycles[0]!).map((f) => path.relative(root, f))).toEqual([
      "apps/api/src/a.ts",
      "apps/api/src/b.ts",
      "apps/api/src/c.ts",
      "apps/api/src/a.ts",
    ]);
  });

  it("follows workspace package exports and tsconfig path aliases across packages", () => {
    write({
      "packages/lib/package.json": '{ "name": "@x/lib", "exports": { "./thing": "./src/thing.ts" } }',
      "packages/lib/src/thing.ts": 'import { page } from "@x/web/page";\nexport const thing = page;',
      "apps/web/package.json": '{ "name": "@x/web", "exports": { "./page": "./app/page.tsx" } }',
      "apps/web/tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      "apps/web/app/page.tsx": 'import { format } from "@/lib/format";\nexport const page = format;',
      "apps/web/lib/format.ts": 'import { thing } from "@x/lib/thing";\nexport const format = thing;',
    });
    expect(cyclesIn()).toEqual([
      ["apps/web/app/page.tsx", "apps/web/lib/format.ts", "packages/lib/src/thing.ts"],
    ]);
  });

  it("reports nothing when the back edge is type-only or lives in a test", () => {
    write({
      "packages/p/package.json": '{ "name": "@x/p" }',
      "packages/p/src/a.ts": 'import { b } from "./b.ts";\nexport const a = b;',
      "packages/p/src/b.ts": 'import type { A } from "./a.ts";\nexport const b = 1;',
      "packages/p/src/b.test.ts": 'import { a } from "./a.ts";\nimport { b } from "./b.ts";',
    });
    expect(cyclesIn()).toEqual([]);
  });
});

describe("this repository", () => {
  it("has no import cycle among apps/ and packages/", () => {
    const graph = buildImportGraph(REPO_ROOT);
    expect(graph.size).toBeGreaterThan(100);
    const cycles = findCycles(graph).map((cycle) =>
      cyclePath(graph, cycle).map((f) => path.relative(REPO_ROOT, f)),
    );
    expect(cycles).toEqual([]);
  });
});
