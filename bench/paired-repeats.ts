// Timing several variants of one workload on this shared, loaded machine. Each repeat walks the
// workload in chunks, and every chunk runs all variants one after another (their order rotating by
// chunk and repeat), each adding its time to its own total: a load spike lasts seconds, so it lands
// on every variant alike instead of on whichever ran during it. Ratios are read per repeat (paired)
// as well as best-of, since the median of the paired ratios is the steadier figure under load.

export type TTimedVariant = {
  /** Untimed set-up before a repeat. */
  begin?: (repeat: number) => Promise<void>;
  /** One chunk of the workload, timed. */
  chunk: (index: number) => Promise<void>;
  /** The repeat's closing work (a final durability wait), timed and added to the variant's total. */
  end?: () => Promise<void>;
};

const cpuSecondsNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Wall seconds per variant per repeat (`seconds[variant][repeat]`), and the CPU seconds this process
 * spent on each (all its threads: the ONNX pool, the thread pool's file writes). On a machine shared
 * with other work the wall times swing with their load; the CPU times mostly do not.
 */
export const runPairedRepeats = async (args: {
  variants: TTimedVariant[];
  chunks: number;
  repeats: number;
  onRepeat?: (repeat: number, seconds: number[]) => void;
}): Promise<{ seconds: number[][]; cpuSeconds: number[][] }> => {
  const { variants, chunks, repeats } = args;
  const totals = variants.map(() => [] as number[]);
  const cpuTotals = variants.map(() => [] as number[]);
  const timed = async (v: number, run: () => Promise<void>, seconds: number[], cpu: number[]) => {
    const start = performance.now();
    const cpuStart = cpuSecondsNow();
    await run();
    seconds[v]! += (performance.now() - start) / 1000;
    cpu[v]! += cpuSecondsNow() - cpuStart;
  };
  for (let r = 0; r < repeats; r++) {
    for (const variant of variants) await variant.begin?.(r);
    const seconds = variants.map(() => 0);
    const cpu = variants.map(() => 0);
    for (let c = 0; c < chunks; c++) {
      for (let k = 0; k < variants.length; k++) {
        const v = (r + c + k) % variants.length;
        await timed(v, () => variants[v]!.chunk(c), seconds, cpu);
      }
    }
    for (const [v, variant] of variants.entries()) {
      await timed(v, async () => variant.end?.(), seconds, cpu);
    }
    seconds.forEach((s, v) => {
      totals[v]!.push(s);
      cpuTotals[v]!.push(cpu[v]!);
    });
    args.onRepeat?.(r, seconds);
  }
  return { seconds: totals, cpuSeconds: cpuTotals };
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Speed of `ours` against `baseline` (higher is better, 1 = as fast): best-of (the best total of each)
 * and the median over repeats of baseline seconds / our seconds in the same repeat.
 */
export const compareTimes = (ours: number[], baseline: number[]) => {
  const pairedRatios = ours.map((s, r) => Number((baseline[r]! / s).toFixed(3)));
  return {
    bestOfRatio: Math.min(...baseline) / Math.min(...ours),
    pairedRatios,
    medianPairedRatio: median(pairedRatios),
  };
};

/** The same comparison on CPU seconds: baseline CPU / our CPU, total over all repeats. */
export const compareCpu = (ours: number[], baseline: number[]) =>
  Number((baseline.reduce((a, b) => a + b, 0) / ours.reduce((a, b) => a + b, 0)).toFixed(3));
