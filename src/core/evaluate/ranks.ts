/** Ranks 1..n with ties given their average rank (the convention of Spearman's rho and ROC-AUC). */
export function averageRanks(x: Float64Array): Float64Array {
  const idx = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) idx[i] = i;
  idx.sort((a, b) => (x[a] as number) - (x[b] as number));
  return averageRanksInOrder(x, idx);
}

/**
 * Average ranks given `idx`, the indices of `x` in ascending order of value (any argsort): runs of
 * equal values share the mean of their positions.
 */
export function averageRanksInOrder(x: Float64Array, idx: Uint32Array): Float64Array {
  const n = x.length;
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const v = x[idx[i] as number] as number;
    while (j + 1 < n && x[idx[j + 1] as number] === v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k] as number] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; null when either side has no variance or fewer than 3 points. */
export function pearson(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  if (n < 3) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation (Pearson on average ranks). */
export function spearman(a: Float64Array, b: Float64Array): number | null {
  return pearson(averageRanks(a), averageRanks(b));
}
