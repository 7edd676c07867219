import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

// The runtime import graph of the monorepo's TypeScript sources, and its cycles. An edge is a value
// import, re-export or dynamic `import()` that resolves to another source file: `import type` and
// `export type` are left out (erased at compile time), as are tests, declaration files and generated
// code. Specifiers resolve as relative paths (with or without `.ts`/`.js`), as workspace package
// subpaths through each package's `exports` (`@dam/db/client`), or through a tsconfig `paths` alias
// of the importing app (`@/lib/format` in apps/web). Anything else is a third-party module: no edge.

const SOURCE = /\.tsx?$/;
const SKIPPED_FILE = /\.(test|spec|int\.test)\.tsx?$|\.d\.ts$/;
const SKIPPED_DIR = new Set(["node_modules", ".next", "dist", "generated", ".turbo"]);
export const SCANNED_ROOTS = ["apps", "packages"];

type TWorkspace = { dir: string; name: string; exports: Record<string, string>; aliases: [string, string][] };

const listSources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIR.has(entry.name) ? [] : listSources(full);
    return SOURCE.test(entry.name) && !SKIPPED_FILE.test(entry.name) ? [full] : [];
  });

const readJson = (file: string): Record<string, unknown> | null => {
  if (!existsSync(file)) return null;
  const parsed = ts.parseConfigFileTextToJson(file, readFileSync(file, "utf8"));
  return (parsed.config as Record<string, unknown> | undefined) ?? null;
};

/** Each workspace under the scanned roots: its package name, string exports and `paths` aliases. */
const readWorkspaces = (root: string): TWorkspace[] =>
  SCANNED_ROOTS.flatMap((base) => {
    const baseDir = path.join(root, base);
    if (!existsSync(baseDir)) return [];
    return readdirSync(baseDir)
      .map((name) => path.join(baseDir, name))
      .filter((dir) => statSync(dir).isDirectory())
      .map((dir) => {
        const pkg = readJson(path.join(dir, "package.json")) ?? {};
        const exportsField = (pkg.exports ?? {}) as Record<string, unknown>;
        const exports = Object.fromEntries(
          Object.entries(exportsField).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string",
          ),
        );
        const options = (readJson(path.join(dir, "tsconfig.json"))?.compilerOptions ?? {}) as {
          paths?: Record<string, string[]>;
        };
        const aliases = Object.entries(options.paths ?? {}).flatMap(([pattern, targets]) =>
          targets[0] ? [[pattern, targets[0]] as [string, string]] : [],
        );
        return { dir, name: typeof pkg.name === "string" ? pkg.name : "", exports, aliases };
      });
  });

/** The module specifiers of a file's runtime imports (static, re-exports and dynamic `import()`). */
export const runtimeSpecifiers = (fileName: string, text: string): string[] => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

const candidatesOf = (target: string): string[] => [
  target,
  target.replace(/\.js$/, ".ts"),
  target.replace(/\.js$/, ".tsx"),
  `${target}.ts`,
  `${target}.tsx`,
  path.join(target, "index.ts"),
  path.join(target, "index.tsx"),
];

const matchAlias = (specifier: string, pattern: string, target: string): string | null => {
  if (!pattern.endsWith("*")) return specifier === pattern ? target : null;
  const prefix = pattern.slice(0, -1);
  return specifier.startsWith(prefix) ? target.replace("*", specifier.slice(prefix.length)) : null;
};

/** The import graph: every scanned source file and the source files it imports at runtime. */
export const buildImportGraph = (root: string): Map<string, Set<string>> => {
  const files = SCANNED_ROOTS.flatMap((base) =>
    existsSync(path.join(root, base)) ? listSources(path.join(root, base)) : [],
  );
  const fileSet = new Set(files);
  const workspaces = readWorkspaces(root);
  const byName = new Map(workspaces.filter((w) => w.name).map((w) => [w.name, w]));
  const toFile = (target: string) => candidatesOf(path.normalize(target)).find((c) => fileSet.has(c)) ?? null;

  const resolve = (from: string, specifier: string): string | null => {
    if (specifier.startsWith(".")) return toFile(path.join(path.dirname(from), specifier));
    const owner = workspaces.find((w) => from.startsWith(`${w.dir}${path.sep}`));
    for (const [pattern, target] of owner?.aliases ?? []) {
      const mapped = matchAlias(specifier, pattern, target);
      if (mapped !== null && owner) return toFile(path.join(owner.dir, mapped));
    }
    const scoped = specifier.match(/^(@[^/]+\/[^/]+)(\/.*)?$/) ?? specifier.match(/^([^@/][^/]*)(\/.*)?$/);
    const workspace = scoped?.[1] ? byName.get(scoped[1]) : undefined;
    if (!workspace || !scoped) return null;
    const target = workspace.exports[scoped[2] ? `.${scoped[2]}` : "."];
    return target ? toFile(path.join(workspace.dir, target)) : null;
  };

  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const targets = runtimeSpecifiers(file, readFileSync(file, "utf8"))
      .map((specifier) => resolve(file, specifier))
      .filter((target): target is string => target !== null && target !== file);
    graph.set(file, new Set(targets));
  }
  return graph;
};

/**
 * The strongly connected components of more than one file (Tarjan, iterative so a deep graph cannot
 * overflow the stack), each sorted, largest first. Every file of a component reaches every other.
 */
export const findCycles = (graph: Map<string, Set<string>>): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: Iterator<string> }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: (graph.get(node) ?? new Set()).values() });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const target = step.value;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => b.length - a.length);
};

/** One path around a cycle, from its first file back to it, to show what to cut. */
export const cyclePath = (graph: Map<string, Set<string>>, component: string[]): string[] => {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const route = [node];
        while (route[0] !== start) route.unshift(previous.get(route[0]!)!);
        return [...route, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return component;
};
