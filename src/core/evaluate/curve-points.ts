import { evenIndices } from '../util/downsample.js';
import { thresholdCounts, type ThresholdCounts } from './curves.js';

/** A ROC curve as columns: point 0 is (0, 0) at threshold +∞, then one point per distinct score, highest first. */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** A precision–recall curve as columns: point 0 is (recall 0, precision 1) at threshold +∞, then one point per distinct score, highest first. */
export interface PrCurve {
  recall: Float64Array;
  precision: Float64Array;
  thresholds: Float64Array;
}

/** [x, y] points as run.json stores them: ROC [fpr, tpr], PR [recall, precision]. */
export type CurvePoints = [number, number][];

/** One-vs-rest curves per class, downsampled; null where the curve is undefined for that class. */
export interface ClassCurves {
  /** Per class, from (0, 0) to (1, 1); null when the class has no positives or no negatives. */
  roc: (CurvePoints | null)[];
  /** Per class, from (0, 1) to (1, prevalence); null when the class has no positives. */
  pr: (CurvePoints | null)[];
}

export interface ClassCurvesOptions {
  /** Points kept per curve, endpoints included (default 64). */
  maxPoints?: number;
  /** Decimals kept per coordinate (default 4: far below a pixel of any chart). */
  digits?: number;
}

/**
 * One-vs-rest ROC curve with every distinct score as a threshold, like scikit-learn's
 * `roc_curve(drop_intermediate=False)`. Its trapezoid area equals `rocAuc` (ties count one half).
 * Null when there are no positives or no negatives.
 */
export function rocCurve(score: Float64Array, positive: Uint8Array): RocCurve | null {
  return rocFromCounts(thresholdCounts(score, positive));
}

function rocFromCounts(c: ThresholdCounts): RocCurve | null {
  if (c.pos === 0 || c.neg === 0) return null;
  const m = c.tps.length;
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  thresholds[0] = Infinity;
  for (let k = 0; k < m; k++) {
    fpr[k + 1] = (c.fps[k] as number) / c.neg;
    tpr[k + 1] = (c.tps[k] as number) / c.pos;
    thresholds[k + 1] = c.thresholds[k] as number;
  }
  return { fpr, tpr, thresholds };
}

/**
 * One-vs-rest precision–recall curve with every distinct score as a threshold, like scikit-learn's
 * `precision_recall_curve(drop_intermediate=False)` read in the other direction (recall rising).
 * Σ (R_k − R_{k−1}) · P_k over it is `averagePrecision`. Null when there are no positives.
 */
export function prCurve(score: Float64Array, positive: Uint8Array): PrCurve | null {
  return prFromCounts(thresholdCounts(score, positive));
}

function prFromCounts(c: ThresholdCounts): PrCurve | null {
  if (c.pos === 0) return null;
  const m = c.tps.length;
  const recall = new Float64Array(m + 1);
  const precision = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  precision[0] = 1;
  thresholds[0] = Infinity;
  for (let k = 0; k < m; k++) {
    const tp = c.tps[k] as number;
    recall[k + 1] = tp / c.pos;
    // Every threshold adds at least one row, so tp + fp > 0.
    precision[k + 1] = tp / (tp + (c.fps[k] as number));
    thresholds[k + 1] = c.thresholds[k] as number;
  }
  return { recall, precision, thresholds };
}

/**
 * A curve kept at `maxPoints` evenly spaced points (first and last included) with `digits` decimals,
 * as [x, y] pairs.
 */
export function curvePoints(x: Float64Array, y: Float64Array, maxPoints: number, digits: number): CurvePoints {
  const f = 10 ** digits;
  const r = (v: number): number => Math.round(v * f) / f;
  return Array.from(evenIndices(x.length, maxPoints), (i): [number, number] => [r(x[i] as number), r(y[i] as number)]);
}

/**
 * One-vs-rest ROC and PR curves of every class from row-major probabilities (n × nClasses), each
 * downsampled to at most `maxPoints` points so a run record stays small.
 */
export function classCurves(y: Uint8Array, proba: Float64Array, nClasses: number, o: ClassCurvesOptions = {}): ClassCurves {
  const maxPoints = o.maxPoints ?? 64;
  const digits = o.digits ?? 4;
  const n = y.length;
  const score = new Float64Array(n);
  const positive = new Uint8Array(n);
  const out: ClassCurves = { roc: [], pr: [] };
  for (let k = 0; k < nClasses; k++) {
    for (let i = 0; i < n; i++) {
      score[i] = proba[i * nClasses + k] as number;
      positive[i] = y[i] === k ? 1 : 0;
    }
    // One sort per class serves both curves.
    const counts = thresholdCounts(score, positive);
    const roc = rocFromCounts(counts);
    const pr = prFromCounts(counts);
    out.roc.push(roc === null ? null : curvePoints(roc.fpr, roc.tpr, maxPoints, digits));
    out.pr.push(pr === null ? null : curvePoints(pr.recall, pr.precision, maxPoints, digits));
  }
  return out;
}
