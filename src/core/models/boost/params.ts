import { UsageError } from '../../errors.js';
import { MAX_BINS } from '../tree/binning.js';

/**
 * Gradient boosting parameters, named after scikit-learn's. `gb` and `hgb` run the same histogram
 * booster and differ only in their defaults (see defaultBoostParams).
 */
export interface BoostParams {
  kind: 'gb' | 'hgb';
  /** Boosting rounds at most (one tree per class per round). */
  maxIter: number;
  /** Shrinkage applied to every leaf value. */
  learningRate: number;
  /** Deepest split depth (root = 0, a node at depth d splits only when d < maxDepth); null = no limit. */
  maxDepth: number | null;
  /** Leaves per tree at most, grown best-first (largest gain first); null = no limit (depth-limited trees). */
  maxLeafNodes: number | null;
  /** Rows per leaf at least. */
  minSamplesLeaf: number;
  /** Sum of hessians per leaf at least (scikit-learn's min_hessian_to_split). */
  minHessianLeaf: number;
  /** L2 regularisation λ of the leaf values −G/(H + λ). */
  l2: number;
  /** Value bins per feature (2..255), fitted once on the training rows. */
  maxBins: number;
  /** 'auto' = on when the input has more than 10,000 rows (as scikit-learn). */
  earlyStopping: 'auto' | boolean;
  /** Share of rows, taken from the END (chronological tail), held out for early stopping. */
  validationFraction: number;
  /** Stop after this many rounds without a validation log-loss improvement larger than tol. */
  nIterNoChange: number;
  tol: number;
  /**
   * With early stopping: once the validation tail has chosen the number of rounds, fit again on ALL
   * rows (the tail included: the most recent ones) for that many rounds, and keep that model. Costs
   * the second fit's rounds; off by default.
   */
  refit: boolean;
}

/**
 * Defaults per kind.
 * - `hgb` = scikit-learn HistGradientBoostingClassifier: best-first trees of at most 31 leaves, no depth
 *   limit, minSamplesLeaf 20, l2 0, learning rate 0.1, 100 rounds, early stopping 'auto'.
 * - `gb` = scikit-learn GradientBoostingClassifier's shape: depth-3 trees, minSamplesLeaf 1, learning
 *   rate 0.1, 100 rounds, no early stopping. It still splits on 255 bins with the Newton gain and
 *   Newton leaf values (sklearn GB uses exact thresholds, the friedman_mse criterion and a (K−1)/K
 *   leaf factor), so predictions are close to, not identical with, scikit-learn's.
 */
export function defaultBoostParams(kind: 'gb' | 'hgb'): BoostParams {
  const common = { maxIter: 100, learningRate: 0.1, l2: 0, maxBins: MAX_BINS, minHessianLeaf: 1e-3, validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, refit: false };
  return kind === 'hgb'
    ? { kind, ...common, maxDepth: null, maxLeafNodes: 31, minSamplesLeaf: 20, earlyStopping: 'auto' }
    : { kind, ...common, maxDepth: 3, maxLeafNodes: null, minSamplesLeaf: 1, earlyStopping: false };
}

const KEYS = new Set(['kind', 'maxIter', 'learningRate', 'maxDepth', 'maxLeafNodes', 'minSamplesLeaf', 'minHessianLeaf', 'l2', 'maxBins', 'earlyStopping', 'validationFraction', 'nIterNoChange', 'tol', 'refit']);

/**
 * Fill defaults for `kind` and validate user-supplied parameters (unknown keys are rejected so a typo
 * cannot silently fall back to a default).
 * @throws UsageError naming the bad parameter.
 */
export function readBoostParams(v: unknown, kind: 'gb' | 'hgb', where = `${kind} params`): BoostParams {
  if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) throw new UsageError(`${where} must be an object`);
  const given = (v ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(given)) if (!KEYS.has(k)) throw new UsageError(`${where}: unknown parameter ${JSON.stringify(k)}`, { hint: `known: ${[...KEYS].join(', ')}` });
  if (given['kind'] !== undefined && given['kind'] !== kind) throw new UsageError(`${where}: kind ${JSON.stringify(given['kind'])} does not match ${kind}`);
  const p = { ...defaultBoostParams(kind), ...(given as Partial<BoostParams>), kind };
  const bad = (name: string, what: string): never => {
    throw new UsageError(`${where}: ${name} must be ${what}, got ${JSON.stringify((p as unknown as Record<string, unknown>)[name])}`);
  };
  const isInt = (x: unknown, min: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= min;
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!isInt(p.maxIter, 1)) bad('maxIter', 'a whole number ≥ 1');
  if (!(isNum(p.learningRate) && p.learningRate > 0)) bad('learningRate', 'a positive number');
  if (!(p.maxDepth === null || isInt(p.maxDepth, 1))) bad('maxDepth', 'null or a whole number ≥ 1');
  if (!(p.maxLeafNodes === null || isInt(p.maxLeafNodes, 2))) bad('maxLeafNodes', 'null or a whole number ≥ 2');
  if (!isInt(p.minSamplesLeaf, 1)) bad('minSamplesLeaf', 'a whole number ≥ 1');
  if (!(isNum(p.minHessianLeaf) && p.minHessianLeaf >= 0)) bad('minHessianLeaf', 'a number ≥ 0');
  if (!(isNum(p.l2) && p.l2 >= 0)) bad('l2', 'a number ≥ 0');
  if (!(isInt(p.maxBins, 2) && p.maxBins <= MAX_BINS)) bad('maxBins', `a whole number in 2..${MAX_BINS}`);
  if (!(p.earlyStopping === 'auto' || typeof p.earlyStopping === 'boolean')) bad('earlyStopping', "'auto', true or false");
  if (!(isNum(p.validationFraction) && p.validationFraction > 0 && p.validationFraction < 1)) bad('validationFraction', 'a number in (0, 1)');
  if (!isInt(p.nIterNoChange, 1)) bad('nIterNoChange', 'a whole number ≥ 1');
  if (!(isNum(p.tol) && p.tol >= 0)) bad('tol', 'a number ≥ 0');
  if (typeof p.refit !== 'boolean') bad('refit', 'true or false');
  return {
    kind,
    maxIter: p.maxIter,
    learningRate: p.learningRate,
    maxDepth: p.maxDepth,
    maxLeafNodes: p.maxLeafNodes,
    minSamplesLeaf: p.minSamplesLeaf,
    minHessianLeaf: p.minHessianLeaf,
    l2: p.l2,
    maxBins: p.maxBins,
    earlyStopping: p.earlyStopping,
    validationFraction: p.validationFraction,
    nIterNoChange: p.nIterNoChange,
    tol: p.tol,
    refit: p.refit,
  };
}

/** Whether early stopping is on for an input of n rows ('auto': n > 10,000 as scikit-learn). */
export function earlyStoppingOn(p: BoostParams, n: number): boolean {
  return p.earlyStopping === 'auto' ? n > 10_000 : p.earlyStopping;
}
