import { argsortValues, averageRanks } from './ranks.js';

/**
 * One-vs-rest ROC-AUC from the Mann–Whitney U statistic (ties count one half).
 * Null when the class has no positives or no negatives among the rows.
 */
export function rocAuc(score: Float64Array, positive: Uint8Array): number | null {
  const n = score.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += positive[i] as number;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  const ranks = averageRanks(score);
  let sumPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) sumPos += ranks[i] as number;
  return (sumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Average precision (area under the precision–recall curve as scikit-learn defines it:
 * Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, highest first). Null without positives.
 */
export function averagePrecision(score: Float64Array, positive: Uint8Array): number | null {
  const { tps, fps, pos } = thresholdCounts(score, positive);
  if (pos === 0) return null;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const tp = tps[k] as number;
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + (fps[k] as number)));
    prevRecall = recall;
  }
  return ap;
}

export interface ThresholdCounts {
  /** Cumulative true / false positives when predicting positive at score ≥ thresholds[k]. */
  tps: Float64Array;
  fps: Float64Array;
  thresholds: Float64Array;
  pos: number;
  neg: number;
}

/**
 * Cumulative counts at each distinct score, highest first (scikit-learn's `_binary_clf_curve`):
 * rows tied at one score enter together, so a tie is one point, never a staircase in row order.
 * Scores must not be NaN.
 */
export function thresholdCounts(score: Float64Array, positive: Uint8Array): ThresholdCounts {
  const n = score.length;
  // ascending order, walked from the top
  const idx = argsortValues(score);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let m = 0;
  let i = n - 1;
  while (i >= 0) {
    const v = score[idx[i] as number] as number;
    while (i >= 0 && score[idx[i] as number] === v) {
      if (positive[idx[i] as number]) tp++;
      else fp++;
      i--;
    }
    tps[m] = tp;
    fps[m] = fp;
    thresholds[m] = v;
    m++;
  }
  return { tps: tps.subarray(0, m), fps: fps.subarray(0, m), thresholds: thresholds.subarray(0, m), pos: tp, neg: fp };
}
