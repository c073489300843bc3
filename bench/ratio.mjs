// With/without ratios over interleaved rounds, and whether they meet a
// target, for the benchmarks that compare two variants on a noisy machine
// (bench/devloop.mjs). One round's ratio swings by ±10 % on a shared VM, so
// a median of a few rounds cannot tell a 5 % cost from none; an interval can
// say how sure the figure is, and it narrows as rounds are added.

// Student's t, two-sided 95 %, by degrees of freedom (1‥30; beyond, 1.96 +
// 2.4/df, within 0.003 of the table up to 120).
const T95 = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
// The geometric mean of per-round ratios and its 95 % interval, from the
// mean and spread of their logarithms; null with fewer than 2 rounds.
export function ratioInterval(ratios) {
  const logs = ratios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log);
  const n = logs.length;
  if (n < 2) return null;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const t = T95[n - 2] ?? 1.96 + 2.4 / (n - 1);
  const half = t * sd / Math.sqrt(n);
  return { mean: Math.exp(mean), lo: Math.exp(mean - half), hi: Math.exp(mean + half), n };
}

// "met" when the whole interval is within the target, "OVER" when all of it
// is above, "unsure" when it straddles the target.
export function verdict(interval, target) {
  if (!interval) return 'n/a';
  if (interval.hi <= target) return 'met';
  if (interval.lo > target) return 'OVER';
  return 'unsure';
}
