import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber, expectObject } from '../util/validate.js';
import { checkClassWeight, expandProba, presentClasses, readF64, readHeader, type ClassWeight } from './optim/classes.js';
import { pairwiseCoupling, sigmoidPredict, sigmoidTrain } from './optim/platt.js';
import { solveSmo, type SmoProblem, type SmoResult } from './optim/smo.js';
import { StandardScaler } from './scaler.js';
import { predictDecisions, SvcWasm } from './svc-wasm.js';
import type { Classifier, FitInput, ModelState } from './types.js';

export interface SvcParams {
  C: number;
  /** RBF width; 'scale' = 1 / (nFeatures · variance of the scaled training matrix), as scikit-learn. */
  gamma: 'scale' | number;
  classWeight: ClassWeight;
  /**
   * SVC costs O(n²) memory and time: only the most RECENT `maxTrainRows` training rows are used
   * (the scaler is fitted on those too). null uses every row.
   */
  maxTrainRows: number | null;
  /** Folds of the internal cross-validation that fits the Platt sigmoids (libsvm uses 5). */
  probabilityFolds: number;
  /** SMO stopping tolerance on the maximal KKT violation (libsvm/scikit-learn tol 1e-3). */
  tol: number;
}

/** scikit-learn SVC(kernel='rbf', C=1, gamma='scale', probability=True) plus the row cap. */
export function defaultSvcParams(): SvcParams {
  return { C: 1, gamma: 'scale', classWeight: null, maxTrainRows: 5000, probabilityFolds: 5, tol: 1e-3 };
}

const VERSION = 1;
const MIN_PROB = 1e-7;

/** One one-vs-one machine: class a (positive) against class b, on a subset of the support vectors. */
export interface SvcPair {
  a: number;
  b: number;
  /** Slots into the model's support-vector rows. */
  sv: Int32Array;
  /** αᵢ·yᵢ per support vector. */
  coef: Float64Array;
  rho: number;
  /** Platt sigmoid: P(a | a or b) = 1 / (1 + exp(probA·f + probB)). */
  probA: number;
  probB: number;
}

/**
 * RBF-kernel support vector classifier with probabilities, written after libsvm: one-vs-one binary
 * C-SVMs solved by SMO, each calibrated by a Platt sigmoid fitted on internal cross-validation
 * decision values, and the pairwise probabilities coupled (Wu, Lin & Weng). Features are
 * standardised; NaN becomes the training mean (0 after scaling).
 */
export class SvcModel implements Classifier {
  readonly kind = 'svc';
  constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    readonly classes: Int32Array,
    readonly scaler: StandardScaler,
    readonly gamma: number,
    /** Support vectors (scaled), row-major. */
    readonly svX: Float64Array,
    readonly pairs: SvcPair[],
    readonly params: SvcParams,
  ) {}

  get nSupport(): number {
    return this.nFeatures === 0 ? 0 : this.svX.length / this.nFeatures;
  }

  /**
   * `kernels`: 'wasm' (default) computes the kernel rows in src/wasm/svc.ts, 'js' in the plain loop
   * (the same probabilities to the bit).
   * @throws DataError when the column count differs from the fitted one or a value is infinite.
   */
  predictProba(columns: readonly Float64Array[], n: number, kernels: 'wasm' | 'js' = 'wasm'): Float64Array {
    const x = this.scaler.transform(columns, n, 'svc model');
    const k = this.classes.length;
    const out = new Float64Array(n * k);
    if (k === 1) {
      out.fill(1);
      return expandProba(out, n, this.classes, this.nClasses);
    }
    const d = this.nFeatures;
    const ns = this.nSupport;
    const r = new Float64Array(k * k);
    const p = new Float64Array(k);
    const Q = new Float64Array(k * k);
    const Qp = new Float64Array(k);
    // probabilities of query i from its pairs' decision values f(q) = dec[q·stride + at]
    const finish = (i: number, dec: Float64Array, stride: number, at: number): void => {
      for (let q = 0; q < this.pairs.length; q++) {
        const pr = this.pairs[q] as SvcPair;
        const pab = Math.min(Math.max(sigmoidPredict(dec[q * stride + at] as number, pr.probA, pr.probB), MIN_PROB), 1 - MIN_PROB);
        r[pr.a * k + pr.b] = pab;
        r[pr.b * k + pr.a] = 1 - pab;
      }
      pairwiseCoupling(r, k, p, Q, Qp);
      out.set(p, i * k);
    };
    if (kernels === 'wasm' && n > 0 && ns > 0 && predictDecisions(x, n, this.svX, ns, d, this.gamma, this.pairs, (i0, i1, dec) => {
      for (let i = i0; i < i1; i++) finish(i, dec, i1 - i0, i - i0);
    })) {
      return expandProba(out, n, this.classes, this.nClasses);
    }
    const kv = new Float64Array(ns);
    const dec = new Float64Array(this.pairs.length);
    const sv = this.svX;
    const g = this.gamma;
    for (let i = 0; i < n; i++) {
      const qo = i * d;
      for (let s = 0; s < ns; s++) {
        const so = s * d;
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const diff = (x[qo + j] as number) - (sv[so + j] as number);
          dist += diff * diff;
        }
        kv[s] = Math.exp(-g * dist);
      }
      for (let q = 0; q < this.pairs.length; q++) {
        const pr = this.pairs[q] as SvcPair;
        let f = -pr.rho;
        for (let t = 0; t < pr.sv.length; t++) f += (pr.coef[t] as number) * (kv[pr.sv[t] as number] as number);
        dec[q] = f;
      }
      finish(i, dec, 1, 0);
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
      gamma: this.gamma,
      svX: Array.from(this.svX),
      pairs: this.pairs.map((q) => ({ a: q.a, b: q.b, sv: Array.from(q.sv), coef: Array.from(q.coef), rho: q.rho, probA: q.probA, probB: q.probB })),
    };
  }

  /** @throws DataError naming the field for malformed state (version, lengths, pair layout, non-finite values). */
  static fromJSON(state: unknown, where = 'model'): SvcModel {
    const h = readHeader(state, 'svc', VERSION, where);
    const o = h.o;
    const d = h.nFeatures;
    const k = h.classes.length;
    const gamma = expectNumber(o['gamma'], `${where}.gamma`, { min: Number.MIN_VALUE });
    const svRaw = expectArray(o['svX'], `${where}.svX`);
    if (d === 0 || svRaw.length % d !== 0) throw new DataError(`${where}.svX must hold whole rows of ${d} features, got ${svRaw.length} values`);
    const svX = readF64(svRaw, `${where}.svX`, svRaw.length);
    const ns = svRaw.length / d;
    const pairsRaw = expectArray(o['pairs'], `${where}.pairs`, (k * (k - 1)) / 2);
    const pairs: SvcPair[] = [];
    let q = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++, q++) {
        const w = `${where}.pairs[${q}]`;
        const po = expectObject(pairsRaw[q], w);
        if (po['a'] !== a || po['b'] !== b) throw new DataError(`${w} must be the pair (${a}, ${b}), got (${String(po['a'])}, ${String(po['b'])})`);
        const svList = expectArray(po['sv'], `${w}.sv`);
        const sv = new Int32Array(svList.length);
        for (let t = 0; t < svList.length; t++) sv[t] = expectNumber(svList[t], `${w}.sv[${t}]`, { int: true, min: 0, max: ns - 1 });
        pairs.push({
          a,
          b,
          sv,
          coef: readF64(po['coef'], `${w}.coef`, sv.length),
          rho: expectNumber(po['rho'], `${w}.rho`),
          probA: expectNumber(po['probA'], `${w}.probA`),
          probB: expectNumber(po['probB'], `${w}.probB`),
        });
      }
    }
    let params: SvcParams;
    try {
      params = readSvcParams(o['params']);
    } catch (e) {
      throw new DataError(`${where}.params: ${(e as Error).message}`);
    }
    return new SvcModel(h.nClasses, d, h.classes, StandardScaler.fromJSON(o['scaler'], d, `${where}.scaler`), gamma, svX, pairs, params);
  }
}

/** @throws UsageError for out-of-range parameters. */
export function readSvcParams(v: unknown, where = 'svc params'): SvcParams {
  const p = { ...defaultSvcParams(), ...(typeof v === 'object' && v !== null ? (v as Partial<SvcParams>) : {}) };
  const bad = (name: string, val: unknown, what: string): never => {
    throw new UsageError(`${where}: ${name} must be ${what}, got ${JSON.stringify(val)}`);
  };
  if (!(typeof p.C === 'number' && p.C > 0 && Number.isFinite(p.C))) bad('C', p.C, 'a positive number');
  if (!(p.gamma === 'scale' || (typeof p.gamma === 'number' && p.gamma > 0 && Number.isFinite(p.gamma)))) bad('gamma', p.gamma, '"scale" or a positive number');
  if (!(p.maxTrainRows === null || (Number.isInteger(p.maxTrainRows) && p.maxTrainRows >= 2))) bad('maxTrainRows', p.maxTrainRows, 'null or a whole number ≥ 2');
  if (!(Number.isInteger(p.probabilityFolds) && p.probabilityFolds >= 2)) bad('probabilityFolds', p.probabilityFolds, 'a whole number ≥ 2');
  if (!(typeof p.tol === 'number' && p.tol > 0)) bad('tol', p.tol, 'positive');
  return { C: p.C, gamma: p.gamma, classWeight: checkClassWeight(p.classWeight), maxTrainRows: p.maxTrainRows, probabilityFolds: p.probabilityFolds, tol: p.tol };
}

/**
 * Fit the SVC on the most recent `maxTrainRows` rows. Seeded: the Rng only drives the fold
 * assignment of the Platt cross-validation (one forked stream per class pair).
 * Memory: each class pair holds its kernel matrix, m² float32 values for m rows of the two classes;
 * the WebAssembly path also keeps every class's own block (Σ n_c² float32) and one cross block.
 * `kernels`: 'wasm' (default) solves in the WebAssembly kernels of src/wasm/svc.ts, 'js' in the plain
 * loops (the same model to the bit; also the path when the kernel matrix exceeds WebAssembly's memory).
 * @throws DataError for malformed input; UsageError for bad parameters.
 */
export function fitSvc(input: FitInput, params: SvcParams, rng: Rng, kernels: 'wasm' | 'js' = 'wasm'): SvcModel {
  const p = readSvcParams(params);
  const d = input.columns.length;
  if (d === 0) throw new DataError('svc: no feature columns');
  const from = p.maxTrainRows !== null && input.n > p.maxTrainRows ? input.n - p.maxTrainRows : 0;
  const n = input.n - from;
  const cols = input.columns.map((c) => c.subarray(from, input.n));
  const trimmed: FitInput = { columns: cols, n, y: input.y.subarray(from, input.n), nClasses: input.nClasses };
  const present = presentClasses(trimmed, 'svc');
  const k = present.classes.length;
  const scaler = StandardScaler.fit(cols, n);
  const x = scaler.transform(cols, n, 'svc training data');
  const gamma = p.gamma === 'scale' ? scaleGamma(x, d) : p.gamma;
  const y = present.y;
  const count = new Float64Array(k);
  for (let i = 0; i < n; i++) count[y[i] as number] = (count[y[i] as number] as number) + 1;
  const cClass = new Float64Array(k);
  for (let c = 0; c < k; c++) cClass[c] = p.classWeight === 'balanced' ? (p.C * n) / (k * (count[c] as number)) : p.C;
  let wasm: SvcWasm | null = null;
  if (kernels === 'wasm') {
    let maxM = 0;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) maxM = Math.max(maxM, (count[a] as number) + (count[b] as number));
    const folds = Math.min(p.probabilityFolds, maxM);
    wasm = SvcWasm.create(maxM, maxM - Math.floor(maxM / folds), d, Array.from(count));
  }
  // rows of each class in row order, and each row's position in its class (for the class blocks)
  const rowsByClass: Int32Array[] = [];
  const posOf = new Int32Array(n);
  if (wasm !== null) {
    const fill = new Int32Array(k);
    for (let c = 0; c < k; c++) rowsByClass.push(new Int32Array(count[c] as number));
    for (let i = 0; i < n; i++) {
      const c = y[i] as number;
      posOf[i] = fill[c] as number;
      (rowsByClass[c] as Int32Array)[fill[c] as number] = i;
      fill[c] = (fill[c] as number) + 1;
    }
    wasm.classBlocks(x, rowsByClass, gamma);
  }
  const solve = wasm === null ? solveSmo : (pr: SmoProblem): SmoResult => (wasm as SvcWasm).solve(pr);
  const slotOf = new Int32Array(n).fill(-1);
  const svRows: number[] = [];
  const raw: { a: number; b: number; rows: number[]; coef: number[]; rho: number; A: number; B: number }[] = [];
  let q = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++, q++) {
      const members: number[] = [];
      for (let i = 0; i < n; i++) if (y[i] === a || y[i] === b) members.push(i);
      const m = members.length;
      const K = wasm === null ? kernelMatrix(x, d, members, gamma) : wasm.pairKernel(x, rowsByClass, a, b, members, y, posOf, gamma);
      const yy = new Int8Array(m);
      for (let t = 0; t < m; t++) yy[t] = y[members[t] as number] === a ? 1 : -1;
      const cPos = cClass[a] as number;
      const cNeg = cClass[b] as number;
      const decide = wasm === null ? decideJs(K, m) : (rows: Int32Array, cols: Int32Array, coef: Float64Array, nc: number, rho: number): Float64Array => (wasm as SvcWasm).decisions(m, rows, cols, coef, nc, rho);
      const { A, B } = plattByCv(K, m, yy, cPos, cNeg, p, rng.fork(q), solve, decide);
      const all = new Int32Array(m);
      for (let t = 0; t < m; t++) all[t] = t;
      const sol = solve({ K, m, idx: all, y: yy, cPos, cNeg, eps: p.tol, maxIter: Math.max(10_000_000, 100 * m) });
      const rows: number[] = [];
      const coef: number[] = [];
      for (let t = 0; t < m; t++) {
        const al = sol.alpha[t] as number;
        if (al > 0) {
          rows.push(members[t] as number);
          coef.push(al * (yy[t] as number));
        }
      }
      raw.push({ a, b, rows, coef, rho: sol.rho, A, B });
      for (const r of rows) if (slotOf[r] === -1) slotOf[r] = svRows.push(r) - 1;
    }
  }
  const svX = new Float64Array(svRows.length * d);
  for (let s = 0; s < svRows.length; s++) svX.set(x.subarray((svRows[s] as number) * d, ((svRows[s] as number) + 1) * d), s * d);
  const pairs: SvcPair[] = raw.map((r) => ({
    a: r.a,
    b: r.b,
    sv: Int32Array.from(r.rows, (row) => slotOf[row] as number),
    coef: Float64Array.from(r.coef),
    rho: r.rho,
    probA: r.A,
    probB: r.B,
  }));
  return new SvcModel(input.nClasses, d, present.classes, scaler, gamma, svX, pairs, p);
}

/** scikit-learn's gamma='scale': 1 / (d · Var(X)) over all entries of the (scaled) matrix. */
function scaleGamma(x: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += ((x[i] as number) - mean) ** 2;
  v /= x.length;
  return v > 0 ? 1 / (d * v) : 1;
}

function kernelMatrix(x: Float64Array, d: number, members: number[], gamma: number): Float32Array {
  const m = members.length;
  const K = new Float32Array(m * m);
  for (let s = 0; s < m; s++) {
    const so = (members[s] as number) * d;
    K[s * m + s] = 1;
    for (let t = s + 1; t < m; t++) {
      const to = (members[t] as number) * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = (x[so + j] as number) - (x[to + j] as number);
        dist += diff * diff;
      }
      const v = Math.exp(-gamma * dist);
      K[s * m + t] = v;
      K[t * m + s] = v;
    }
  }
  return K;
}

/**
 * Decision values of rows `rows` of a class pair's m × m kernel matrix: out[r] = −rho +
 * Σₛ coef[s]·K[rows[r]][cols[s]] for s < nc, summed in s order.
 */
type Decide = (rows: Int32Array, cols: Int32Array, coef: Float64Array, nc: number, rho: number) => Float64Array;

/** The plain loop of Decide over K (m × m); the WebAssembly kernel gives the same values to the bit. */
function decideJs(K: Float32Array, m: number): Decide {
  return (rows, cols, coef, nc, rho) => {
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const o = (rows[r] as number) * m;
      let f = -rho;
      for (let s = 0; s < nc; s++) f += (coef[s] as number) * (K[o + (cols[s] as number)] as number);
      out[r] = f;
    }
    return out;
  };
}

/**
 * libsvm's svm_binary_svc_probability: decision values of each row from a machine trained on the
 * other folds (random, seeded fold assignment), then a sigmoid fitted to them — calibrating on
 * training-set decision values instead would be overconfident.
 */
function plattByCv(K: Float32Array, m: number, yy: Int8Array, cPos: number, cNeg: number, p: SvcParams, rng: Rng, solve: (pr: SmoProblem) => SmoResult, decide: Decide): { A: number; B: number } {
  const perm = new Int32Array(m);
  for (let t = 0; t < m; t++) perm[t] = t;
  rng.shuffle(perm);
  const folds = Math.min(p.probabilityFolds, m);
  const dec = new Float64Array(m);
  const inFold = new Uint8Array(m);
  const cols = new Int32Array(m);
  const coef = new Float64Array(m);
  for (let f = 0; f < folds; f++) {
    const start = Math.floor((f * m) / folds);
    const end = Math.floor(((f + 1) * m) / folds);
    inFold.fill(0);
    for (let t = start; t < end; t++) inFold[perm[t] as number] = 1;
    const train: number[] = [];
    let pos = 0;
    for (let t = 0; t < m; t++) {
      if (inFold[t]) continue;
      train.push(t);
      if ((yy[t] as number) > 0) pos++;
    }
    const neg = train.length - pos;
    if (pos === 0 || neg === 0) {
      // One class only in the training folds: libsvm's convention of a fixed decision value.
      const v = pos > 0 ? 1 : neg > 0 ? -1 : 0;
      for (let t = start; t < end; t++) dec[perm[t] as number] = v;
      continue;
    }
    const idx = Int32Array.from(train);
    const ys = Int8Array.from(train, (t) => yy[t] as number);
    const sol = solve({ K, m, idx, y: ys, cPos, cNeg, eps: p.tol, maxIter: Math.max(10_000_000, 100 * idx.length) });
    // the support vectors in order, each with α·y (exact: y = ±1)
    let nc = 0;
    for (let s = 0; s < idx.length; s++) {
      const al = sol.alpha[s] as number;
      if (al > 0) {
        cols[nc] = idx[s] as number;
        coef[nc++] = al * (ys[s] as number);
      }
    }
    const held = perm.subarray(start, end);
    const dv = decide(held, cols, coef, nc, sol.rho);
    for (let t = start; t < end; t++) dec[perm[t] as number] = dv[t - start] as number;
  }
  const positive = Uint8Array.from(yy, (v) => (v > 0 ? 1 : 0));
  return sigmoidTrain(dec, positive);
}
