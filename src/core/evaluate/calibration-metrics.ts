import { DataError } from '../errors.js';

/**
 * Calibration metrics of predicted class probabilities: the multi-class Brier score, the top-label
 * expected calibration error (ECE) and the reliability bins it is computed from.
 *
 * Conventions (the same for every model and baseline):
 * - Brier score = mean over rows of Σ_k (p_k − y_k)², y one-hot. 0 is perfect, 2 the worst; a
 *   model that always predicts the class frequencies scores 1 − Σ_k f_k².
 * - Top-label ECE: each row's confidence is its largest probability and it counts as correct when
 *   that class (ties → lowest class index, as `argmaxRows`) is the true one. Rows are put in
 *   `nBins` equal-width bins of confidence over [0, 1] (bin b holds [b/nBins, (b+1)/nBins), the
 *   last bin also holds 1); ECE = Σ_b (n_b / n) · |accuracy_b − mean confidence_b|.
 */

/** Bins used for the ECE every metrics table shows. */
export const ECE_BINS = 10;

/** One equal-width confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower and upper confidence edge of the bin. */
  lo: number;
  hi: number;
  /** Rows whose top-label confidence falls in the bin. */
  count: number;
  /** Mean top-label confidence of those rows; null when the bin is empty. */
  meanConfidence: number | null;
  /** Share of those rows whose top label is the true class; null when the bin is empty. */
  accuracy: number | null;
}

function check(y: Uint8Array, proba: Float64Array, nClasses: number): number {
  const n = y.length;
  if (n === 0) throw new DataError('no rows to evaluate on', { hint: 'use more data or a smaller test share' });
  if (!Number.isInteger(nClasses) || nClasses < 1) throw new DataError(`invalid class count ${nClasses}`);
  if (proba.length !== n * nClasses) throw new DataError(`probabilities have ${proba.length} values, expected ${n}×${nClasses}`);
  return n;
}

/** Multi-class Brier score: mean over rows of Σ_k (p_k − [y = k])². */
export function brierScore(y: Uint8Array, proba: Float64Array, nClasses: number): number {
  const n = check(y, proba, nClasses);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i] as number;
    const base = i * nClasses;
    for (let k = 0; k < nClasses; k++) {
      const d = (proba[base + k] as number) - (k === t ? 1 : 0);
      total += d * d;
    }
  }
  return total / n;
}

/**
 * Top-label reliability bins: per equal-width confidence bin, how many rows, their mean confidence
 * and the share whose top label was right.
 */
export function reliabilityBins(y: Uint8Array, proba: Float64Array, nClasses: number, nBins: number = ECE_BINS): ReliabilityBin[] {
  const n = check(y, proba, nClasses);
  if (!Number.isInteger(nBins) || nBins < 1) throw new DataError(`invalid bin count ${nBins}`);
  const count = new Float64Array(nBins);
  const confSum = new Float64Array(nBins);
  const correct = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const base = i * nClasses;
    let best = 0;
    let bp = proba[base] as number;
    for (let k = 1; k < nClasses; k++) {
      const p = proba[base + k] as number;
      if (p > bp) {
        bp = p;
        best = k;
      }
    }
    let b = Math.floor(bp * nBins);
    if (b >= nBins) b = nBins - 1;
    if (b < 0) b = 0;
    count[b] = (count[b] as number) + 1;
    confSum[b] = (confSum[b] as number) + bp;
    if (best === y[i]) correct[b] = (correct[b] as number) + 1;
  }
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const c = count[b] as number;
    bins.push({
      lo: b / nBins,
      hi: (b + 1) / nBins,
      count: c,
      meanConfidence: c > 0 ? (confSum[b] as number) / c : null,
      accuracy: c > 0 ? (correct[b] as number) / c : null,
    });
  }
  return bins;
}

/** Top-label expected calibration error with `nBins` equal-width bins (10 by default). */
export function expectedCalibrationError(y: Uint8Array, proba: Float64Array, nClasses: number, nBins: number = ECE_BINS): number {
  const bins = reliabilityBins(y, proba, nClasses, nBins);
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    ece += (bin.count / y.length) * Math.abs((bin.accuracy as number) - (bin.meanConfidence as number));
  }
  return ece;
}
