import { DataError } from '../../errors.js';
import type { Rng } from '../../util/rng.js';
import { expectArray, expectNumber, expectObject, expectString } from '../../util/validate.js';
import type { Classifier, FitInput, ModelState } from '../types.js';
import {
  calibrateInPlace, calibratorFromJSON, calibratorToJSON, fitCalibrators, floorProba, type CalibrationMethod, type Calibrator,
} from './calibrators.js';
import { innerFoldsUpTo, subsetInput, type InnerFold } from './inner-folds.js';

/** Fits a model of a fixed kind and parameters on some rows. */
export type BaseFitter = (input: FitInput, rng: Rng) => Promise<Classifier> | Classifier;

/** Out-of-fold probabilities of the later training rows (validation blocks of the inner folds, in fold order). */
export interface OutOfFold {
  /** Row indices into the fit input. */
  rows: Int32Array;
  /** Fold (0-based) of each out-of-fold row. */
  fold: Uint8Array;
  y: Uint8Array;
  /** Row-major rows × K probabilities. */
  proba: Float64Array;
}

/**
 * Fit on each inner fold's training rows and predict its validation rows. Fold j's model gets the
 * generator `rng.fork(1000 + j)`, so the result depends on the seed alone.
 */
export async function outOfFold(input: FitInput, folds: InnerFold[], fit: BaseFitter, rng: Rng): Promise<OutOfFold> {
  const K = input.nClasses;
  const total = folds.reduce((a, f) => a + f.valid.length, 0);
  const rows = new Int32Array(total);
  const fold = new Uint8Array(total);
  const y = new Uint8Array(total);
  const proba = new Float64Array(total * K);
  let o = 0;
  for (let j = 0; j < folds.length; j++) {
    const f = folds[j] as InnerFold;
    const model = await fit(subsetInput(input, f.train), rng.fork(1000 + j));
    const valid = subsetInput(input, f.valid);
    proba.set(model.predictProba(valid.columns, valid.n), o * K);
    rows.set(f.valid, o);
    fold.fill(j, o, o + f.valid.length);
    y.set(valid.y, o);
    o += f.valid.length;
  }
  return { rows, fold, y, proba };
}

/** What the inner folds showed (kept on the fitted model for `mm train`'s output; not stored). */
export interface CalibrationDiagnostics {
  method: CalibrationMethod;
  folds: number;
  y: Uint8Array;
  /** The base model's out-of-fold probabilities. */
  before: Float64Array;
  /**
   * The same rows calibrated by calibrators fitted on the OTHER inner folds' rows only (cross-fitted),
   * so no row is judged by a calibrator fitted on it.
   */
  after: Float64Array;
}

/**
 * A base model followed by per-class one-vs-rest calibrators and renormalisation. Stored as
 * `{kind: "calibrated", method, folds, calibrators, base}`; the base keeps its own kind and state.
 */
export class CalibratedModel implements Classifier {
  diagnostics: CalibrationDiagnostics | null = null;
  constructor(
    readonly base: Classifier,
    readonly method: CalibrationMethod,
    readonly folds: number,
    readonly calibrators: Calibrator[],
  ) {}

  get kind(): string {
    return this.base.kind;
  }
  get nClasses(): number {
    return this.base.nClasses;
  }
  get nFeatures(): number {
    return this.base.nFeatures;
  }

  /** The base model's probabilities before calibration. */
  predictRaw(columns: readonly Float64Array[], n: number): Float64Array {
    return this.base.predictProba(columns, n);
  }

  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    const p = this.base.predictProba(columns, n);
    calibrateInPlace(this.calibrators, p, n);
    return p;
  }

  toJSON(): ModelState {
    return {
      kind: 'calibrated',
      version: 1,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      method: this.method,
      folds: this.folds,
      calibrators: this.calibrators.map(calibratorToJSON),
      base: this.base.toJSON(),
    };
  }

  /** @throws DataError when the stored state is malformed or disagrees with its base model. */
  static fromJSON(state: unknown, where: string, load: (s: unknown, w: string) => Classifier): CalibratedModel {
    const o = expectObject(state, where);
    expectNumber(o['version'], `${where}.version`, { int: true, min: 1, max: 1 });
    const method = expectString(o['method'], `${where}.method`);
    if (method !== 'sigmoid' && method !== 'isotonic') throw new DataError(`${where}.method: unknown calibration method "${method}"`);
    const folds = expectNumber(o['folds'], `${where}.folds`, { int: true, min: 1, max: 50 });
    const baseState = expectObject(o['base'], `${where}.base`);
    if (baseState['kind'] === 'calibrated') throw new DataError(`${where}.base: a calibrated model cannot wrap another`);
    const base = load(baseState, `${where}.base`);
    const nClasses = expectNumber(o['nClasses'], `${where}.nClasses`, { int: true });
    const nFeatures = expectNumber(o['nFeatures'], `${where}.nFeatures`, { int: true });
    if (nClasses !== base.nClasses || nFeatures !== base.nFeatures) throw new DataError(`${where}: class or feature count differs from its base model`);
    const cals = expectArray(o['calibrators'], `${where}.calibrators`, nClasses).map((c, k) => {
      const cal = calibratorFromJSON(c, `${where}.calibrators[${k}]`);
      if (cal.method !== method) throw new DataError(`${where}.calibrators[${k}]: method ${cal.method} differs from ${method}`);
      return cal;
    });
    return new CalibratedModel(base, method, folds, cals);
  }
}

/**
 * Fit a calibrated model on ONE training set: k chronological inner folds (see innerFolds; fewer
 * when the rows are too few for k) give
 * out-of-fold probabilities of the later training rows, one calibrator per class is fitted on them,
 * and the base model refitted on all rows (with `rng` itself, so it equals the uncalibrated model
 * of the same seed) is wrapped with those calibrators.
 */
export async function fitCalibrated(input: FitInput, method: CalibrationMethod, k: number, fit: BaseFitter, rng: Rng): Promise<CalibratedModel> {
  const folds = innerFoldsUpTo(input, k);
  const oof = await outOfFold(input, folds, fit, rng);
  const K = input.nClasses;
  const cals = fitCalibrators(method, oof.proba, oof.y, K);
  const base = await fit(input, rng);
  const model = new CalibratedModel(base, method, folds.length, cals);
  model.diagnostics = { method, folds: folds.length, y: oof.y, before: floorProba(Float64Array.from(oof.proba), oof.y.length, K), after: crossFitted(method, oof, K) };
  return model;
}

/** Each inner fold's rows calibrated by calibrators fitted on the other folds' rows (a fold alone: by itself, marked by k = 1). */
function crossFitted(method: CalibrationMethod, oof: OutOfFold, K: number): Float64Array {
  const n = oof.y.length;
  const out = Float64Array.from(oof.proba);
  const nf = oof.fold.length === 0 ? 0 : (oof.fold[n - 1] as number) + 1;
  for (let j = 0; j < nf; j++) {
    const inJ: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < n; i++) (oof.fold[i] === j ? inJ : other).push(i);
    const src = other.length > 0 ? other : inJ;
    const p = new Float64Array(src.length * K);
    const y = new Uint8Array(src.length);
    src.forEach((i, r) => {
      p.set(oof.proba.subarray(i * K, i * K + K), r * K);
      y[r] = oof.y[i] as number;
    });
    const cals = fitCalibrators(method, p, y, K);
    const q = new Float64Array(inJ.length * K);
    inJ.forEach((i, r) => q.set(oof.proba.subarray(i * K, i * K + K), r * K));
    calibrateInPlace(cals, q, inJ.length);
    inJ.forEach((i, r) => out.set(q.subarray(r * K, r * K + K), i * K));
  }
  return out;
}
