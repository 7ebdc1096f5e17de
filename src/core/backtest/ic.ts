import { averageRanks, pearson } from '../evaluate/index.js';

/** Pearson and Spearman correlation of a and b over the rows where both are finite. */
export function correlations(a: Float64Array, b: Float64Array): { pearson: number | null; spearman: number | null; n: number } {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i] as number) && Number.isFinite(b[i] as number)) m++;
  let x = a;
  let y = b;
  if (m !== a.length) {
    x = new Float64Array(m);
    y = new Float64Array(m);
    for (let i = 0, j = 0; i < a.length; i++) {
      const u = a[i] as number;
      const v = b[i] as number;
      if (Number.isFinite(u) && Number.isFinite(v)) {
        x[j] = u;
        y[j++] = v;
      }
    }
  }
  return { pearson: pearson(x, y), spearman: pearson(averageRanks(x), averageRanks(y)), n: m };
}
