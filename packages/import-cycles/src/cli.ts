import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildImportGraph, cyclePath, findCycles } from "./import-graph.ts";

// `npm run lint` runs this: it fails (exit 1) when any import cycle exists among apps/ and packages/,
// printing each cycle's files and one path around it.
const root = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const graph = buildImportGraph(root);
const cycles = findCycles(graph);
const relative = (file: string) => path.relative(root, file);
if (cycles.length === 0) {
  console.log(`import cycles: none among ${graph.size} source files`);
} else {
  console.error(`import cycles: ${cycles.length} found (type-only imports and tests excluded)`);
  for (const cycle of cycles) {
    console.error(`\n${cycle.length} files: ${cyclePath(graph, cycle).map(relative).join("\n  -> ")}`);
    console.error(`all files of this cycle: ${cycle.map(relative).join(", ")}`);
  }
  process.exitCode = 1;
}
