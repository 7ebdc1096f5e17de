import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber } from '../util/validate.js';
import { presentClasses, readF64, readHeader } from './optim/classes.js';
import { bruteSearch, buildPcaIndex, heapBlock, prunedSearch, rowNorms, type HeapBlock, type PcaIndex } from './knn-search.js';
import { KnnWasm } from './knn-wasm.js';
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
 * Which exact search finds the neighbours: 'brute', 'pruned' (the principal-axis bound in
 * JavaScript), 'wasm' (the same bound with a float32 SIMD first filter); 'auto': wasm for many
 * queries (pruned where a value is too large for float32), brute for a few. All give the same heaps.
 */
export type KnnSearch = 'auto' | 'brute' | 'pruned' | 'wasm';

/**
 * From this many queries in one call the pruned search is used (its index costs about as much as
 * brute force for d queries, and is kept with the model for later calls).
 */
const PRUNE_MIN_QUERIES = 64;

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
   * Exact k nearest neighbours of each query, then the (weighted) vote shares. Two searches give the
   * same neighbours in the same heap order (see knn-search.ts): brute force for a few queries, and
   * for many (≥ PRUNE_MIN_QUERIES) a pass that bounds each distance by its leading principal-axis
   * coordinates and skips rows that cannot enter the heap; its index is built once per model.
   * @throws DataError when the column count differs from the fitted one or a value is infinite.
   */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    return this.search(columns, n, 'auto').proba;
  }

  /**
   * The neighbours of every query sorted by (squared distance, training row), and the probabilities.
   * `how` forces one search (tests compare them); 'auto' is what predictProba uses.
   * @throws DataError as predictProba.
   */
  kneighbors(columns: readonly Float64Array[], n: number, how: KnnSearch = 'auto'): { k: number; dist: Float64Array; row: Int32Array; proba: Float64Array } {
    return this.search(columns, n, how, true);
  }

  private search(columns: readonly Float64Array[], n: number, how: KnnSearch, keep = false): { k: number; dist: Float64Array; row: Int32Array; proba: Float64Array } {
    const q = this.scaler.transform(columns, n, 'knn model');
    const d = this.nFeatures;
    const nt = this.nTrain;
    const kk = Math.min(this.params.k, nt);
    const nc = this.nClasses;
    const out = new Float64Array(n * nc);
    const dist = new Float64Array(keep ? n * kk : 0);
    const row = new Int32Array(keep ? n * kk : 0);
    let ix: PcaIndex | null = null;
    let kw: KnnWasm | null = null;
    if (how === 'pruned') ix = this.pcaIndex();
    else if (how === 'wasm' || (how === 'auto' && n >= PRUNE_MIN_QUERIES)) {
      // the kernel builds the model's index when it has none yet (in WebAssembly, the same numbers)
      const r = KnnWasm.create(this.x, nt, d, kk, this.index);
      this.index = r.ix;
      ix = r.ix;
      kw = r.kw;
    }
    if ((how === 'pruned' || how === 'wasm') && ix === null) throw new Error('knn: no pruning index for this model');
    if (how === 'wasm' && kw === null) throw new Error('knn: values too large for the float32 filter');
    const tn = ix === null ? this.trainNorms() : null;
    const ty = this.y;
    const byDistance = this.params.weights === 'distance';
    // queries in blocks so the heaps stay small for any n (one spare heap for prunedSearch's lanes)
    const B = 256;
    const heaps = heapBlock(B + 1, kk);
    // the first blocks are short: a WebAssembly function starts in V8's baseline tier (about twice
    // as slow here) and the optimised code only serves calls after it is ready
    for (let i0 = 0, nb = kw === null ? B : 8; i0 < n; i0 += nb, nb = Math.min(B, nb * 4)) {
      const i1 = Math.min(n, i0 + nb);
      heaps.size.fill(0);
      if (kw !== null && kw.search(q, i0, i1, heaps)) {
        // heaps filled by the kernel
      } else if (how === 'wasm') throw new Error('knn: values too large for the float32 filter');
      else if (ix !== null) prunedSearch(q, i0, i1, this.x, ix, heaps);
      else bruteSearch(q, i0, i1, this.x, tn as Float64Array, d, heaps);
      vote(heaps, i0, i1, ty, nc, byDistance, out);
      if (keep) sortNeighbours(heaps, i0, i1, dist, row);
    }
    return { k: kk, dist, row, proba: out };
  }

  private norms: Float64Array | null = null;

  /** ‖t‖² of every scaled training row, computed once per model. */
  private trainNorms(): Float64Array {
    if (this.norms === null) this.norms = rowNorms(this.x, this.nTrain, this.nFeatures);
    return this.norms;
  }

  private index: PcaIndex | null | undefined = undefined;

  /** The principal-axis index of the training rows, built on first use (null: use brute force). */
  private pcaIndex(): PcaIndex | null {
    if (this.index === undefined) this.index = buildPcaIndex(this.x, this.nTrain, this.nFeatures);
    return this.index;
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

/**
 * Probabilities of queries [i0, i1) (block slot i − i0) into out: the (weighted) vote shares of their
 * heaps' neighbours, summed in heap order. Kept apart from the search loop so that V8 optimises a
 * small function (the whole loop compiled as one took ~17 ms of compiler time per predict).
 */
function vote(b: HeapBlock, i0: number, i1: number, ty: Uint8Array, nc: number, byDistance: boolean, out: Float64Array): void {
  const { hd, hi } = b;
  const kk = b.k;
  for (let i = i0; i < i1; i++) {
    const h0 = (i - i0) * kk;
    const oo = i * nc;
    let zeros = 0;
    if (byDistance) for (let h = 0; h < kk; h++) if ((hd[h0 + h] as number) === 0) zeros++;
    let total = 0;
    for (let h = 0; h < kk; h++) {
      // scikit-learn: with exact matches only those vote; otherwise weight 1/distance.
      const dd = Math.sqrt(hd[h0 + h] as number);
      const wgt = !byDistance ? 1 : zeros > 0 ? (dd === 0 ? 1 : 0) : 1 / dd;
      const c = ty[hi[h0 + h] as number] as number;
      out[oo + c] = (out[oo + c] as number) + wgt;
      total += wgt;
    }
    for (let c = 0; c < nc; c++) out[oo + c] = (out[oo + c] as number) / total;
  }
}

/** The neighbours of queries [i0, i1) sorted by (squared distance, training row) into dist/row (k per query). */
function sortNeighbours(b: HeapBlock, i0: number, i1: number, dist: Float64Array, row: Int32Array): void {
  const { hd, hi } = b;
  const kk = b.k;
  for (let i = i0; i < i1; i++) {
    const h0 = (i - i0) * kk;
    const order = Array.from({ length: kk }, (_, h) => h0 + h).sort((a, c) => (hd[a] as number) - (hd[c] as number) || (hi[a] as number) - (hi[c] as number));
    order.forEach((src, h) => {
      dist[i * kk + h] = hd[src] as number;
      row[i * kk + h] = hi[src] as number;
    });
  }
}

function presentList(y: Uint8Array, nClasses: number): number[] {
  const seen = new Uint8Array(nClasses);
  for (let i = 0; i < y.length; i++) seen[y[i] as number] = 1;
  const out: number[] = [];
  for (let c = 0; c < nClasses; c++) if (seen[c]) out.push(c);
  return out;
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
