import { Worker } from 'node:worker_threads';
import { resolveThreads, threadBudget, type Threads } from '../util/threads.js';
import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber, expectNumberArray, expectObject, expectString } from '../util/validate.js';
import { binColumns, binRows, fitBinner, MAX_BINS } from './tree/binning.js';
import { fitTreeAt, type TreeSpec } from './tree/fit-tree.js';
import type { BinnedData, GrownTree } from './tree/grow.js';
import { Tree } from './tree/tree.js';
import type { Classifier, FitInput, ModelState } from './types.js';
import { checkColumns } from './columns.js';
import { ForestWasm, forestProbaJs } from './forest-wasm.js';

/** RandomForest ('rf') and ExtraTrees ('et') parameters, named after scikit-learn's. */
export interface ForestParams {
  kind: 'rf' | 'et';
  nTrees: number;
  /** null = grow until pure or too small. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Features drawn per split: 'sqrt', 'log2', a fraction in (0, 1] (1 = all), or a count > 1. */
  maxFeatures: 'sqrt' | 'log2' | number;
  bootstrap: boolean;
  /** Value bins per feature (2..255), fitted once per fit on the training rows. */
  maxBins: number;
  /**
   * Threads growing trees, or 'auto' (the default) for the machine's free cores when the fit starts
   * (see freeCores). The model is identical for any value; fits below WORKER_MIN_ROWS rows stay on the
   * main thread because starting workers costs more than it saves there.
   */
  nJobs: Threads;
}

/** Fits on fewer rows grow their trees on the main thread whatever nJobs says. */
export const WORKER_MIN_ROWS = 5_000;

/** scikit-learn-like defaults: 100 fully grown trees, sqrt features; bootstrap for rf only. */
export function defaultForestParams(kind: 'rf' | 'et'): ForestParams {
  return {
    kind,
    nTrees: 100,
    maxDepth: null,
    minSamplesLeaf: 1,
    minSamplesSplit: 2,
    maxFeatures: 'sqrt',
    bootstrap: kind === 'rf',
    maxBins: MAX_BINS,
    nJobs: 'auto',
  };
}

/**
 * Number of features drawn per split, as scikit-learn rounds it (at least 1, at most nFeatures).
 * @throws UsageError for a value that is none of the accepted forms.
 */
export function resolveMaxFeatures(mf: ForestParams['maxFeatures'], nFeatures: number): number {
  let k: number;
  if (mf === 'sqrt') k = Math.floor(Math.sqrt(nFeatures));
  else if (mf === 'log2') k = Math.floor(Math.log2(nFeatures));
  else if (typeof mf === 'number' && Number.isFinite(mf) && mf > 0) k = mf <= 1 ? Math.floor(mf * nFeatures) : Math.floor(mf);
  else throw new UsageError(`maxFeatures must be sqrt, log2, a count or a fraction in (0, 1], got ${JSON.stringify(mf)}`);
  return Math.max(1, Math.min(nFeatures, k));
}

export interface FitForestOptions {
  /** Override WORKER_MIN_ROWS (tests use 0 to exercise workers on small data). */
  workerMinRows?: number;
}

/**
 * Fit a RandomForest or ExtraTrees classifier: bin the features once, then grow nTrees trees, tree t
 * with rng.fork(t), on up to nJobs worker threads.
 * @throws DataError when the input is empty or inconsistent; UsageError for bad parameters.
 */
export async function fitForest(input: FitInput, params: ForestParams, rng: Rng, opts: FitForestOptions = {}): Promise<ForestModel> {
  const { columns, n, y, nClasses } = input;
  if (n < 1) throw new DataError('cannot fit a forest on 0 rows');
  if (columns.length < 1) throw new DataError('cannot fit a forest without feature columns');
  if (y.length < n) throw new DataError(`labels have ${y.length} rows, features ${n}`);
  for (let f = 0; f < columns.length; f++) {
    if ((columns[f] as Float64Array).length < n) throw new DataError(`feature column ${f} has ${(columns[f] as Float64Array).length} rows, expected ${n}`);
  }
  for (let i = 0; i < n; i++) if ((y[i] as number) >= nClasses) throw new DataError(`label ${y[i]} at row ${i} is not a class index below ${nClasses}`);
  checkForestParams(params);
  // Measure the free cores only when threads could be used at all (the measurement sleeps briefly).
  const mayThread = threadBudget() > 1 && params.nTrees > 1 && n >= (opts.workerMinRows ?? WORKER_MIN_ROWS);
  const nJobs = mayThread ? Math.min(resolveThreads(params.nJobs), params.nTrees, threadBudget()) : 1;
  const parallel = nJobs > 1;

  const binner = fitBinner(columns, n, params.maxBins);
  const bins = binColumns(columns, n, binner, parallel);
  const ySh = parallel ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n);
  ySh.set(y.subarray(0, n));
  const data: BinnedData = { bins, nBins: binner.edges.map((e) => e.length), n, y: ySh, nClasses };
  const spec: TreeSpec = {
    maxDepth: params.maxDepth,
    minSamplesLeaf: params.minSamplesLeaf,
    minSamplesSplit: params.minSamplesSplit,
    mtry: resolveMaxFeatures(params.maxFeatures, columns.length),
    splitter: params.kind === 'et' ? 'random' : 'best',
    bootstrap: params.bootstrap,
  };
  const tick = input.onProgress ?? (() => undefined);
  const grown = parallel
    ? await growInWorkers(data, spec, rng.seed, params.nTrees, nJobs, tick)
    : Array.from({ length: params.nTrees }, (_, t) => {
      const g = fitTreeAt(data, spec, rng.seed, t);
      tick(t + 1, params.nTrees);
      return g;
    });

  const trees = grown.map((g) => Tree.fromGrown(g, binner.edges, nClasses));
  return new ForestModel(params.kind, nClasses, binner.edges, trees, meanImportances(grown, columns.length), { ...params });
}

/**
 * Validate forest hyperparameters (whole numbers in range, at most 255 bins).
 * @throws UsageError naming the first bad parameter.
 */
export function checkForestParams(p: ForestParams): void {
  const int = (v: unknown, name: string, min: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new UsageError(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  };
  int(p.nTrees, 'nTrees', 1);
  if (p.maxDepth !== null) int(p.maxDepth, 'maxDepth', 1);
  int(p.minSamplesLeaf, 'minSamplesLeaf', 1);
  int(p.minSamplesSplit, 'minSamplesSplit', 2);
  int(p.maxBins, 'maxBins', 2);
  if (p.maxBins > 255) throw new UsageError(`maxBins must be at most 255, got ${p.maxBins}`);
  if (p.nJobs !== 'auto') int(p.nJobs, 'nJobs', 1);
}

/** Hand tree indices to idle workers one at a time; results are put back in tree order. */
async function growInWorkers(data: BinnedData, spec: TreeSpec, seed: number, nTrees: number, nJobs: number, tick: (done: number, total: number) => void): Promise<GrownTree[]> {
  const out = new Array<GrownTree>(nTrees);
  const workers: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      for (let j = 0; j < nJobs; j++) {
        const wk = new Worker(new URL('./tree/forest-worker.js', import.meta.url), { workerData: { data, spec, seed } });
        workers.push(wk);
        wk.on('error', reject);
        // a worker that dies without an error event (e.g. out of memory) must not leave the fit hanging
        wk.on('exit', (code) => {
          if (done < nTrees) reject(new Error(`forest worker exited with code ${code} after ${done} of ${nTrees} trees`));
        });
        wk.on('message', (msg: { t: number; g: GrownTree }) => {
          out[msg.t] = msg.g;
          done++;
          tick(done, nTrees);
          if (done === nTrees) resolve();
          else if (next < nTrees) wk.postMessage(next++);
        });
        wk.postMessage(next++);
      }
    });
  } finally {
    await Promise.all(workers.map((wk) => wk.terminate()));
  }
  return out;
}

/** scikit-learn's feature_importances_: each tree's impurity decreases normalised, averaged, normalised. */
function meanImportances(grown: readonly GrownTree[], nFeatures: number): Float64Array {
  const imp = new Float64Array(nFeatures);
  for (const g of grown) {
    let s = 0;
    for (let f = 0; f < nFeatures; f++) s += g.importance[f] as number;
    if (s > 0) for (let f = 0; f < nFeatures; f++) imp[f] = (imp[f] as number) + (g.importance[f] as number) / s;
  }
  let s = 0;
  for (let f = 0; f < nFeatures; f++) s += imp[f] as number;
  if (s > 0) for (let f = 0; f < nFeatures; f++) imp[f] = (imp[f] as number) / s;
  return imp;
}

/** A fitted forest: the average of its trees' leaf class distributions, like scikit-learn. */
export class ForestModel implements Classifier {
  constructor(
    readonly kind: 'rf' | 'et',
    readonly nClasses: number,
    /** Per feature bin edges (last +Infinity): thresholds are edges[feature][bin]. */
    readonly edges: readonly Float64Array[],
    readonly trees: readonly Tree[],
    private readonly importances: Float64Array,
    readonly params: ForestParams,
  ) {}

  /** The trees packed for the WebAssembly walk on first prediction; null when they do not fit it. */
  private wasm: ForestWasm | null | undefined = undefined;

  get nFeatures(): number {
    return this.edges.length;
  }

  /** Mean impurity decrease per feature, normalised to sum 1 (all 0 when no tree ever split). */
  featureImportances(): Float64Array {
    return Float64Array.from(this.importances);
  }

  /**
   * Row-major class probabilities; classes absent from training get 0.
   * @throws DataError when the number or length of the columns does not match.
   */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    checkColumns(columns, this.nFeatures, n, this.kind);
    // bin the rows once: the trees then compare one-byte codes of one row, same paths as raw values
    const xb = binRows(columns, n, this.edges);
    if (this.wasm === undefined) this.wasm = ForestWasm.create(this.trees, this.nFeatures, this.nClasses);
    if (this.wasm === null) return forestProbaJs(this.trees, xb, this.nFeatures, n, this.nClasses);
    const out = new Float64Array(n * this.nClasses);
    this.wasm.predict(xb, n, out);
    return out;
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
      importances: Array.from(this.importances),
      trees: this.trees.map((t) => t.toJSON()),
    };
  }

  /** @throws DataError naming the bad field of a corrupted or hand-edited state. */
  static fromJSON(state: unknown): ForestModel {
    return forestFromJSON(state);
  }
}

/**
 * Rebuild and validate a stored forest (see Tree.fromJSON for the per-tree checks).
 * @throws DataError naming the bad field.
 */
export function forestFromJSON(state: unknown, where = 'model'): ForestModel {
  const o = expectObject(state, where);
  const kind = expectString(o['kind'], `${where}.kind`);
  if (kind !== 'rf' && kind !== 'et') throw new DataError(`${where}.kind must be rf or et, got ${JSON.stringify(kind)}`);
  const version = expectNumber(o['version'], `${where}.version`, { int: true });
  if (version !== 1) throw new DataError(`${where}.version ${version} is not supported (expected 1)`, { hint: 'the model was written by a newer mm' });
  const nClasses = expectNumber(o['nClasses'], `${where}.nClasses`, { int: true, min: 2, max: 255 });
  const nFeatures = expectNumber(o['nFeatures'], `${where}.nFeatures`, { int: true, min: 1 });
  const rawEdges = expectArray(o['edges'], `${where}.edges`, nFeatures);
  const edges = rawEdges.map((e, f) => {
    const a = expectNumberArray(e, `${where}.edges[${f}]`);
    if (a.length > MAX_BINS - 1) throw new DataError(`${where}.edges[${f}] has ${a.length} edges, at most ${MAX_BINS - 1} allowed`);
    for (let i = 1; i < a.length; i++) {
      if (!((a[i] as number) > (a[i - 1] as number))) throw new DataError(`${where}.edges[${f}] must increase strictly (entry ${i})`);
    }
    return Float64Array.from([...a, Infinity]);
  });
  const importances = expectNumberArray(o['importances'], `${where}.importances`, nFeatures);
  for (let f = 0; f < nFeatures; f++) if ((importances[f] as number) < 0) throw new DataError(`${where}.importances[${f}] must be ≥ 0`);
  const rawTrees = expectArray(o['trees'], `${where}.trees`);
  if (rawTrees.length === 0) throw new DataError(`${where}.trees must not be empty`);
  const trees = rawTrees.map((t, i) => Tree.fromJSON(t, `${where}.trees[${i}]`, edges, nClasses));
  const params = parseParams(o['params'], `${where}.params`, kind);
  return new ForestModel(kind, nClasses, edges, trees, Float64Array.from(importances), params);
}

function parseParams(v: unknown, where: string, kind: 'rf' | 'et'): ForestParams {
  const p = expectObject(v, where);
  const int = (k: string, min: number): number => expectNumber(p[k], `${where}.${k}`, { int: true, min });
  const mf = p['maxFeatures'];
  if (!(mf === 'sqrt' || mf === 'log2' || (typeof mf === 'number' && Number.isFinite(mf) && mf > 0))) {
    throw new DataError(`${where}.maxFeatures must be sqrt, log2 or a positive number, got ${JSON.stringify(mf)}`);
  }
  if (typeof p['bootstrap'] !== 'boolean') throw new DataError(`${where}.bootstrap must be true or false`);
  return {
    kind,
    nTrees: int('nTrees', 1),
    maxDepth: p['maxDepth'] === null ? null : int('maxDepth', 1),
    minSamplesLeaf: int('minSamplesLeaf', 1),
    minSamplesSplit: int('minSamplesSplit', 2),
    maxFeatures: mf,
    bootstrap: p['bootstrap'],
    maxBins: int('maxBins', 2),
    nJobs: p['nJobs'] === 'auto' ? 'auto' : int('nJobs', 1),
  };
}
