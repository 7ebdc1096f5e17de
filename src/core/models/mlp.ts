import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber } from '../util/validate.js';
import { expandProba, presentClasses, readF64, readHeader, softmaxInPlace } from './optim/classes.js';
import { StandardScaler } from './scaler.js';
import type { Classifier, FitInput, ModelState } from './types.js';

export interface MlpParams {
  hiddenLayers: number[];
  learningRate: number;
  batchSize: number;
  /** L2 penalty, as scikit-learn's alpha (gradient += alpha·W / batch). */
  alpha: number;
  maxEpochs: number;
  /** Hold out the chronologically LAST fraction of training rows and stop when its loss stalls. */
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
}

/** scikit-learn MLPClassifier defaults, except early stopping is on (on a chronological tail). */
export function defaultMlpParams(): MlpParams {
  return {
    hiddenLayers: [100],
    learningRate: 1e-3,
    batchSize: 200,
    alpha: 1e-4,
    maxEpochs: 200,
    earlyStopping: true,
    validationFraction: 0.1,
    nIterNoChange: 10,
    tol: 1e-4,
  };
}

const VERSION = 1;
const CHUNK = 512;

/**
 * Feed-forward network: ReLU hidden layers, softmax output, trained by Adam on minibatches of
 * standardised features. Parameters live in one flat array: per layer W (in × out, row-major) then b.
 * NaN features become the training mean (0 after scaling).
 */
export class MlpModel implements Classifier {
  readonly kind = 'mlp';
  constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    readonly classes: Int32Array,
    readonly scaler: StandardScaler,
    readonly sizes: number[],
    readonly theta: Float64Array,
    readonly params: MlpParams,
    readonly epochs: number,
  ) {}

  /** @throws DataError when the column count differs from the fitted one or a value is infinite. */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    const x = this.scaler.transform(columns, n, 'mlp model');
    const k = this.classes.length;
    const out = predictScaled(this.sizes, this.theta, x, n);
    return k === 1 ? expandProba(new Float64Array(n).fill(1), n, this.classes, this.nClasses) : expandProba(out, n, this.classes, this.nClasses);
  }

  toJSON(): ModelState {
    return {
      kind: this.kind,
      version: VERSION,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      classes: Array.from(this.classes),
      params: { ...this.params, hiddenLayers: [...this.params.hiddenLayers] },
      scaler: this.scaler.toJSON(),
      sizes: [...this.sizes],
      theta: Array.from(this.theta),
      epochs: this.epochs,
    };
  }

  /** @throws DataError naming the field for malformed state (version, layer sizes, parameter count, non-finite values). */
  static fromJSON(state: unknown, where = 'model'): MlpModel {
    const h = readHeader(state, 'mlp', VERSION, where);
    const o = h.o;
    const sizes = expectArray(o['sizes'], `${where}.sizes`).map((v, i) => expectNumber(v, `${where}.sizes[${i}]`, { int: true, min: 1 }));
    if (sizes.length < 2 || sizes[0] !== h.nFeatures || sizes[sizes.length - 1] !== Math.max(h.classes.length, 2)) {
      throw new DataError(`${where}.sizes must run from nFeatures ${h.nFeatures} to the class count, got [${sizes.join(', ')}]`);
    }
    if (h.nFeatures === 0) throw new DataError(`${where}.nFeatures must be ≥ 1`);
    return new MlpModel(
      h.nClasses,
      h.nFeatures,
      h.classes,
      StandardScaler.fromJSON(o['scaler'], h.nFeatures, `${where}.scaler`),
      sizes,
      readF64(o['theta'], `${where}.theta`, paramCount(sizes)),
      readMlpParams(o['params'], `${where}.params`),
      expectNumber(o['epochs'], `${where}.epochs`, { int: true, min: 0 }),
    );
  }
}

/** @throws UsageError for out-of-range parameters. */
export function readMlpParams(v: unknown, where = 'mlp params'): MlpParams {
  const p = { ...defaultMlpParams(), ...(typeof v === 'object' && v !== null ? (v as Partial<MlpParams>) : {}) };
  const bad = (name: string, val: unknown, what: string): never => {
    throw new UsageError(`${where}: ${name} must be ${what}, got ${JSON.stringify(val)}`);
  };
  if (!Array.isArray(p.hiddenLayers) || p.hiddenLayers.length === 0 || !p.hiddenLayers.every((h) => Number.isInteger(h) && h >= 1)) {
    bad('hiddenLayers', p.hiddenLayers, 'a non-empty list of whole numbers ≥ 1');
  }
  if (!(typeof p.learningRate === 'number' && p.learningRate > 0 && Number.isFinite(p.learningRate))) bad('learningRate', p.learningRate, 'positive');
  if (!(Number.isInteger(p.batchSize) && p.batchSize >= 1)) bad('batchSize', p.batchSize, 'a whole number ≥ 1');
  if (!(typeof p.alpha === 'number' && p.alpha >= 0 && Number.isFinite(p.alpha))) bad('alpha', p.alpha, '≥ 0');
  if (!(Number.isInteger(p.maxEpochs) && p.maxEpochs >= 1)) bad('maxEpochs', p.maxEpochs, 'a whole number ≥ 1');
  if (typeof p.earlyStopping !== 'boolean') bad('earlyStopping', p.earlyStopping, 'true or false');
  if (!(typeof p.validationFraction === 'number' && p.validationFraction > 0 && p.validationFraction < 1)) bad('validationFraction', p.validationFraction, 'in (0, 1)');
  if (!(Number.isInteger(p.nIterNoChange) && p.nIterNoChange >= 1)) bad('nIterNoChange', p.nIterNoChange, 'a whole number ≥ 1');
  if (!(typeof p.tol === 'number' && p.tol >= 0)) bad('tol', p.tol, '≥ 0');
  return { ...p, hiddenLayers: [...p.hiddenLayers] };
}

function paramCount(sizes: number[]): number {
  let c = 0;
  for (let l = 1; l < sizes.length; l++) c += ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
  return c;
}

/** Buffers for a batch of up to `rows` rows: activations per layer and deltas. */
interface Work {
  acts: Float64Array[];
  deltas: Float64Array[];
}

function makeWork(sizes: number[], rows: number): Work {
  return { acts: sizes.map((s) => new Float64Array(rows * s)), deltas: sizes.map((s) => new Float64Array(rows * s)) };
}

/**
 * Forward pass of `b` rows already in acts[0]; the last activation holds probabilities. Each layer is
 * one matrix product Z = A·W + bias, computed in register tiles of 4 rows × 2 outputs (six loads feed
 * eight multiply-adds, nothing is stored until a tile is done); every output still sums
 * bias + Σⱼ a·w in input order.
 */
function forward(sizes: number[], theta: Float64Array, w: Work, b: number): void {
  let off = 0;
  const L = sizes.length - 1;
  for (let l = 1; l <= L; l++) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    const a = w.acts[l - 1] as Float64Array;
    const z = w.acts[l] as Float64Array;
    const bo = off + nin * nout;
    matmulBias(a, theta, off, bo, z, b, nin, nout);
    if (l < L) {
      for (let t = 0; t < b * nout; t++) if ((z[t] as number) < 0) z[t] = 0;
    } else {
      for (let i = 0; i < b; i++) softmaxInPlace(z, i * nout, nout);
    }
    off = bo + nout;
  }
}

/** z (b × nout) = a (b × nin) · W + bias, W = theta[wo ..] row-major (nin × nout), bias at theta[bo ..]. */
function matmulBias(a: Float64Array, theta: Float64Array, wo: number, bo: number, z: Float64Array, b: number, nin: number, nout: number): void {
  const b4 = b - (b % 4);
  const n2 = nout - (nout % 2);
  for (let i = 0; i < b4; i += 4) {
    const a0 = i * nin;
    const a1 = a0 + nin;
    const a2 = a1 + nin;
    const a3 = a2 + nin;
    for (let o = 0; o < n2; o += 2) {
      const bA = theta[bo + o] as number;
      const bB = theta[bo + o + 1] as number;
      let z0A = bA;
      let z0B = bB;
      let z1A = bA;
      let z1B = bB;
      let z2A = bA;
      let z2B = bB;
      let z3A = bA;
      let z3B = bB;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) {
        const wA = theta[wj] as number;
        const wB = theta[wj + 1] as number;
        const v0 = a[a0 + j] as number;
        const v1 = a[a1 + j] as number;
        const v2 = a[a2 + j] as number;
        const v3 = a[a3 + j] as number;
        z0A += v0 * wA;
        z0B += v0 * wB;
        z1A += v1 * wA;
        z1B += v1 * wB;
        z2A += v2 * wA;
        z2B += v2 * wB;
        z3A += v3 * wA;
        z3B += v3 * wB;
      }
      const zo = i * nout + o;
      z[zo] = z0A;
      z[zo + 1] = z0B;
      z[zo + nout] = z1A;
      z[zo + nout + 1] = z1B;
      z[zo + 2 * nout] = z2A;
      z[zo + 2 * nout + 1] = z2B;
      z[zo + 3 * nout] = z3A;
      z[zo + 3 * nout + 1] = z3B;
    }
    for (let o = n2; o < nout; o++) {
      const bA = theta[bo + o] as number;
      let z0 = bA;
      let z1 = bA;
      let z2 = bA;
      let z3 = bA;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) {
        const wA = theta[wj] as number;
        z0 += (a[a0 + j] as number) * wA;
        z1 += (a[a1 + j] as number) * wA;
        z2 += (a[a2 + j] as number) * wA;
        z3 += (a[a3 + j] as number) * wA;
      }
      z[i * nout + o] = z0;
      z[(i + 1) * nout + o] = z1;
      z[(i + 2) * nout + o] = z2;
      z[(i + 3) * nout + o] = z3;
    }
  }
  for (let i = b4; i < b; i++) {
    const ar = i * nin;
    for (let o = 0; o < nout; o++) {
      let s = theta[bo + o] as number;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) s += (a[ar + j] as number) * (theta[wj] as number);
      z[i * nout + o] = s;
    }
  }
}

function predictScaled(sizes: number[], theta: Float64Array, x: Float64Array, n: number): Float64Array {
  const d = sizes[0] as number;
  const k = sizes[sizes.length - 1] as number;
  const w = makeWork(sizes, Math.min(CHUNK, Math.max(n, 1)));
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s += CHUNK) {
    const b = Math.min(CHUNK, n - s);
    (w.acts[0] as Float64Array).set(x.subarray(s * d, (s + b) * d));
    forward(sizes, theta, w, b);
    out.set((w.acts[sizes.length - 1] as Float64Array).subarray(0, b * k), s * k);
  }
  return out;
}

/**
 * Fit the network. Seeded Glorot-uniform initialisation and per-epoch minibatch shuffles; with early
 * stopping the last `validationFraction` of rows (chronological, never shuffled into training) is
 * held out, training stops after `nIterNoChange` epochs without its log-loss improving by `tol`, and
 * the best epoch's weights are kept. (scikit-learn scores the validation set by accuracy; log-loss is
 * smoother on noisy 5-class labels.)
 * @throws DataError for malformed input; UsageError for bad parameters.
 */
export function fitMlp(input: FitInput, params: MlpParams, rng: Rng): MlpModel {
  const p = readMlpParams(params);
  const { n, nClasses } = input;
  const d = input.columns.length;
  if (d === 0) throw new DataError('mlp: no feature columns');
  const present = presentClasses(input, 'mlp');
  // A single present class still gets a 2-unit output so the state shape stays regular.
  const k = Math.max(present.classes.length, 2);
  const scaler = StandardScaler.fit(input.columns, n);
  const x = scaler.transform(input.columns, n, 'mlp training data');
  const y = present.y;
  const sizes = [d, ...p.hiddenLayers, k];
  const theta = new Float64Array(paramCount(sizes));
  let off = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    const bound = Math.sqrt(6 / (nin + nout));
    for (let t = 0; t < (nin + 1) * nout; t++) theta[off + t] = (2 * rng.next() - 1) * bound;
    off += (nin + 1) * nout;
  }
  const nVal = p.earlyStopping ? Math.floor(n * p.validationFraction) : 0;
  const useVal = nVal >= 1 && n - nVal >= 1;
  const nTrain = useVal ? n - nVal : n;
  const bs = Math.min(p.batchSize, nTrain);
  const w = makeWork(sizes, bs);
  const grad = new Float64Array(theta.length);
  const m1 = new Float64Array(theta.length);
  const m2 = new Float64Array(theta.length);
  const idx = new Int32Array(nTrain);
  for (let i = 0; i < nTrain; i++) idx[i] = i;
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  let best = Infinity;
  let bestTheta = theta.slice();
  let stall = 0;
  let epochs = 0;
  const L = sizes.length - 1;
  for (let epoch = 0; epoch < p.maxEpochs; epoch++) {
    epochs = epoch + 1;
    rng.shuffle(idx, nTrain);
    let trainLoss = 0;
    for (let s = 0; s < nTrain; s += bs) {
      const b = Math.min(bs, nTrain - s);
      const a0 = w.acts[0] as Float64Array;
      for (let r = 0; r < b; r++) {
        const xo = (idx[s + r] as number) * d;
        for (let j = 0; j < d; j++) a0[r * d + j] = x[xo + j] as number;
      }
      forward(sizes, theta, w, b);
      // Output delta: P − Y.
      const pOut = w.acts[L] as Float64Array;
      const dOut = w.deltas[L] as Float64Array;
      for (let r = 0; r < b; r++) {
        const yi = y[idx[s + r] as number] as number;
        for (let c = 0; c < k; c++) dOut[r * k + c] = (pOut[r * k + c] as number) - (c === yi ? 1 : 0);
        trainLoss -= Math.log(Math.max(pOut[r * k + yi] as number, 1e-300));
      }
      backward(sizes, theta, w, b, grad, p.alpha);
      step++;
      const lr = (p.learningRate * Math.sqrt(1 - Math.pow(beta2, step))) / (1 - Math.pow(beta1, step));
      for (let t = 0; t < theta.length; t++) {
        const g = grad[t] as number;
        const a = beta1 * (m1[t] as number) + (1 - beta1) * g;
        const v = beta2 * (m2[t] as number) + (1 - beta2) * g * g;
        m1[t] = a;
        m2[t] = v;
        theta[t] = (theta[t] as number) - (lr * a) / (Math.sqrt(v) + 1e-8);
      }
    }
    // Without a validation tail, stall detection runs on the training loss (scikit-learn's default).
    const loss = useVal ? valLoss(sizes, theta, x, y, nTrain, n) : trainLoss / nTrain;
    if (!Number.isFinite(loss)) break;
    if (loss < best - p.tol) stall = 0;
    else stall++;
    if (loss < best) {
      best = loss;
      if (useVal) bestTheta = theta.slice();
    }
    if (stall >= p.nIterNoChange) break;
  }
  const finalTheta = useVal ? bestTheta : theta;
  return new MlpModel(nClasses, d, present.classes, scaler, sizes, finalTheta, p, epochs);
}

function valLoss(sizes: number[], theta: Float64Array, x: Float64Array, y: Uint8Array, from: number, to: number): number {
  const d = sizes[0] as number;
  const k = sizes[sizes.length - 1] as number;
  const pr = predictScaled(sizes, theta, x.subarray(from * d, to * d), to - from);
  let loss = 0;
  for (let i = from; i < to; i++) loss -= Math.log(Math.max(pr[(i - from) * k + (y[i] as number)] as number, 1e-15));
  return loss / (to - from);
}

/**
 * Back-propagate deltas[L] through the layers into grad (mean over the batch + alpha·W / b). Both
 * products run in register tiles: the weight gradient Aᵀ·Δ in 2 inputs × 4 outputs (each entry sums
 * its rows in row order after alpha·W), the previous layer's delta Δ·Wᵀ in 4 rows × 2 inputs (each
 * sums its outputs in order, then the ReLU mask).
 */
function backward(sizes: number[], theta: Float64Array, w: Work, b: number, grad: Float64Array, alpha: number): void {
  const L = sizes.length - 1;
  let off = 0;
  for (let l = 1; l < L; l++) off += ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
  const invB = 1 / b;
  for (let l = L; l >= 1; l--) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    const wo = off;
    const bo = wo + nin * nout;
    const a = w.acts[l - 1] as Float64Array;
    const delta = w.deltas[l] as Float64Array;
    weightGrad(a, delta, theta, grad, wo, b, nin, nout, alpha);
    for (let o = 0; o < nout; o++) {
      let s = 0;
      for (let i = 0, dl = o; i < b; i++, dl += nout) s += delta[dl] as number;
      grad[bo + o] = s;
    }
    for (let t = wo; t < bo + nout; t++) grad[t] = (grad[t] as number) * invB;
    if (l > 1) backDelta(a, delta, theta, w.deltas[l - 1] as Float64Array, wo, b, nin, nout);
    if (l > 1) off -= ((sizes[l - 2] as number) + 1) * nin;
  }
}

/** grad[wo + j·nout + o] = alpha·W[j][o] + Σᵢ a[i][j]·δ[i][o] (rows in order). */
function weightGrad(a: Float64Array, delta: Float64Array, theta: Float64Array, grad: Float64Array, wo: number, b: number, nin: number, nout: number, alpha: number): void {
  const j2 = nin - (nin % 2);
  const o4 = nout - (nout % 4);
  for (let j = 0; j < j2; j += 2) {
    const gA = wo + j * nout;
    const gB = gA + nout;
    for (let o = 0; o < o4; o += 4) {
      let a0 = alpha * (theta[gA + o] as number);
      let a1 = alpha * (theta[gA + o + 1] as number);
      let a2 = alpha * (theta[gA + o + 2] as number);
      let a3 = alpha * (theta[gA + o + 3] as number);
      let b0 = alpha * (theta[gB + o] as number);
      let b1 = alpha * (theta[gB + o + 1] as number);
      let b2 = alpha * (theta[gB + o + 2] as number);
      let b3 = alpha * (theta[gB + o + 3] as number);
      for (let i = 0, ai = j, di = o; i < b; i++, ai += nin, di += nout) {
        const vA = a[ai] as number;
        const vB = a[ai + 1] as number;
        const d0 = delta[di] as number;
        const d1 = delta[di + 1] as number;
        const d2 = delta[di + 2] as number;
        const d3 = delta[di + 3] as number;
        a0 += vA * d0;
        a1 += vA * d1;
        a2 += vA * d2;
        a3 += vA * d3;
        b0 += vB * d0;
        b1 += vB * d1;
        b2 += vB * d2;
        b3 += vB * d3;
      }
      grad[gA + o] = a0;
      grad[gA + o + 1] = a1;
      grad[gA + o + 2] = a2;
      grad[gA + o + 3] = a3;
      grad[gB + o] = b0;
      grad[gB + o + 1] = b1;
      grad[gB + o + 2] = b2;
      grad[gB + o + 3] = b3;
    }
    for (let o = o4; o < nout; o++) {
      let a0 = alpha * (theta[gA + o] as number);
      let b0 = alpha * (theta[gB + o] as number);
      for (let i = 0, ai = j, di = o; i < b; i++, ai += nin, di += nout) {
        const d0 = delta[di] as number;
        a0 += (a[ai] as number) * d0;
        b0 += (a[ai + 1] as number) * d0;
      }
      grad[gA + o] = a0;
      grad[gB + o] = b0;
    }
  }
  for (let j = j2; j < nin; j++) {
    for (let o = 0; o < nout; o++) {
      let g = alpha * (theta[wo + j * nout + o] as number);
      for (let i = 0; i < b; i++) g += (a[i * nin + j] as number) * (delta[i * nout + o] as number);
      grad[wo + j * nout + o] = g;
    }
  }
}

/** prev[i][j] = a[i][j] > 0 ? Σₒ δ[i][o]·W[j][o] (outputs in order) : 0 (ReLU derivative). */
function backDelta(a: Float64Array, delta: Float64Array, theta: Float64Array, prev: Float64Array, wo: number, b: number, nin: number, nout: number): void {
  const b4 = b - (b % 4);
  const j2 = nin - (nin % 2);
  for (let i = 0; i < b4; i += 4) {
    const d0 = i * nout;
    const d1 = d0 + nout;
    const d2 = d1 + nout;
    const d3 = d2 + nout;
    for (let j = 0; j < j2; j += 2) {
      const wA = wo + j * nout;
      const wB = wA + nout;
      let s0A = 0;
      let s0B = 0;
      let s1A = 0;
      let s1B = 0;
      let s2A = 0;
      let s2B = 0;
      let s3A = 0;
      let s3B = 0;
      for (let o = 0; o < nout; o++) {
        const tA = theta[wA + o] as number;
        const tB = theta[wB + o] as number;
        const e0 = delta[d0 + o] as number;
        const e1 = delta[d1 + o] as number;
        const e2 = delta[d2 + o] as number;
        const e3 = delta[d3 + o] as number;
        s0A += e0 * tA;
        s0B += e0 * tB;
        s1A += e1 * tA;
        s1B += e1 * tB;
        s2A += e2 * tA;
        s2B += e2 * tB;
        s3A += e3 * tA;
        s3B += e3 * tB;
      }
      const p0 = i * nin + j;
      prev[p0] = (a[p0] as number) > 0 ? s0A : 0;
      prev[p0 + 1] = (a[p0 + 1] as number) > 0 ? s0B : 0;
      prev[p0 + nin] = (a[p0 + nin] as number) > 0 ? s1A : 0;
      prev[p0 + nin + 1] = (a[p0 + nin + 1] as number) > 0 ? s1B : 0;
      prev[p0 + 2 * nin] = (a[p0 + 2 * nin] as number) > 0 ? s2A : 0;
      prev[p0 + 2 * nin + 1] = (a[p0 + 2 * nin + 1] as number) > 0 ? s2B : 0;
      prev[p0 + 3 * nin] = (a[p0 + 3 * nin] as number) > 0 ? s3A : 0;
      prev[p0 + 3 * nin + 1] = (a[p0 + 3 * nin + 1] as number) > 0 ? s3B : 0;
    }
    for (let j = j2; j < nin; j++) for (let r = i; r < i + 4; r++) prev[r * nin + j] = deltaDot(a, delta, theta, wo, r, j, nin, nout);
  }
  for (let i = b4; i < b; i++) for (let j = 0; j < nin; j++) prev[i * nin + j] = deltaDot(a, delta, theta, wo, i, j, nin, nout);
}

function deltaDot(a: Float64Array, delta: Float64Array, theta: Float64Array, wo: number, i: number, j: number, nin: number, nout: number): number {
  if ((a[i * nin + j] as number) <= 0) return 0;
  let s = 0;
  for (let o = 0; o < nout; o++) s += (delta[i * nout + o] as number) * (theta[wo + j * nout + o] as number);
  return s;
}
