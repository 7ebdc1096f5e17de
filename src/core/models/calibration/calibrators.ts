import { DataError } from '../../errors.js';
import { expectNumber, expectNumberArray, expectObject, expectString } from '../../util/validate.js';
import { sigmoidPredict, sigmoidTrain } from '../optim/platt.js';

/**
 * One-vs-rest probability calibrators: a map from a model's probability of one class to a
 * calibrated probability of that class. `sigmoid` is Platt scaling on the logit of the probability
 * (target smoothing (N₊+1)/(N₊+2), 1/(N₋+2) as in libsvm), so the identity map is inside the
 * family; `isotonic` is the pool-adjacent-violators fit of a non-decreasing step function,
 * evaluated by linear interpolation between the pooled blocks and clipped at both ends
 * (scikit-learn's IsotonicRegression with out_of_bounds="clip").
 */
export type CalibrationMethod = 'sigmoid' | 'isotonic';
export const CALIBRATION_METHODS = ['sigmoid', 'isotonic', 'none'] as const;
export type CalibrateOption = (typeof CALIBRATION_METHODS)[number];

export type Calibrator =
  | { method: 'sigmoid'; a: number; b: number }
  | { method: 'isotonic'; x: number[]; y: number[] };

/** Smallest probability mm ever writes (and 1 − (K−1)·PROBA_EPS the largest). */
export const PROBA_EPS = 1e-6;
/** Probabilities are clipped to this before the logit, so exact 0/1 from a model stay finite. */
const LOGIT_EPS = 1e-7;

function logit(p: number): number {
  const q = Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
  return Math.log(q / (1 - q));
}

/** Platt sigmoid on logit(p): P(y = 1 | p) = 1 / (1 + exp(a·logit(p) + b)). */
export function fitSigmoid(p: Float64Array, positive: Uint8Array): Calibrator {
  const f = Float64Array.from(p, logit);
  const { A, B } = sigmoidTrain(f, positive);
  return { method: 'sigmoid', a: A, b: B };
}

/**
 * Isotonic (non-decreasing) least-squares fit of y on x by pool-adjacent-violators. Ties in x are
 * pooled first (their mean), so the result is a function of x. Returns the block knots: x the
 * mean x of each block, y its fitted value; consecutive knots with equal y are merged to their ends.
 */
export function fitIsotonic(x: Float64Array, y: Float64Array, w?: Float64Array): Calibrator {
  const n = x.length;
  if (n === 0) throw new DataError('isotonic calibration needs at least one row');
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (x[i] as number) - (x[j] as number) || i - j);
  // Blocks: [sum w·x, sum w·y, sum w], merged while the previous block's mean exceeds the next one's.
  const bx: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  const bxMin: number[] = [];
  const bxMax: number[] = [];
  let i = 0;
  while (i < n) {
    const xi = x[order[i] as number] as number;
    let sy = 0;
    let sw = 0;
    let j = i;
    while (j < n && (x[order[j] as number] as number) === xi) {
      const wj = w === undefined ? 1 : (w[order[j] as number] as number);
      sy += wj * (y[order[j] as number] as number);
      sw += wj;
      j++;
    }
    bx.push(xi * sw);
    by.push(sy);
    bw.push(sw);
    bxMin.push(xi);
    bxMax.push(xi);
    while (by.length > 1 && (by[by.length - 2] as number) / (bw[bw.length - 2] as number) > (by[by.length - 1] as number) / (bw[bw.length - 1] as number)) {
      const ly = by.pop() as number;
      const lw = bw.pop() as number;
      const lx = bx.pop() as number;
      const lmax = bxMax.pop() as number;
      bxMin.pop();
      const m = by.length - 1;
      by[m] = (by[m] as number) + ly;
      bw[m] = (bw[m] as number) + lw;
      bx[m] = (bx[m] as number) + lx;
      bxMax[m] = lmax;
    }
    i = j;
  }
  // Knots at both ends of each block keep the steps flat inside a block (scikit-learn keeps the
  // pooled points' own x with the block value); flat neighbours are thinned to their ends.
  const kx: number[] = [];
  const ky: number[] = [];
  for (let b = 0; b < by.length; b++) {
    const v = (by[b] as number) / (bw[b] as number);
    kx.push(bxMin[b] as number);
    ky.push(v);
    if ((bxMax[b] as number) > (bxMin[b] as number)) {
      kx.push(bxMax[b] as number);
      ky.push(v);
    }
  }
  const tx: number[] = [];
  const ty: number[] = [];
  for (let k = 0; k < kx.length; k++) {
    const prevSame = k > 0 && ky[k - 1] === ky[k];
    const nextSame = k + 1 < kx.length && ky[k + 1] === ky[k];
    if (prevSame && nextSame) continue;
    tx.push(kx[k] as number);
    ty.push(ky[k] as number);
  }
  return { method: 'isotonic', x: tx, y: ty };
}

/** The calibrated value of one probability. */
export function applyCalibrator(c: Calibrator, p: number): number {
  if (c.method === 'sigmoid') return sigmoidPredict(logit(p), c.a, c.b);
  const { x, y } = c;
  const m = x.length;
  if (p <= (x[0] as number)) return y[0] as number;
  if (p >= (x[m - 1] as number)) return y[m - 1] as number;
  let lo = 0;
  let hi = m - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((x[mid] as number) <= p) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  const y0 = y[lo] as number;
  const y1 = y[hi] as number;
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (p - x0)) / (x1 - x0);
}

/**
 * Fit one calibrator per class on out-of-fold probabilities `proba` (row-major n × K) against the
 * true classes `y`.
 */
export function fitCalibrators(method: CalibrationMethod, proba: Float64Array, y: Uint8Array, nClasses: number): Calibrator[] {
  const n = y.length;
  const out: Calibrator[] = [];
  const p = new Float64Array(n);
  const pos = new Uint8Array(n);
  const posF = new Float64Array(n);
  for (let k = 0; k < nClasses; k++) {
    for (let i = 0; i < n; i++) {
      p[i] = proba[i * nClasses + k] as number;
      pos[i] = y[i] === k ? 1 : 0;
      posF[i] = pos[i] as number;
    }
    out.push(method === 'sigmoid' ? fitSigmoid(p, pos) : fitIsotonic(p, posF));
  }
  return out;
}

/**
 * Calibrate row-major probabilities in place: each class through its calibrator, then each row
 * renormalised and floored (see floorProba). A row whose calibrated values are all 0 falls back to
 * the uncalibrated row.
 */
export function calibrateInPlace(cals: readonly Calibrator[], proba: Float64Array, n: number): void {
  const K = cals.length;
  const row = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const v = applyCalibrator(cals[k] as Calibrator, proba[i * K + k] as number);
      row[k] = v;
      s += v;
    }
    if (s > 0) for (let k = 0; k < K; k++) proba[i * K + k] = (row[k] as number) / s;
  }
  floorProba(proba, n, K);
}

/**
 * Keep every probability inside [ε, 1 − (K−1)ε] with rows summing to 1: p ← ε + (1 − Kε)·p/Σp.
 * No probability mm writes is then exactly 0 or 1, so log-loss on any later row stays finite.
 */
export function floorProba(proba: Float64Array, n: number, K: number, eps = PROBA_EPS): Float64Array {
  const scale = 1 - K * eps;
  for (let i = 0; i < n; i++) {
    let s = 0;
    let lo = Infinity;
    for (let k = 0; k < K; k++) {
      s += proba[i * K + k] as number;
      lo = Math.min(lo, proba[i * K + k] as number);
    }
    // Rows already inside the bounds are left alone, so flooring twice changes nothing.
    if (lo >= eps && Math.abs(s - 1) < 1e-12) continue;
    if (!(s > 0)) s = 1;
    for (let k = 0; k < K; k++) proba[i * K + k] = eps + (scale * (proba[i * K + k] as number)) / s;
  }
  return proba;
}

/** Stored form of a calibrator. */
export function calibratorToJSON(c: Calibrator): Record<string, unknown> {
  return c.method === 'sigmoid' ? { method: 'sigmoid', a: c.a, b: c.b } : { method: 'isotonic', x: c.x, y: c.y };
}

/** @throws DataError when a stored calibrator is malformed (unknown method, non-finite or non-monotone knots). */
export function calibratorFromJSON(v: unknown, where: string): Calibrator {
  const o = expectObject(v, where);
  const method = expectString(o['method'], `${where}.method`);
  if (method === 'sigmoid') {
    return { method, a: expectNumber(o['a'], `${where}.a`), b: expectNumber(o['b'], `${where}.b`) };
  }
  if (method === 'isotonic') {
    const x = expectNumberArray(o['x'], `${where}.x`);
    const y = expectNumberArray(o['y'], `${where}.y`, x.length);
    if (x.length === 0) throw new DataError(`${where}.x: empty`);
    for (let i = 0; i < x.length; i++) {
      if (!((y[i] as number) >= 0 && (y[i] as number) <= 1)) throw new DataError(`${where}.y[${i}]: not a probability`);
      if (i > 0 && ((x[i] as number) < (x[i - 1] as number) || (y[i] as number) < (y[i - 1] as number))) {
        throw new DataError(`${where}: knots are not non-decreasing at ${i}`);
      }
    }
    return { method, x, y };
  }
  throw new DataError(`${where}.method: unknown calibration method "${method}"`);
}
