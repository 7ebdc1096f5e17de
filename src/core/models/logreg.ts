import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectNumber } from '../util/validate.js';
import {
  checkClassWeight,
  expandProba,
  presentClasses,
  readF64,
  readHeader,
  sampleWeights,
  softmaxInPlace,
  type ClassWeight,
} from './optim/classes.js';
import { lbfgs } from './optim/lbfgs.js';
import { denseArena } from './dense-kernels.js';
import { StandardScaler } from './scaler.js';
import type { Classifier, FitInput, ModelState } from './types.js';

export interface LogRegParams {
  /** Inverse L2 strength, as scikit-learn's C (the intercept is not penalised). */
  C: number;
  classWeight: ClassWeight;
  maxIter: number;
  /** Convergence: max |gradient| of the per-row objective. */
  tol: number;
}

/** scikit-learn's LogisticRegression defaults (lbfgs, multinomial, C = 1, max_iter 100, tol 1e-4). */
export function defaultLogRegParams(): LogRegParams {
  return { C: 1, classWeight: null, maxIter: 100, tol: 1e-4 };
}

const VERSION = 1;
/** Rows per predict chunk (bounds the kernel memory for any n). */
const PREDICT_CHUNK = 4096;

/**
 * Multinomial (softmax) logistic regression on standardised features. Fitting minimises
 * (1/n)·[Σ wᵢ·CEᵢ + ‖W‖²/(2C)], which has the same optimum as scikit-learn's objective, by L-BFGS.
 * NaN features become the training mean (0 after scaling).
 */
export class LogRegModel implements Classifier {
  readonly kind = 'logreg';
  constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    readonly classes: Int32Array,
    readonly scaler: StandardScaler,
    /** Row-major (classes.length × nFeatures). */
    readonly weights: Float64Array,
    readonly intercepts: Float64Array,
    readonly params: LogRegParams,
    readonly iterations: number,
    readonly converged: boolean,
  ) {}

  /** @throws DataError when the column count differs from the fitted one or a value is infinite. */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    const d = this.nFeatures;
    const k = this.classes.length;
    if (columns.length !== d) throw new DataError(`logreg model expects ${d} feature columns, got ${columns.length}`);
    const out = new Float64Array(n * k);
    // CH rows at a time in a dense-kernel arena: the rows copied column-major and standardised
    // ((v − mean)·(1/scale), NaN the training mean: 0), the logits b + Σⱼ w·x in feature order (SIMD
    // across rows) and the row softmax (exp as V8's Math.exp): the values of a row-at-a-time loop.
    const CH = Math.min(PREDICT_CHUNK, Math.max(n, 1));
    const arena = denseArena([CH * d, k * d + k, k * CH, CH * k, d, d]);
    const K = arena.exports;
    const xs = arena.view(0);
    const th = arena.view(1);
    th.set(this.weights);
    th.set(this.intercepts, k * d);
    const probs = arena.view(3);
    const { mean, scale } = this.scaler;
    arena.view(4).set(mean);
    const inv = arena.view(5);
    for (let j = 0; j < d; j++) inv[j] = 1 / (scale[j] as number);
    for (let j = 0; j < d; j++) {
      const col = columns[j] as Float64Array;
      if (col.length < n) throw new DataError(`feature column ${j} has ${col.length} values, expected ${n}`);
    }
    for (let s = 0; s < n; s += CH) {
      const nb = Math.min(CH, n - s);
      for (let j = 0; j < d; j++) xs.set((columns[j] as Float64Array).subarray(s, s + nb), j * CH);
      if (K.standardize(arena.ptr(0), CH, nb, d, arena.ptr(4), arena.ptr(5)) !== 0) throwInfinite(columns, n);
      K.logits(arena.ptr(0), CH, 0, nb, d, k, arena.ptr(1), arena.ptr(2), CH);
      K.softmaxRows(arena.ptr(2), CH, nb, k, arena.ptr(3));
      out.set(probs.subarray(0, nb * k), s * k);
    }
    return expandProba(out, n, this.classes, this.nClasses);
  }

  toJSON(): ModelState {
    return {
      kind: this.kind,
      version: VERSION,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      classes: Array.from(this.classes),
      params: { ...this.params },
      scaler: this.scaler.toJSON(),
      weights: Array.from(this.weights),
      intercepts: Array.from(this.intercepts),
      iterations: this.iterations,
      converged: this.converged,
    };
  }

  /** @throws DataError naming the field for malformed state (version, lengths, non-finite weights). */
  static fromJSON(state: unknown, where = 'model'): LogRegModel {
    const h = readHeader(state, 'logreg', VERSION, where);
    const k = h.classes.length;
    const o = h.o;
    const params = readLogRegParams(o['params'], `${where}.params`);
    return new LogRegModel(
      h.nClasses,
      h.nFeatures,
      h.classes,
      StandardScaler.fromJSON(o['scaler'], h.nFeatures, `${where}.scaler`),
      readF64(o['weights'], `${where}.weights`, k * h.nFeatures),
      readF64(o['intercepts'], `${where}.intercepts`, k),
      params,
      expectNumber(o['iterations'], `${where}.iterations`, { int: true, min: 0 }),
      o['converged'] === true,
    );
  }
}

/** The first infinite value in column order (as a column-at-a-time pass meets it). */
function throwInfinite(columns: readonly Float64Array[], n: number): never {
  for (let j = 0; j < columns.length; j++) {
    const col = columns[j] as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      if (v === Infinity || v === -Infinity) throw new DataError(`logreg model: feature ${j} row ${i} is infinite`);
    }
  }
  throw new Error('standardize reported an infinite value that is not there');
}

/** @throws UsageError for out-of-range parameters. */
export function readLogRegParams(v: unknown, where = 'logreg params'): LogRegParams {
  const p = { ...defaultLogRegParams(), ...(typeof v === 'object' && v !== null ? (v as Partial<LogRegParams>) : {}) };
  if (!(typeof p.C === 'number' && p.C > 0 && Number.isFinite(p.C))) throw new UsageError(`${where}: C must be a positive number, got ${JSON.stringify(p.C)}`);
  if (!(Number.isInteger(p.maxIter) && p.maxIter >= 1)) throw new UsageError(`${where}: maxIter must be a whole number ≥ 1, got ${JSON.stringify(p.maxIter)}`);
  if (!(typeof p.tol === 'number' && p.tol > 0)) throw new UsageError(`${where}: tol must be positive, got ${JSON.stringify(p.tol)}`);
  return { C: p.C, classWeight: checkClassWeight(p.classWeight), maxIter: p.maxIter, tol: p.tol };
}

/**
 * Fit multinomial logistic regression. Deterministic: L-BFGS from zero weights needs no randomness
 * (the Rng is accepted for the common fit signature).
 * @throws DataError for malformed input; UsageError for bad parameters.
 */
export function fitLogReg(input: FitInput, params: LogRegParams, _rng: Rng): LogRegModel {
  const p = readLogRegParams(params);
  const { n, nClasses } = input;
  const d = input.columns.length;
  const present = presentClasses(input, 'logreg');
  const k = present.classes.length;
  const scaler = StandardScaler.fit(input.columns, n);
  const cols = scaler.transformColumns(input.columns, n, 'logreg training data');
  const sw = sampleWeights(present.y, n, k, p.classWeight);
  if (k === 1) {
    return new LogRegModel(nClasses, d, present.classes, scaler, new Float64Array(d), new Float64Array(1), p, 0, true);
  }
  const y = present.y;
  const nw = k * d;
  const invN = 1 / n;
  const lambda = 1 / p.C;
  // Loss and gradient in one pass over blocks of B rows of the column-major data, in dense SIMD
  // kernels: the block's logits (class-major, B per class), then per row one exp per class for both
  // the loss and the residuals p − y (row-major, kp lanes), then the gradient. Every logit sums
  // b + Σⱼ w·x in feature order, the loss adds its rows in order, every gradient entry sums its rows
  // in row order, as a row-at-a-time loop would, and exp/log are fdlibm's as in V8's Math.exp/log, so
  // the result is bit-for-bit that of the plain JS loop. Nothing is allocated per call.
  const B = 256;
  const kp = k + (k % 2);
  const XC = 0;
  const TH = 1;
  const ZB = 2;
  const RB = 3;
  const G = 4;
  const Y = 5;
  const SW = 6;
  const arena = denseArena([n * d, nw + k, k * B, B * kp, nw + k, n, n]);
  const K = arena.exports;
  // column-major: feature j at [j * n, (j + 1) * n)
  const xc = arena.view(XC);
  for (let j = 0; j < d; j++) xc.set(cols[j] as Float64Array, j * n);
  cols.length = 0;
  arena.view(Y).set(y.subarray(0, n));
  arena.view(SW).set(sw.subarray(0, n));
  const th = arena.view(TH);
  const gw = arena.view(G);
  const [px, pth, pz, pr, pg, py, psw] = [XC, TH, ZB, RB, G, Y, SW].map((r) => arena.ptr(r)) as [number, number, number, number, number, number, number];
  const objective = (theta: Float64Array, g: Float64Array): number => {
    th.set(theta);
    gw.fill(0);
    let f = 0;
    for (let i0 = 0; i0 < n; i0 += B) {
      const nb = Math.min(B, n - i0);
      K.logits(px, n, i0, nb, d, k, pth, pz, B);
      f = K.logregSoftmax(pz, B, nb, k, py + 8 * i0, psw + 8 * i0, invN, pr, kp, f);
      K.logregGrad(px, n, i0, nb, d, k, kp, pr, pg);
    }
    g.set(gw);
    let reg = 0;
    for (let t = 0; t < nw; t++) {
      const w = theta[t] as number;
      reg += w * w;
      g[t] = (g[t] as number) + lambda * invN * w;
    }
    return f + 0.5 * lambda * invN * reg;
  };
  const res = lbfgs(objective, new Float64Array(nw + k), { gtol: p.tol, ftol: 1e-12, maxIter: p.maxIter, memory: 10 });
  // Intercepts are defined up to a common shift (unpenalised): centre them so the state is canonical.
  const b = res.x.slice(nw);
  let mb = 0;
  for (let c = 0; c < k; c++) mb += b[c] as number;
  mb /= k;
  for (let c = 0; c < k; c++) b[c] = (b[c] as number) - mb;
  return new LogRegModel(nClasses, d, present.classes, scaler, res.x.slice(0, nw), b, p, res.iterations, res.converged);
}
