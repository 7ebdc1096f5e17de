/**
 * Probability calibration of SVM decision values, following libsvm (Lin, Lin & Weng 2007, "A note on
 * Platt's probabilistic outputs"; Wu, Lin & Weng 2004, "Probability estimates for multi-class
 * classification by pairwise coupling", method 2).
 */

/** Fit P(y = +1 | f) = 1 / (1 + exp(A·f + B)) by Newton's method with backtracking. */
export function sigmoidTrain(dec: Float64Array, positive: Uint8Array): { A: number; B: number } {
  const l = dec.length;
  let prior1 = 0;
  for (let i = 0; i < l; i++) if (positive[i]) prior1++;
  const prior0 = l - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(l);
  for (let i = 0; i < l; i++) t[i] = positive[i] ? hi : lo;
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  // exp(−|z|) of each row at the last point the objective was taken at; the accepted point's are
  // the next Newton step's (the same z = dec·A + B, so the same values), which saves one exp per row
  let ez = new Float64Array(l);
  let trial = new Float64Array(l);
  const objective = (a: number, b: number, e: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < l; i++) {
      const z = (dec[i] as number) * a + b;
      const ti = t[i] as number;
      const ei = Math.exp(z >= 0 ? -z : z);
      e[i] = ei;
      f += z >= 0 ? ti * z + Math.log1p(ei) : (ti - 1) * z + Math.log1p(ei);
    }
    return f;
  };
  let fval = objective(A, B, ez);
  for (let it = 0; it < 100; it++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < l; i++) {
      const di = dec[i] as number;
      const z = di * A + B;
      const e = ez[i] as number;
      let p: number;
      let q: number;
      if (z >= 0) {
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += di * di * d2;
      h22 += d2;
      h21 += di * d2;
      const d1 = (t[i] as number) - p;
      g1 += di * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB, trial);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        [ez, trial] = [trial, ez];
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

/** P(y = +1 | f) for a fitted sigmoid, computed without overflow. */
export function sigmoidPredict(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * Couple pairwise probabilities r[i·k + j] = P(i | i or j) into class probabilities p (length k)
 * by Wu–Lin–Weng method 2 (fixed-point iteration of their quadratic problem). Q and Qp are scratch.
 */
export function pairwiseCoupling(r: Float64Array, k: number, p: Float64Array, Q: Float64Array, Qp: Float64Array): void {
  for (let t = 0; t < k; t++) {
    p[t] = 1 / k;
    let qtt = 0;
    for (let j = 0; j < k; j++) {
      if (j === t) continue;
      const rjt = r[j * k + t] as number;
      qtt += rjt * rjt;
      Q[t * k + j] = -rjt * (r[t * k + j] as number);
    }
    Q[t * k + t] = qtt;
  }
  const eps = 0.005 / k;
  const maxIter = Math.max(100, k);
  for (let it = 0; it < maxIter; it++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += (Q[t * k + j] as number) * (p[j] as number);
      Qp[t] = s;
      pQp += (p[t] as number) * s;
    }
    let maxErr = 0;
    for (let t = 0; t < k; t++) maxErr = Math.max(maxErr, Math.abs((Qp[t] as number) - pQp));
    if (maxErr < eps) break;
    for (let t = 0; t < k; t++) {
      const qtt = Q[t * k + t] as number;
      const diff = (-(Qp[t] as number) + pQp) / qtt;
      p[t] = (p[t] as number) + diff;
      const qpt = Qp[t] as number;
      pQp = (pQp + diff * (diff * qtt + 2 * qpt)) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = ((Qp[j] as number) + diff * (Q[t * k + j] as number)) / (1 + diff);
        p[j] = (p[j] as number) / (1 + diff);
      }
    }
  }
}
