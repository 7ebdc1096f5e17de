/**
 * Multinomial log-loss pieces on raw scores stored row-major (K scores per row). Probabilities are
 * clipped at EPS inside log-loss like scikit-learn's log_loss, so an impossible label costs a finite
 * −log(1e−15) instead of Infinity.
 */
export const EPS = 1e-15;
const LOG_EPS = Math.log(EPS);

/**
 * One pass over the rows: gradients g = p − y and hessians h = p(1 − p) of the softmax cross-entropy,
 * per class as interleaved pairs, class-major: class k of row i at gh[2(k·n + i)] (g) and
 * gh[2(k·n + i) + 1] (h), the layout the tree grower works in (one block per class).
 * The scores are class-major too (class k of row i at raw[k * n + i]): the trees add to one class's
 * block at a time, so their scattered writes stay in a block of n doubles.
 * `yk[i]` is row i's class as an index into the K scored classes; `p` is K doubles of scratch.
 */
export function softmaxGradients(raw: Float64Array, yk: Int32Array, n: number, K: number, gh: Float64Array, p: Float64Array): void {
  const n2 = 2 * n;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0, o = i; k < K; k++, o += n) if ((raw[o] as number) > m) m = raw[o] as number;
    let s = 0;
    for (let k = 0, o = i; k < K; k++, o += n) {
      const e = Math.exp((raw[o] as number) - m);
      p[k] = e;
      s += e;
    }
    const t = yk[i] as number;
    for (let k = 0, q = 2 * i; k < K; k++, q += n2) {
      const pk = (p[k] as number) / s;
      gh[q] = k === t ? pk - 1 : pk;
      gh[q + 1] = pk * (1 - pk);
    }
  }
}

/** Mean log-loss of raw scores; yk[i] < 0 marks a class that gets no score (probability 0 → clipped). */
export function logLoss(raw: Float64Array, yk: Int32Array, n: number, K: number): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const t = yk[i] as number;
    if (t < 0) {
      loss -= LOG_EPS;
      continue;
    }
    const o = i * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) if ((raw[o + k] as number) > m) m = raw[o + k] as number;
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp((raw[o + k] as number) - m);
    loss -= Math.max((raw[o + t] as number) - m - Math.log(s), LOG_EPS);
  }
  return n > 0 ? loss / n : 0;
}
