/**
 * LSD radix sort of doubles without NaN in IEEE order (−∞ … −0, +0 … +∞), equal values in index
 * order: each value's bits mapped to unsigned order (negatives: every bit flipped; others: the sign
 * bit set), then sorted digit by digit from the low word up. Returns the mapped keys (low and high
 * words) in sorted order and, with `withIndex`, each one's index in x.
 * Digits of 11 bits (six passes over 2,048 buckets) for up to 200,000 values, 16 bits (four passes
 * over 65,536) beyond: clearing and summing the buckets is what small inputs pay for.
 */
function sortKeys(x: Float64Array, withIndex: boolean): { lo: Uint32Array; hi: Uint32Array; idx: Uint32Array | null } {
  const n = x.length;
  // little-endian: word 2i is the low half of x[i], 2i + 1 its high half
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = withIndex ? new Uint32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1] as number;
    const l = words[2 * i] as number;
    if (h >>> 31) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
    if (idx !== null) idx[i] = i;
  }
  const bits = n > 200_000 ? 16 : 11;
  const perWord = Math.ceil(32 / bits);
  const mask = (1 << bits) - 1;
  const count = new Uint32Array(1 << bits);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = idx === null ? null : new Uint32Array(n);
  for (let pass = 0; pass < 2 * perWord; pass++) {
    const src = pass < perWord ? lo : hi;
    const shift = (pass % perWord) * bits;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const d = ((src[i] as number) >>> shift) & mask;
      count[d] = (count[d] as number) + 1;
    }
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d] as number;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const d = ((src[i] as number) >>> shift) & mask;
      const to = count[d] as number;
      count[d] = to + 1;
      lo2[to] = lo[i] as number;
      hi2[to] = hi[i] as number;
      if (idx2 !== null) idx2[to] = (idx as Uint32Array)[i] as number;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return { lo, hi, idx };
}

/** Indices that sort x (no NaN) ascending, equal values in index order. */
export function radixArgsort(x: Float64Array): Uint32Array {
  return sortKeys(x, true).idx as Uint32Array;
}

/** Sort x (no NaN) ascending in place, −0 before +0: the order of TypedArray#sort. */
export function radixSort(x: Float64Array): Float64Array {
  const { lo, hi } = sortKeys(x, false);
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  for (let i = 0; i < x.length; i++) {
    const l = lo[i] as number;
    const h = hi[i] as number;
    // the sign bit set marks a value that was not negative
    const wasNeg = h >>> 31 === 0;
    words[2 * i] = wasNeg ? ~l >>> 0 : l;
    words[2 * i + 1] = wasNeg ? ~h >>> 0 : (h & 0x7fffffff) >>> 0;
  }
  return x;
}
