import { DataError } from '../errors.js';
import { brierScore, expectedCalibrationError } from './calibration-metrics.js';
import { classCurves, type ClassCurves } from './curve-points.js';
import { averagePrecision, rocAuc } from './curves.js';
import { pearson, spearman } from './ranks.js';

/** Precision, recall and F1 of one class, with its support (true rows of that class). */
export interface ClassMetrics {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  support: number;
  /** One-vs-rest ROC-AUC of this class's probability; null when the class is absent or everywhere. */
  rocAuc: number | null;
  /** One-vs-rest average precision (PR-AUC); null when the class is absent. */
  prAuc: number | null;
}

/** Out-of-sample metrics of one model on one set of rows (docs/evaluation.md). */
export interface Metrics {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  logLoss: number;
  /** Multi-class Brier score (mean Σ_k (p_k − y_k)²); absent in runs recorded before it existed. */
  brier?: number;
  /** Top-label expected calibration error, 10 equal-width bins; absent in older runs. */
  ece?: number;
  /** Mean of the per-class OvR AUCs that are defined. */
  macroRocAuc: number | null;
  macroPrAuc: number | null;
  /** confusion[true][pred] counts. */
  confusion: number[][];
  perClass: ClassMetrics[];
  /** Pearson and Spearman correlation of the expected score Σ p_k·score_k with the forward return. */
  ic: number | null;
  rankIc: number | null;
  /** One-vs-rest ROC and PR points per class, downsampled; only when asked for (`ScoreOptions.curves`). */
  curves?: ClassCurves;
}

export interface ScoreOptions {
  /** Forward returns of the same rows, for the information coefficient. */
  forward?: Float64Array;
  /** Class scores for the expected score (e.g. −2..+2); needed with `forward`. */
  scores?: readonly number[];
  /**
   * Hard predictions when they are not the argmax of `proba` (the persistence baseline predicts
   * the current class while its probabilities are a conditional distribution).
   */
  pred?: Uint8Array;
  /** Also keep the per-class ROC and PR curves (≤ 64 points each), as a recorded model evaluation does. */
  curves?: boolean;
}

/** Probabilities are clipped here before the log, as scikit-learn does, so one 0 cannot give ∞. */
const EPS = 1e-15;

/**
 * Score predicted probabilities against true classes.
 * Conventions follow scikit-learn: macro F1 averages over the classes present in y_true ∪ y_pred
 * (a class never seen nor predicted does not count), balanced accuracy averages recall over classes
 * present in y_true, and a precision/recall with a zero denominator is reported as null and
 * counted as 0 in the macro average. Log-loss renormalises each clipped row like sklearn.
 * @param proba row-major probabilities (n × nClasses)
 * @throws DataError when the lengths do not agree or there are no rows.
 */
export function scoreClassifier(y: Uint8Array, proba: Float64Array, nClasses: number, opts: ScoreOptions = {}): Metrics {
  const { forward, scores } = opts;
  const n = y.length;
  if (n === 0) throw new DataError('no rows to evaluate on', { hint: 'use more data or a smaller test share' });
  if (proba.length !== n * nClasses) throw new DataError(`probabilities have ${proba.length} values, expected ${n}×${nClasses}`);
  const confusion = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  const pred = opts.pred ?? argmaxRows(proba, n, nClasses);
  if (pred.length !== n) throw new DataError(`hard predictions have ${pred.length} rows, expected ${n}`);
  let correct = 0;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i] as number;
    const p = pred[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
    let rowSum = 0;
    for (let k = 0; k < nClasses; k++) rowSum += clip(proba[i * nClasses + k] as number);
    ll -= Math.log(clip(proba[i * nClasses + t] as number) / rowSum);
  }
  const perClass: ClassMetrics[] = [];
  let f1Sum = 0;
  let f1Count = 0;
  let recSum = 0;
  let recCount = 0;
  let rocSum = 0;
  let rocCount = 0;
  let prSum = 0;
  let prCount = 0;
  const score = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let k = 0; k < nClasses; k++) {
    let tp = 0;
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < nClasses; j++) {
      predicted += (confusion[j] as number[])[k] as number;
      support += (confusion[k] as number[])[j] as number;
    }
    tp = (confusion[k] as number[])[k] as number;
    const precision = predicted > 0 ? tp / predicted : null;
    const recall = support > 0 ? tp / support : null;
    const f1 = precision === null || recall === null ? (predicted + support > 0 ? 0 : null) : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (predicted + support > 0) {
      f1Sum += f1 ?? 0;
      f1Count++;
    }
    if (recall !== null) {
      recSum += recall;
      recCount++;
    }
    for (let i = 0; i < n; i++) {
      score[i] = proba[i * nClasses + k] as number;
      positive[i] = y[i] === k ? 1 : 0;
    }
    const auc = rocAuc(score, positive);
    const ap = averagePrecision(score, positive);
    if (auc !== null) {
      rocSum += auc;
      rocCount++;
    }
    if (ap !== null) {
      prSum += ap;
      prCount++;
    }
    perClass.push({ precision, recall, f1, support, rocAuc: auc, prAuc: ap });
  }
  let ic: number | null = null;
  let rankIc: number | null = null;
  if (forward !== undefined && scores !== undefined) {
    const e = expectedScores(proba, n, nClasses, scores);
    ic = pearson(e, forward);
    rankIc = spearman(e, forward);
  }
  return {
    n,
    accuracy: correct / n,
    balancedAccuracy: recCount > 0 ? recSum / recCount : 0,
    macroF1: f1Count > 0 ? f1Sum / f1Count : 0,
    logLoss: ll / n,
    brier: brierScore(y, proba, nClasses),
    ece: expectedCalibrationError(y, proba, nClasses),
    macroRocAuc: rocCount > 0 ? rocSum / rocCount : null,
    macroPrAuc: prCount > 0 ? prSum / prCount : null,
    confusion,
    perClass,
    ic,
    rankIc,
    ...(opts.curves === true ? { curves: classCurves(y, proba, nClasses) } : {}),
  };
}

function clip(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

/** Index of the largest probability per row; ties go to the lowest class index (numpy's argmax). */
export function argmaxRows(proba: Float64Array, n: number, nClasses: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bp = proba[i * nClasses] as number;
    for (let k = 1; k < nClasses; k++) {
      const p = proba[i * nClasses + k] as number;
      if (p > bp) {
        bp = p;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Σ_k p_k · score_k per row: the signed conviction a model carries beyond its argmax. */
export function expectedScores(proba: Float64Array, n: number, nClasses: number, scores: readonly number[]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < nClasses; k++) s += (proba[i * nClasses + k] as number) * (scores[k] as number);
    out[i] = s;
  }
  return out;
}
