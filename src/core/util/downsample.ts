/**
 * Indices of at most `max` evenly spaced points of a series of length `n`, always including the
 * first and the last (round(k·(n−1)/(max−1)) for k = 0…max−1). All indices when n ≤ max. Records
 * keep series this way so a chart of a year of 5-minute bars stays a few kilobytes.
 * @throws RangeError when `max` is below 2 (the endpoints could not both be kept).
 */
export function evenIndices(n: number, max: number): Uint32Array {
  if (!(Number.isInteger(max) && max >= 2)) throw new RangeError(`evenIndices needs max ≥ 2, got ${max}`);
  if (n <= max) return Uint32Array.from({ length: Math.max(0, n) }, (_, i) => i);
  const out = new Uint32Array(max);
  // n > max, so the step exceeds 1 and the rounded indices are strictly increasing.
  for (let k = 0; k < max; k++) out[k] = Math.round((k * (n - 1)) / (max - 1));
  return out;
}

/** `x` exactly for a stored series (JSON round-trips every finite double); null for NaN and ±Infinity (JSON has neither). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
