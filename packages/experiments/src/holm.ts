// Holm's step-down correction for several treatments compared with one control.
// Holm, S. (1979). "A simple sequentially rejective multiple test procedure."
// Scandinavian Journal of Statistics 6(2), 65-70. Adjusted p-values as in Wright, S. P. (1992),
// "Adjusted P-values for simultaneous inference", Biometrics 48(4), 1005-1013:
//   p~(i) = max_{j <= i} min(1, (m - j + 1) p(j)) over the p-values sorted ascending.

/** Holm-adjusted p-values, in the order given. Rejecting where adjusted < alpha controls the FWER at alpha. */
export const holmAdjust = (pValues: readonly number[]): number[] => {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
};
