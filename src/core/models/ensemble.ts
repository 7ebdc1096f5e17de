import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectArray, expectNumber, expectObject, expectString } from '../util/validate.js';
import { floorProba } from './calibration/calibrators.js';
import { innerFoldsUpTo, subsetInput } from './calibration/inner-folds.js';
import { lbfgs } from './optim/lbfgs.js';
import type { Classifier, FitInput, ModelState } from './types.js';

/** Fits one member (by its position in the member list) on some rows. */
export type MemberFitter = (m: number, input: FitInput, rng: Rng) => Promise<Classifier> | Classifier;

/** What the inner folds showed: each member's and the blend's out-of-fold log-loss. Stored with the model. */
export interface EnsembleOof {
  rows: number;
  folds: number;
  logLoss: Record<string, number>;
}

/**
 * A weighted average of member models' probabilities, weights ≥ 0 summing to 1. Stored as
 * `{kind: "ens", names, weights, members, oof}`; each member keeps its own kind and state.
 */
export class EnsembleModel implements Classifier {
  readonly kind = 'ens';
  constructor(
    readonly names: string[],
    readonly weights: Float64Array,
    readonly members: Classifier[],
    readonly oof: EnsembleOof,
  ) {}

  get nClasses(): number {
    return (this.members[0] as Classifier).nClasses;
  }
  get nFeatures(): number {
    return (this.members[0] as Classifier).nFeatures;
  }

  predictProba(columns: readonly Float64Array[], n: number): Float64Array {
    const K = this.nClasses;
    const out = new Float64Array(n * K);
    this.members.forEach((m, j) => {
      const w = this.weights[j] as number;
      if (w === 0) return;
      const p = m.predictProba(columns, n);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + w * (p[i] as number);
    });
    return floorProba(out, n, K);
  }

  toJSON(): ModelState {
    return {
      kind: 'ens',
      version: 1,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      names: this.names,
      weights: Array.from(this.weights),
      oof: this.oof,
      members: this.members.map((m) => m.toJSON()),
    };
  }

  /** @throws DataError when the state is malformed: weights not a distribution, members disagreeing on shape, nested ensembles. */
  static fromJSON(state: unknown, where: string, load: (s: unknown, w: string) => Classifier): EnsembleModel {
    const o = expectObject(state, where);
    expectNumber(o['version'], `${where}.version`, { int: true, min: 1, max: 1 });
    const names = expectArray(o['names'], `${where}.names`).map((v, i) => expectString(v, `${where}.names[${i}]`));
    if (names.length === 0) throw new DataError(`${where}.names: an ensemble needs members`);
    const weights = expectArray(o['weights'], `${where}.weights`, names.length).map((v, i) => expectNumber(v, `${where}.weights[${i}]`, { min: 0, max: 1 }));
    const sum = weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) throw new DataError(`${where}.weights: sum to ${sum}, not 1`);
    const states = expectArray(o['members'], `${where}.members`, names.length);
    const members = states.map((s, i) => {
      const so = expectObject(s, `${where}.members[${i}]`);
      if (so['kind'] === 'ens') throw new DataError(`${where}.members[${i}]: an ensemble cannot contain an ensemble`);
      return load(so, `${where}.members[${i}]`);
    });
    const nClasses = expectNumber(o['nClasses'], `${where}.nClasses`, { int: true });
    const nFeatures = expectNumber(o['nFeatures'], `${where}.nFeatures`, { int: true });
    for (const [i, m] of members.entries()) {
      if (m.nClasses !== nClasses || m.nFeatures !== nFeatures) throw new DataError(`${where}.members[${i}]: class or feature count differs from the ensemble's`);
    }
    const oo = expectObject(o['oof'], `${where}.oof`);
    const ll = expectObject(oo['logLoss'], `${where}.oof.logLoss`);
    const oof: EnsembleOof = {
      rows: expectNumber(oo['rows'], `${where}.oof.rows`, { int: true, min: 0 }),
      folds: expectNumber(oo['folds'], `${where}.oof.folds`, { int: true, min: 0 }),
      logLoss: Object.fromEntries(Object.keys(ll).map((k) => [k, expectNumber(ll[k], `${where}.oof.logLoss.${k}`)])),
    };
    return new EnsembleModel(names, Float64Array.from(weights), members, oof);
  }
}

/**
 * Weights w ≥ 0, Σw = 1 minimising the mean log-loss of Σ_m w_m·P_m on rows with true classes y
 * (P_m row-major n × K). Softmax parametrisation w = softmax(z) minimised by L-BFGS from equal
 * weights; the problem is convex in w, so the optimum does not depend on the start.
 */
export function fitBlendWeights(probas: readonly Float64Array[], y: Uint8Array, K: number): Float64Array {
  const M = probas.length;
  const n = y.length;
  if (M === 1) return Float64Array.of(1);
  // Each member's probability of the true class per row is all the objective needs.
  const pt = probas.map((p) => Float64Array.from(y, (c, i) => Math.max(1e-12, p[i * K + c] as number)));
  const w = new Float64Array(M);
  const gw = new Float64Array(M);
  const softmax = (z: Float64Array): void => {
    let mx = -Infinity;
    for (const v of z) mx = Math.max(mx, v);
    let s = 0;
    for (let m = 0; m < M; m++) {
      w[m] = Math.exp((z[m] as number) - mx);
      s += w[m] as number;
    }
    for (let m = 0; m < M; m++) w[m] = (w[m] as number) / s;
  };
  const fn = (z: Float64Array, g: Float64Array): number => {
    softmax(z);
    gw.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let m = 0; m < M; m++) q += (w[m] as number) * ((pt[m] as Float64Array)[i] as number);
      f -= Math.log(q);
      for (let m = 0; m < M; m++) gw[m] = (gw[m] as number) - ((pt[m] as Float64Array)[i] as number) / q;
    }
    let wg = 0;
    for (let m = 0; m < M; m++) wg += (w[m] as number) * (gw[m] as number);
    for (let m = 0; m < M; m++) g[m] = ((w[m] as number) * ((gw[m] as number) - wg)) / n;
    return f / n;
  };
  const res = lbfgs(fn, new Float64Array(M), { gtol: 1e-7, ftol: 1e-13, maxIter: 200, memory: 10 });
  softmax(res.x);
  // Weights below 1e-6 carry no information; dropping them saves members' prediction time.
  let s = 0;
  for (let m = 0; m < M; m++) {
    if ((w[m] as number) < 1e-6) w[m] = 0;
    s += w[m] as number;
  }
  for (let m = 0; m < M; m++) w[m] = (w[m] as number) / s;
  return Float64Array.from(w);
}

function meanLogLoss(p: Float64Array, y: Uint8Array, K: number): number {
  let f = 0;
  for (let i = 0; i < y.length; i++) f -= Math.log(Math.max(1e-15, p[i * K + (y[i] as number)] as number));
  return y.length > 0 ? f / y.length : NaN;
}

/**
 * Fit an ensemble on ONE training set: k chronological inner folds (purged, see innerFolds) give
 * every member's out-of-fold probabilities of the later training rows (inner fold j with
 * `rng.fork(1000 + j)`), the blend weights are fitted on those, and each member is refitted on all
 * rows with `rng` itself: the same generators a calibrated model gives its inner and final fits. With too few rows
 * for one inner fold the weights are equal and `oof.folds` is 0.
 */
export async function fitEnsemble(input: FitInput, names: string[], k: number, fit: MemberFitter, rng: Rng): Promise<EnsembleModel> {
  const K = input.nClasses;
  // Every member's final fit starts from the generator as given (a member may draw from it).
  const start = rng.clone();
  let folds: { train: Int32Array; valid: Int32Array }[];
  try {
    folds = innerFoldsUpTo(input, k);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // Too few rows for even one inner fold (an ensemble fitted inside a small inner fold of a
    // calibration or walk-forward fold): equal weights, recorded as fitted on 0 rows.
    folds = [];
  }
  const validN = folds.reduce((a, f) => a + f.valid.length, 0);
  const y = new Uint8Array(validN);
  const probas = names.map(() => new Float64Array(validN * K));
  let o = 0;
  for (let j = 0; j < folds.length; j++) {
    const f = folds[j] as { train: Int32Array; valid: Int32Array };
    const tr = subsetInput(input, f.train);
    const va = subsetInput(input, f.valid);
    y.set(va.y, o);
    for (let m = 0; m < names.length; m++) {
      // The generators of a calibrated model's inner fold j and final fit (calibrated.ts), so that an
      // ensemble beside its calibrated members in `mm compare` shares their fits (see fit-memo.ts).
      const model = await fit(m, tr, rng.fork(1000 + j));
      (probas[m] as Float64Array).set(model.predictProba(va.columns, va.n), o * K);
    }
    o += va.n;
  }
  const weights = folds.length === 0 ? new Float64Array(names.length).fill(1 / names.length) : fitBlendWeights(probas, y, K);
  const blend = new Float64Array(validN * K);
  probas.forEach((p, m) => {
    for (let i = 0; i < blend.length; i++) blend[i] = (blend[i] as number) + (weights[m] as number) * (p[i] as number);
  });
  const logLoss: Record<string, number> = {};
  names.forEach((nm, m) => {
    logLoss[nm] = meanLogLoss(probas[m] as Float64Array, y, K);
  });
  logLoss['ens'] = meanLogLoss(blend, y, K);
  const members: Classifier[] = [];
  for (let m = 0; m < names.length; m++) members.push(await fit(m, input, start.clone()));
  return new EnsembleModel(names, weights, members, { rows: validN, folds: folds.length, logLoss });
}
