// `npm run bench -- <name>`: runs bench/<name>.bench.ts, writes bench/results/<name>.json and prints a
// summary on stderr (the JSON path on stdout). `npm run bench` alone lists the benchmarks.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, type TBench, type TBenchResult, writeResult } from "../bench/bench-result.ts";

const SUFFIX = ".bench.ts";

const listBenches = async (): Promise<string[]> =>
  (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();

const cell = (value: unknown): string => {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value.toLocaleString("en");
    return value.toLocaleString("en", { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
  }
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
};

const table = (rows: Record<string, unknown>[]): string => {
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const body = rows.map((row) => headers.map((header) => cell(row[header])));
  const widths = headers.map((header, i) => Math.max(header.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((text, i) => (/^-?[\d,.]+$/.test(text) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)));
  return [
    line(headers).join("  "),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...body.map((cells) => line(cells).join("  ")),
  ].join("\n");
};

const summary = (result: TBenchResult, seconds: number): string =>
  [
    `bench ${result.name}: ${result.machine.cpus} cpus, node ${result.machine.node}, ${seconds.toFixed(1)} s`,
    "",
    table(result.rows),
    "",
    `baseline: ${result.baseline.what} = ${cell(result.baseline.value)}`,
    `ratio:    ${cell(result.ratio)}x`,
    `goal:     ${result.goal}`,
    `met:      ${result.met ? "yes" : "NO"}`,
  ].join("\n");

const main = async (): Promise<number> => {
  const name = process.argv[2];
  const available = await listBenches();
  if (!name) {
    process.stderr.write(`usage: npm run bench -- <name>\n\nbenchmarks:\n`);
    for (const bench of available) process.stderr.write(`  ${bench}\n`);
    return 0;
  }
  if (!available.includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(", ") || "(none)"}\n`);
    return 2;
  }
  const module = (await import(
    pathToFileURL(path.join(BENCH_DIR, `${name}${SUFFIX}`)).href
  )) as Partial<TBench>;
  if (typeof module.run !== "function") {
    process.stderr.write(`bench/${name}${SUFFIX} does not export run()\n`);
    return 2;
  }
  const started = performance.now();
  const result = await module.run();
  if (result.name !== name) {
    throw new Error(`bench/${name}${SUFFIX} returned a result named "${result.name}"`);
  }
  const file = await writeResult(result);
  process.stderr.write(`${summary(result, (performance.now() - started) / 1000)}\n\n`);
  process.stdout.write(`${file}\n`);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exitCode = 1;
  },
);
