import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber } from '../util/validate.js';
import { presentClasses, readF64, readHeader } from './optim/classes.js';
import { StandardScaler } from './scaler.js';
import type { Classifier, FitInput, ModelState } from './types.js';

export interface KnnParams {
  k: number;
  /** 'uniform': each neighbour one vote; 'distance': votes weighted by 1/distance. */
  weights: 'uniform' | 'distance';
}

/** k = 15 (a smoother default than scikit-learn's 5 for noisy 5-class labels), uniform votes. */
export function defaultKnnParams(): KnnParams {
  return { k: 15, weights: 'uniform' };
}

const VERSION = 1;

/**
 * k-nearest neighbours by Euclidean distance on standardised features. The model stores the scaled
 * training rows (row-major) and labels, so its JSON grows with the training set (≈ n·d numbers).
 * Probabilities are the (weighted) vote shares of the k neighbours. Ties in distance go to the
 * earlier training row, so predictions are deterministic. NaN features become the training mean.
 */
export class KnnModel implements Classifier {
  readonly kind = 'knn';
  constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    readonly scaler: StandardScaler,
    /** Scaled training rows, row-major (nTrain × nFeatures). */
    readonly x: Float64Array,
    readonly y: Uint8Array,
    readonly params: KnnParams,
  ) {}

  get nTrain(): number {
    return this.y.length;
  }

  /**
   * Brute force with a cheap filter and an exact check. Squared distances are first estimated as
   * ‖q‖² − 2q·t + ‖t‖² for four queries at a time (each training row is read once per four queries,
   * its norm once per model); only a training row whose estimate, widened by a bound on its rounding
   * error, could beat a query's current k-th best gets its exact distance Σ(q − t)² (the same sum as
   * always), which then decides as before: a bounded max-heap per query keeps the k smallest, equal
   * distances keep the earlier training row. The filter lets through every row the exact test would
   * admit, so the neighbours, their order and the probabilities are those of the plain exact search.
   * @throws DataError when the column count differs from the fitted one or a value is infinite.
   */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    const q = this.scaler.transform(columns, n, 'knn model');
    const d = this.nFeatures;
    const nt = this.nTrain;
    const kk = Math.min(this.params.k, nt);
    const nc = this.nClasses;
    const out = new Float64Array(n * nc);
    const QB = 4;
    const hd = new Float64Array(QB * kk); // per query of the block: heap of squared distances (max at 0)
    const hi = new Int32Array(QB * kk); // training row of each heap entry
    const size = new Int32Array(QB);
    const qn = new Float64Array(QB);
    const tx = this.x;
    const tn = this.trainNorms();
    const ty = this.y;
    const byDistance = this.params.weights === 'distance';
    // |estimate − exact| ≤ (d + 4)·ε·(‖q‖² + ‖t‖²) (each of the three terms and the dot product rounds
    // at most that much); 1e-10 is far above it for any realistic d and far below any real gap
    const REL = 1e-10;
    for (let i0 = 0; i0 < n; i0 += QB) {
      const nb = Math.min(QB, n - i0);
      size.fill(0);
      for (let r = 0; r < QB; r++) {
        let s = 0;
        if (r < nb) for (let j = 0, o = (i0 + r) * d; j < d; j++, o++) s += (q[o] as number) * (q[o] as number);
        qn[r] = s;
      }
      // rows past n in a short last block reuse the last query (their results are dropped)
      const o0 = i0 * d;
      const o1 = (i0 + Math.min(1, nb - 1)) * d;
      const o2 = (i0 + Math.min(2, nb - 1)) * d;
      const o3 = (i0 + Math.min(3, nb - 1)) * d;
      for (let t = 0; t < nt; t++) {
        const to = t * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < d; j++) {
          const xv = tx[to + j] as number;
          s0 += (q[o0 + j] as number) * xv;
          s1 += (q[o1 + j] as number) * xv;
          s2 += (q[o2 + j] as number) * xv;
          s3 += (q[o3 + j] as number) * xv;
        }
        const tt = tn[t] as number;
        for (let r = 0; r < nb; r++) {
          const dot = r === 0 ? s0 : r === 1 ? s1 : r === 2 ? s2 : s3;
          const sz = size[r] as number;
          const h = r * kk;
          if (sz === kk) {
            const qq = qn[r] as number;
            const est = qq - 2 * dot + tt;
            if (est - REL * (qq + tt) > (hd[h] as number)) continue;
          }
          const dist = exactSq(q, (i0 + r) * d, tx, to, d);
          if (sz < kk) {
            siftUp(hd, hi, h, sz, dist, t);
            size[r] = sz + 1;
          } else if (dist < (hd[h] as number)) {
            // Equal distances keep the earlier row (strict <), so results do not depend on luck.
            siftDown(hd, hi, h, kk, dist, t);
          }
        }
      }
      for (let r = 0; r < nb; r++) {
        const h0 = r * kk;
        const oo = (i0 + r) * nc;
        let zeros = 0;
        if (byDistance) for (let h = 0; h < kk; h++) if ((hd[h0 + h] as number) === 0) zeros++;
        let total = 0;
        for (let h = 0; h < kk; h++) {
          // scikit-learn: with exact matches only those vote; otherwise weight 1/distance.
          const dist = Math.sqrt(hd[h0 + h] as number);
          const wgt = !byDistance ? 1 : zeros > 0 ? (dist === 0 ? 1 : 0) : 1 / dist;
          const c = ty[hi[h0 + h] as number] as number;
          out[oo + c] = (out[oo + c] as number) + wgt;
          total += wgt;
        }
        for (let c = 0; c < nc; c++) out[oo + c] = (out[oo + c] as number) / total;
      }
    }
    return out;
  }

  private norms: Float64Array | null = null;

  /** ‖t‖² of every scaled training row, computed once per model. */
  private trainNorms(): Float64Array {
    if (this.norms === null) {
      const d = this.nFeatures;
      const nt = this.nTrain;
      const tn = new Float64Array(nt);
      for (let t = 0; t < nt; t++) {
        let s = 0;
        for (let j = 0, o = t * d; j < d; j++, o++) s += (this.x[o] as number) * (this.x[o] as number);
        tn[t] = s;
      }
      this.norms = tn;
    }
    return this.norms;
  }

  toJSON(): ModelState {
    return {
      kind: this.kind,
      version: VERSION,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      classes: presentList(this.y, this.nClasses),
      params: { ...this.params },
      scaler: this.scaler.toJSON(),
      x: Array.from(this.x),
      y: Array.from(this.y),
    };
  }

  /** @throws DataError naming the field for malformed state (version, lengths, labels, non-finite rows). */
  static fromJSON(state: unknown, where = 'model'): KnnModel {
    const h = readHeader(state, 'knn', VERSION, where);
    const o = h.o;
    const ys = expectArray(o['y'], `${where}.y`);
    if (ys.length < 1) throw new DataError(`${where}.y must not be empty`);
    const y = new Uint8Array(ys.length);
    for (let i = 0; i < ys.length; i++) y[i] = expectNumber(ys[i], `${where}.y[${i}]`, { int: true, min: 0, max: h.nClasses - 1 });
    let params: KnnParams;
    try {
      params = readKnnParams(o['params']);
    } catch (e) {
      throw new DataError(`${where}.params: ${(e as Error).message}`);
    }
    return new KnnModel(
      h.nClasses,
      h.nFeatures,
      StandardScaler.fromJSON(o['scaler'], h.nFeatures, `${where}.scaler`),
      readF64(o['x'], `${where}.x`, y.length * h.nFeatures),
      y,
      params,
    );
  }
}

function presentList(y: Uint8Array, nClasses: number): number[] {
  const seen = new Uint8Array(nClasses);
  for (let i = 0; i < y.length; i++) seen[y[i] as number] = 1;
  const out: number[] = [];
  for (let c = 0; c < nClasses; c++) if (seen[c]) out.push(c);
  return out;
}

// Max-heap on (distance, row): larger distance — or equal distance and later row — is "bigger",
// so the root is the neighbour to evict first.
function bigger(d1: number, i1: number, d2: number, i2: number): boolean {
  return d1 > d2 || (d1 === d2 && i1 > i2);
}

/** Squared distance summed in blocks of four features, then one by one (the sum every version used). */
function exactSq(q: Float64Array, qo: number, tx: Float64Array, to: number, d: number): number {
  let s = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const a0 = (q[qo + j] as number) - (tx[to + j] as number);
    const a1 = (q[qo + j + 1] as number) - (tx[to + j + 1] as number);
    const a2 = (q[qo + j + 2] as number) - (tx[to + j + 2] as number);
    const a3 = (q[qo + j + 3] as number) - (tx[to + j + 3] as number);
    s += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
  }
  for (; j < d; j++) {
    const diff = (q[qo + j] as number) - (tx[to + j] as number);
    s += diff * diff;
  }
  return s;
}

/** Heap entries live at hd/hi[h .. h + size). */
function siftUp(hd: Float64Array, hi: Int32Array, h: number, pos: number, d: number, idx: number): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!bigger(d, idx, hd[h + parent] as number, hi[h + parent] as number)) break;
    hd[h + pos] = hd[h + parent] as number;
    hi[h + pos] = hi[h + parent] as number;
    pos = parent;
  }
  hd[h + pos] = d;
  hi[h + pos] = idx;
}

/** Replace the root with (d, idx) and restore the heap. */
function siftDown(hd: Float64Array, hi: Int32Array, h: number, size: number, d: number, idx: number): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    const r = l + 1;
    let c = l;
    if (r < size && bigger(hd[h + r] as number, hi[h + r] as number, hd[h + l] as number, hi[h + l] as number)) c = r;
    if (!bigger(hd[h + c] as number, hi[h + c] as number, d, idx)) break;
    hd[h + pos] = hd[h + c] as number;
    hi[h + pos] = hi[h + c] as number;
    pos = c;
  }
  hd[h + pos] = d;
  hi[h + pos] = idx;
}

/** @throws UsageError for a k below 1 or an unknown weighting. */
export function readKnnParams(v: unknown, where = 'knn params'): KnnParams {
  const p = { ...defaultKnnParams(), ...(typeof v === 'object' && v !== null ? (v as Partial<KnnParams>) : {}) };
  if (!(Number.isInteger(p.k) && p.k >= 1)) throw new UsageError(`${where}: k must be a whole number ≥ 1, got ${JSON.stringify(p.k)}`);
  if (p.weights !== 'uniform' && p.weights !== 'distance') throw new UsageError(`${where}: weights must be "uniform" or "distance", got ${JSON.stringify(p.weights)}`);
  return { k: p.k, weights: p.weights };
}

/**
 * "Fit" kNN: standardise and store the training rows. Deterministic without randomness (the Rng is
 * accepted for the common fit signature).
 * @throws DataError for malformed input; UsageError for bad parameters.
 */
export function fitKnn(input: FitInput, params: KnnParams, _rng: Rng): KnnModel {
  const p = readKnnParams(params);
  presentClasses(input, 'knn'); // validates labels
  const scaler = StandardScaler.fit(input.columns, input.n);
  const x = scaler.transform(input.columns, input.n, 'knn training data');
  return new KnnModel(input.nClasses, input.columns.length, scaler, x, input.y.slice(0, input.n), p);
}
