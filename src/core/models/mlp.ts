import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber } from '../util/validate.js';
import { expandProba, presentClasses, readF64, readHeader, softmaxInPlace } from './optim/classes.js';
import { denseArena, type DenseKernels } from './dense-kernels.js';
import { StandardScaler } from './scaler.js';
import type { WasmArena } from '../util/wasm.js';
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

/**
 * A dense-kernel arena for the network: theta, then per layer the activations of up to `rows` rows,
 * and (when training) the deltas of up to `trainRows` rows, the gradient, Adam's two moments and a
 * transposed-weights scratch. Region indices are fixed by `regions`.
 */
interface Net {
  arena: WasmArena<DenseKernels>;
  k: DenseKernels;
  sizes: number[];
  /** Region of theta; acts[l] / deltas[l] are region numbers. */
  theta: number;
  acts: number[];
  deltas: number[];
  grad: number;
  m1: number;
  m2: number;
  wt: number;
  /** Byte offsets of W_l and b_l inside theta (and inside grad), per layer l ≥ 1 (index l − 1). */
  wOff: number[];
  bOff: number[];
}

function makeNet(sizes: number[], rows: number, trainRows: number): Net {
  const P = paramCount(sizes);
  const lengths = [P];
  const acts = sizes.map((s) => lengths.push(rows * s) - 1);
  const deltas = trainRows > 0 ? sizes.map((s) => lengths.push(trainRows * s) - 1) : [];
  let maxW = 0;
  for (let l = 2; l < sizes.length; l++) maxW = Math.max(maxW, (sizes[l - 1] as number) * (sizes[l] as number));
  const grad = trainRows > 0 ? lengths.push(P) - 1 : -1;
  const m1 = trainRows > 0 ? lengths.push(P) - 1 : -1;
  const m2 = trainRows > 0 ? lengths.push(P) - 1 : -1;
  const wt = trainRows > 0 ? lengths.push(maxW) - 1 : -1;
  const arena = denseArena(lengths);
  const wOff: number[] = [];
  const bOff: number[] = [];
  let off = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    wOff.push(off * 8);
    bOff.push((off + nin * nout) * 8);
    off += (nin + 1) * nout;
  }
  return { arena, k: arena.exports, sizes, theta: 0, acts, deltas, grad, m1, m2, wt, wOff, bOff };
}

/**
 * Forward pass of `b` rows already in acts[0]; the last activation holds probabilities. Each layer is
 * one matrix product Z = A·W + bias in the SIMD kernel (ReLU fused for hidden layers); every output
 * sums bias + Σⱼ a·w in input order, as a plain loop does.
 */
function forward(net: Net, b: number): void {
  const { arena, k, sizes } = net;
  const L = sizes.length - 1;
  const th = arena.ptr(net.theta);
  for (let l = 1; l <= L; l++) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    const zr = net.acts[l] as number;
    k.matmulBias(arena.ptr(net.acts[l - 1] as number), th + (net.wOff[l - 1] as number), th + (net.bOff[l - 1] as number), arena.ptr(zr), b, nin, nout, l < L ? 1 : 0);
    if (l === L) {
      const z = arena.f64;
      const z0 = arena.at[zr] as number;
      for (let i = 0; i < b; i++) softmaxInPlace(z, z0 + i * nout, nout);
    }
  }
}

function predictScaled(sizes: number[], theta: Float64Array, x: Float64Array, n: number): Float64Array {
  const net = makeNet(sizes, Math.min(CHUNK, Math.max(n, 1)), 0);
  net.arena.view(net.theta).set(theta);
  return forwardRows(net, x, n, CHUNK);
}

/** Probabilities of the n rows of x (row-major, scaled), `chunk` rows at a time through acts. */
function forwardRows(net: Net, x: Float64Array, n: number, chunk: number): Float64Array {
  const d = net.sizes[0] as number;
  const L = net.sizes.length - 1;
  const k = net.sizes[L] as number;
  const a0 = net.arena.view(net.acts[0] as number);
  const pOut = net.arena.view(net.acts[L] as number);
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s += chunk) {
    const b = Math.min(chunk, n - s);
    a0.set(x.subarray(s * d, (s + b) * d));
    forward(net, b);
    out.set(pOut.subarray(0, b * k), s * k);
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
  // activations for a training batch and for the validation rows (CHUNK at a time), deltas for a batch
  const net = makeNet(sizes, Math.max(bs, useVal ? Math.min(CHUNK, nVal) : 0), bs);
  const { arena } = net;
  const th = arena.view(net.theta);
  th.set(theta);
  const a0 = arena.view(net.acts[0] as number);
  const L = sizes.length - 1;
  const pOut = arena.view(net.acts[L] as number);
  const dOut = arena.view(net.deltas[L] as number);
  const idx = new Int32Array(nTrain);
  for (let i = 0; i < nTrain; i++) idx[i] = i;
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  let best = Infinity;
  let bestTheta = theta;
  let stall = 0;
  let epochs = 0;
  for (let epoch = 0; epoch < p.maxEpochs; epoch++) {
    epochs = epoch + 1;
    rng.shuffle(idx, nTrain);
    let trainLoss = 0;
    for (let s = 0; s < nTrain; s += bs) {
      const b = Math.min(bs, nTrain - s);
      for (let r = 0; r < b; r++) {
        const xo = (idx[s + r] as number) * d;
        for (let j = 0; j < d; j++) a0[r * d + j] = x[xo + j] as number;
      }
      forward(net, b);
      // Output delta: P − Y.
      for (let r = 0; r < b; r++) {
        const yi = y[idx[s + r] as number] as number;
        for (let c = 0; c < k; c++) dOut[r * k + c] = (pOut[r * k + c] as number) - (c === yi ? 1 : 0);
        trainLoss -= Math.log(Math.max(pOut[r * k + yi] as number, 1e-300));
      }
      backward(net, b, p.alpha);
      step++;
      const lr = (p.learningRate * Math.sqrt(1 - Math.pow(beta2, step))) / (1 - Math.pow(beta1, step));
      net.k.adam(arena.ptr(net.theta), arena.ptr(net.grad), arena.ptr(net.m1), arena.ptr(net.m2), th.length, lr, beta1, 1 - beta1, beta2, 1 - beta2, 1e-8);
    }
    // Without a validation tail, stall detection runs on the training loss (scikit-learn's default).
    const loss = useVal ? valLoss(net, x, y, nTrain, n) : trainLoss / nTrain;
    if (!Number.isFinite(loss)) break;
    if (loss < best - p.tol) stall = 0;
    else stall++;
    if (loss < best) {
      best = loss;
      if (useVal) bestTheta = th.slice();
    }
    if (stall >= p.nIterNoChange) break;
  }
  const finalTheta = useVal ? bestTheta : th.slice();
  return new MlpModel(nClasses, d, present.classes, scaler, sizes, finalTheta, p, epochs);
}

function valLoss(net: Net, x: Float64Array, y: Uint8Array, from: number, to: number): number {
  const d = net.sizes[0] as number;
  const k = net.sizes[net.sizes.length - 1] as number;
  const pr = forwardRows(net, x.subarray(from * d, to * d), to - from, Math.min(CHUNK, to - from));
  let loss = 0;
  for (let i = from; i < to; i++) loss -= Math.log(Math.max(pr[(i - from) * k + (y[i] as number)] as number, 1e-15));
  return loss / (to - from);
}

/**
 * Back-propagate deltas[L] through the layers into grad (mean over the batch + alpha·W / b), in the
 * SIMD kernels: the weight gradient Aᵀ·Δ (each entry sums its rows in row order after alpha·W), the
 * previous layer's delta Δ·Wᵀ (each sums its outputs in order, then the ReLU mask).
 */
function backward(net: Net, b: number, alpha: number): void {
  const { arena, k, sizes } = net;
  const L = sizes.length - 1;
  const th = arena.ptr(net.theta);
  const gr = arena.ptr(net.grad);
  const invB = 1 / b;
  for (let l = L; l >= 1; l--) {
    const nin = sizes[l - 1] as number;
    const nout = sizes[l] as number;
    const wo = net.wOff[l - 1] as number;
    const bo = net.bOff[l - 1] as number;
    const a = arena.ptr(net.acts[l - 1] as number);
    const delta = arena.ptr(net.deltas[l] as number);
    k.weightGrad(a, delta, th + wo, gr + wo, gr + bo, b, nin, nout, alpha, invB);
    if (l > 1) k.backDelta(a, delta, th + wo, arena.ptr(net.wt), arena.ptr(net.deltas[l - 1] as number), b, nin, nout);
  }
}
