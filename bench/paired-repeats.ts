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

/** Seconds per variant per repeat: `seconds[variant][repeat]`. */
export const runPairedRepeats = async (args: {
  variants: TTimedVariant[];
  chunks: number;
  repeats: number;
  onRepeat?: (repeat: number, seconds: number[]) => void;
}): Promise<number[][]> => {
  const { variants, chunks, repeats } = args;
  const totals = variants.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (const variant of variants) await variant.begin?.(r);
    const seconds = variants.map(() => 0);
    for (let c = 0; c < chunks; c++) {
      for (let k = 0; k < variants.length; k++) {
        const v = (r + c + k) % variants.length;
        const start = performance.now();
        await variants[v]!.chunk(c);
        seconds[v]! += (performance.now() - start) / 1000;
      }
    }
    for (const [v, variant] of variants.entries()) {
      const start = performance.now();
      await variant.end?.();
      seconds[v]! += (performance.now() - start) / 1000;
    }
    seconds.forEach((s, v) => {
      totals[v]!.push(s);
    });
    args.onRepeat?.(r, seconds);
  }
  return totals;
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
