/**
 * Split `total` events across users proportionally to weight, with a floor so every user
 * leaves enough behaviour to be clustered. Largest-remainder rounding makes the sum exact
 * (the `events` option is a hard count) and deterministic (ties go to the lower index).
 */
export function allocateBudgets(total: number, weights: readonly number[]): number[] {
  const n = weights.length;
  const floor = Math.min(30, Math.floor(total / n / 2));
  const rest = total - floor * n;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / weightSum);
  const budgets = exact.map((x) => floor + Math.floor(x));
  let missing = total - budgets.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    budgets[i] = (budgets[i] ?? 0) + 1;
    missing--;
  }
  return budgets;
}
