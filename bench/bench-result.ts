import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The result contract of every benchmark (docs: DESIGN.md section 3). Results are compared across
// commits, so the shape never changes; what a row holds is up to each benchmark.

export type TBenchRow = Record<string, unknown>;

export type TBenchResult = {
  name: string;
  /** ISO-8601 UTC, when the run started. */
  startedAt: string;
  machine: { cpus: number; node: string };
  /** One object per measured case. */
  rows: TBenchRow[];
  /** Measured in the same run, never copied from an earlier one. */
  baseline: { what: string; value: number };
  /** ours / baseline, in the direction where higher is better. */
  ratio: number;
  goal: string;
  met: boolean;
};

export type TBench = { run: () => Promise<TBenchResult> };

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = path.join(BENCH_DIR, "results");

export const machineInfo = (): TBenchResult["machine"] => ({ cpus: cpus().length, node: process.version });

/** Writes `bench/results/<name>.json` (creating the folder) and returns its path. */
export const writeResult = async (result: TBenchResult, dir: string = RESULTS_DIR): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${result.name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`, "utf8");
  return file;
};

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Samples this process's RSS every `everyMs` until stopped. `startMb` is the RSS when sampling began,
 * `peakMb` the highest sample, so `peakMb - startMb` is the growth during the measured work.
 */
export const sampleRss = (everyMs = 25) => {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    stop: (): { startMb: number; peakMb: number; growthMb: number } => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { startMb: mb(start), peakMb: mb(peak), growthMb: mb(peak - start) };
    },
  };
};
