import { AppError, DataError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber, expectNumberArray, expectObject, expectString } from '../util/validate.js';
import { readBoostParams, type BoostParams } from './boost/params.js';
import { BoostWasm } from './boost/predict-wasm.js';
import { RegTree } from './boost/reg-tree.js';
import { trainBoost } from './boost/train.js';
import { binRows, MAX_BINS } from './tree/binning.js';
import type { Classifier, FitInput, ModelState } from './types.js';
import { checkColumns } from './columns.js';
import { expandProba, softmaxInPlace } from './optim/classes.js';

export { defaultBoostParams, readBoostParams, type BoostParams } from './boost/params.js';

/**
 * Fit a multinomial gradient-boosting classifier ('gb' or 'hgb', see defaultBoostParams).
 * Deterministic: no step is random; the Rng is accepted for the common fit signature.
 * @throws UsageError for bad parameters; DataError for empty or inconsistent input.
 */
export function fitBoost(input: FitInput, params: BoostParams, _rng: Rng): BoostModel {
  const p = readBoostParams(params, params.kind);
  const fit = trainBoost(input, p);
  return new BoostModel(p.kind, input.nClasses, fit.edges, fit.classes, fit.init, fit.trees, fit.nIter, fit.validationLoss, p);
}

/**
 * A fitted booster: raw score of scored class k = init[k] + Σ rounds tree value; probabilities are the
 * softmax over the scored classes; classes absent from the training rows get probability 0.
 */
export class BoostModel implements Classifier {
  constructor(
    readonly kind: 'gb' | 'hgb',
    readonly nClasses: number,
    /** Per feature bin edges (last +Infinity): thresholds are edges[feature][bin]. */
    readonly edges: readonly Float64Array[],
    /** Class indices that get a score (present in the training rows), ascending. */
    readonly classes: Int32Array,
    readonly init: Float64Array,
    /** Round-major, classes.length trees per round. */
    readonly trees: readonly RegTree[],
    /** Boosting rounds kept (the best round under early stopping). */
    readonly nIter: number,
    /** Validation log-loss after 0, 1, … rounds of the fit; null when early stopping was off. */
    readonly validationLoss: readonly number[] | null,
    readonly params: BoostParams,
  ) {}

  /** The trees packed for the WebAssembly walk on first prediction; null when they do not fit it. */
  private wasm: BoostWasm | null | undefined = undefined;

  get nFeatures(): number {
    return this.edges.length;
  }

  /**
   * Row-major class probabilities: out[i * nClasses + k]; rows sum to 1.
   * @throws DataError when the number or length of the columns does not match.
   */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    return this.predictProbaAt(columns, n, this.nIter);
  }

  /**
   * Probabilities after the first `rounds` boosting rounds (0 = class priors): staged predictions for
   * learning curves.
   * @throws DataError when the columns do not match or rounds is outside 0..nIter.
   */
  predictProbaAt(columns: readonly Float64Array[], n: number, rounds: number): Float64Array {
    checkColumns(columns, this.nFeatures, n, this.kind);
    if (!Number.isInteger(rounds) || rounds < 0 || rounds > this.nIter) throw new DataError(`rounds must be in 0..${this.nIter}, got ${rounds}`);
    const K = this.classes.length;
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) raw.set(this.init, i * K);
    // bin once (row-major codes), then walk every tree over bytes: same leaves as thresholds on values
    const F = this.nFeatures;
    const rowBins = binRows(columns, n, this.edges);
    if (rounds > 0) {
      if (this.wasm === undefined) this.wasm = BoostWasm.create(this.trees, F, K);
      if (this.wasm === null) addScoresJs(this.trees, rowBins, F, n, raw, K, rounds * K);
      else this.wasm.addScores(rowBins, n, raw, rounds * K);
    }
    for (let i = 0; i < n; i++) softmaxInPlace(raw, i * K, K);
    return expandProba(raw, n, this.classes, this.nClasses);
  }

  toJSON(): ModelState {
    return {
      kind: this.kind,
      version: 1,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      params: { ...this.params },
      // the trailing +Infinity edge of every feature is implicit
      edges: this.edges.map((e) => Array.from(e.subarray(0, e.length - 1))),
      classes: Array.from(this.classes),
      init: Array.from(this.init),
      nIter: this.nIter,
      validationLoss: this.validationLoss === null ? null : [...this.validationLoss],
      trees: this.trees.map((t) => t.toJSON()),
    };
  }

  /** @throws DataError naming the bad field of a corrupted or hand-edited state. */
  static fromJSON(state: unknown, where = 'model'): BoostModel {
    return boostFromJSON(state, where);
  }
}

/**
 * The JavaScript walk (the reference for BoostWasm and the fallback when the trees do not fit it):
 * trees [0, t1) in order, tree t adding its leaf score into column t mod K of raw (n × K, row-major).
 */
export function addScoresJs(trees: readonly RegTree[], rowBins: Uint8Array, F: number, n: number, raw: Float64Array, K: number, t1: number): void {
  for (let t = 0; t < t1; t++) (trees[t] as RegTree).addRowBinned(rowBins, F, n, raw, K, t % K);
}

/**
 * Rebuild and validate a stored booster (see RegTree.fromJSON for the per-tree checks).
 * @throws DataError naming the bad field.
 */
export function boostFromJSON(state: unknown, where = 'model'): BoostModel {
  const o = expectObject(state, where);
  const kind = expectString(o['kind'], `${where}.kind`);
  if (kind !== 'gb' && kind !== 'hgb') throw new DataError(`${where}.kind must be gb or hgb, got ${JSON.stringify(kind)}`);
  const version = expectNumber(o['version'], `${where}.version`, { int: true });
  if (version !== 1) throw new DataError(`${where}.version ${version} is not supported (expected 1)`, { hint: 'the model was written by a newer mm' });
  const nClasses = expectNumber(o['nClasses'], `${where}.nClasses`, { int: true, min: 2, max: 255 });
  const nFeatures = expectNumber(o['nFeatures'], `${where}.nFeatures`, { int: true, min: 1 });
  const edges = expectArray(o['edges'], `${where}.edges`, nFeatures).map((e, f) => {
    const a = expectNumberArray(e, `${where}.edges[${f}]`);
    if (a.length > MAX_BINS - 1) throw new DataError(`${where}.edges[${f}] has ${a.length} edges, at most ${MAX_BINS - 1} allowed`);
    for (let i = 1; i < a.length; i++) {
      if (!((a[i] as number) > (a[i - 1] as number))) throw new DataError(`${where}.edges[${f}] must increase strictly (entry ${i})`);
    }
    return Float64Array.from([...a, Infinity]);
  });
  const classes = expectNumberArray(o['classes'], `${where}.classes`);
  if (classes.length < 1) throw new DataError(`${where}.classes must not be empty`);
  for (let k = 0; k < classes.length; k++) {
    const c = classes[k] as number;
    if (!Number.isInteger(c) || c < 0 || c >= nClasses || (k > 0 && c <= (classes[k - 1] as number))) {
      throw new DataError(`${where}.classes[${k}] must be a class index below ${nClasses}, ascending, got ${c}`);
    }
  }
  const K = classes.length;
  const init = expectNumberArray(o['init'], `${where}.init`, K);
  const nIter = expectNumber(o['nIter'], `${where}.nIter`, { int: true, min: 0 });
  if (K < 2 && nIter !== 0) throw new DataError(`${where}.nIter must be 0 when only one class is scored, got ${nIter}`);
  const rawTrees = expectArray(o['trees'], `${where}.trees`, nIter * K);
  const trees = rawTrees.map((t, i) => RegTree.fromJSON(t, `${where}.trees[${i}]`, edges));
  let validationLoss: number[] | null = null;
  if (o['validationLoss'] !== null) {
    validationLoss = expectNumberArray(o['validationLoss'], `${where}.validationLoss`);
    for (let i = 0; i < validationLoss.length; i++) if ((validationLoss[i] as number) < 0) throw new DataError(`${where}.validationLoss[${i}] must be ≥ 0`);
  }
  if (o['params'] === undefined || o['params'] === null) throw new DataError(`${where}.params must be an object`);
  let params: BoostParams;
  try {
    params = readBoostParams(o['params'], kind, `${where}.params`);
  } catch (e) {
    if (e instanceof AppError) throw new DataError(e.message, { cause: e });
    throw e;
  }
  return new BoostModel(kind, nClasses, edges, Int32Array.from(classes), Float64Array.from(init), trees, nIter, validationLoss, params);
}
