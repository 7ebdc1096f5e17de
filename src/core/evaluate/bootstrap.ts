import { sessionKey } from '../data/index.js';
import { verdictOf, type Verdict } from './verdict.js';
import type { Rng } from '../util/rng.js';
import { quantileSorted } from '../labels/index.js';

/** Per-block sufficient statistics of one model's predictions: a confusion matrix, summed log-loss and Brier score. */
export interface BlockStats {
  confusion: Float64Array[];
  logLoss: Float64Array;
  brier: Float64Array;
  rows: Float64Array;
}

/** Metrics a block bootstrap can resample, with the direction that counts as better. */
export const BOOTSTRAP_METRICS = { logLoss: 'lower', brier: 'lower', macroF1: 'higher', balancedAccuracy: 'higher' } as const;
export type BootstrapMetric = keyof typeof BOOTSTRAP_METRICS;

/**
 * Group test rows into blocks (e.g. sessions) and sum per block what macro F1, balanced accuracy,
 * log-loss and the Brier score need,
 * so a bootstrap resample costs O(blocks), not O(rows).
 */
export function blockStats(block: Int32Array, nBlocks: number, y: Uint8Array, pred: Uint8Array, proba: Float64Array, k: number): BlockStats {
  const confusion = Array.from({ length: nBlocks }, () => new Float64Array(k * k));
  const logLoss = new Float64Array(nBlocks);
  const brier = new Float64Array(nBlocks);
  const rows = new Float64Array(nBlocks);
  for (let i = 0; i < y.length; i++) {
    const b = block[i] as number;
    const t = y[i] as number;
    const cm = confusion[b] as Float64Array;
    const cell = t * k + (pred[i] as number);
    cm[cell] = (cm[cell] as number) + 1;
    const p = Math.min(1 - 1e-15, Math.max(1e-15, proba[i * k + t] as number));
    logLoss[b] = (logLoss[b] as number) - Math.log(p);
    let sq = 0;
    for (let j = 0; j < k; j++) {
      const d = (proba[i * k + j] as number) - (j === t ? 1 : 0);
      sq += d * d;
    }
    brier[b] = (brier[b] as number) + sq;
    rows[b] = (rows[b] as number) + 1;
  }
  return { confusion, logLoss, brier, rows };
}

/** Macro F1 of a k×k confusion matrix (classes present in truth or prediction), as scoreClassifier does. */
export function macroF1Of(c: Float64Array, k: number): number {
  let sum = 0;
  let count = 0;
  for (let j = 0; j < k; j++) {
    let tp = 0;
    let predicted = 0;
    let support = 0;
    for (let i = 0; i < k; i++) {
      predicted += c[i * k + j] as number;
      support += c[j * k + i] as number;
    }
    tp = c[j * k + j] as number;
    if (predicted + support === 0) continue;
    count++;
    sum += tp === 0 ? 0 : (2 * tp) / (predicted + support);
  }
  return count === 0 ? 0 : sum / count;
}

/** Balanced accuracy of a k×k confusion matrix: mean recall over the classes present in truth. */
export function balancedAccuracyOf(c: Float64Array, k: number): number {
  let sum = 0;
  let count = 0;
  for (let j = 0; j < k; j++) {
    let support = 0;
    for (let i = 0; i < k; i++) support += c[j * k + i] as number;
    if (support === 0) continue;
    count++;
    sum += (c[j * k + j] as number) / support;
  }
  return count === 0 ? 0 : sum / count;
}

export interface BootstrapInterval {
  metric: BootstrapMetric;
  /** Model minus baseline, in the metric's better direction (positive = model better). */
  delta: number;
  lo: number;
  hi: number;
  /** Share of resamples where the model was NOT better: a one-sided bootstrap p-value. */
  pNotBetter: number;
  blocks: number;
  resamples: number;
}

/**
 * Block bootstrap of the difference between a model and a baseline on the same test rows: draw
 * whole blocks (sessions) with replacement, recompute both metrics on the resample, and take the
 * 2.5% and 97.5% percentiles of the difference. Blocks keep intraday dependence inside a resample.
 */
export function blockBootstrap(model: BlockStats, base: BlockStats, k: number, metric: BootstrapMetric, resamples: number, rng: Rng): BootstrapInterval {
  const nb = model.rows.length;
  const value = (s: BlockStats, pick: (acc: (b: number) => void) => void): number => {
    if (metric === 'macroF1' || metric === 'balancedAccuracy') {
      const c = new Float64Array(k * k);
      pick((b) => {
        const m = s.confusion[b] as Float64Array;
        for (let i = 0; i < k * k; i++) c[i] = (c[i] as number) + (m[i] as number);
      });
      return metric === 'macroF1' ? macroF1Of(c, k) : balancedAccuracyOf(c, k);
    }
    const sums = metric === 'logLoss' ? s.logLoss : s.brier;
    let total = 0;
    let n = 0;
    pick((b) => {
      total += sums[b] as number;
      n += s.rows[b] as number;
    });
    return n === 0 ? 0 : total / n;
  };
  const sign = BOOTSTRAP_METRICS[metric] === 'higher' ? 1 : -1;
  const all = (f: (b: number) => void): void => {
    for (let b = 0; b < nb; b++) f(b);
  };
  // `+ 0` turns −0 (sign × 0) into 0 so identical models report a clean zero.
  const delta = sign * (value(model, all) - value(base, all)) + 0;
  const diffs = new Float64Array(resamples);
  const draw = new Int32Array(nb);
  let notBetter = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < nb; i++) draw[i] = rng.int(nb);
    const some = (f: (b: number) => void): void => {
      for (let i = 0; i < nb; i++) f(draw[i] as number);
    };
    const d = sign * (value(model, some) - value(base, some)) + 0;
    diffs[r] = d;
    if (d <= 0) notBetter++;
  }
  diffs.sort();
  return { metric, delta, lo: quantileSorted(diffs, 0.025), hi: quantileSorted(diffs, 0.975), pNotBetter: notBetter / resamples, blocks: nb, resamples };
}

/**
 * Block id per test row (rows in time order, any symbols): rows of the same exchange session share
 * a block; consecutive groups of `sessions` sessions form one block.
 */
export function sessionBlocks(time: Float64Array, sessions: number): { index: Int32Array; count: number } {
  const keys = Array.from(time, (t) => sessionKey(t));
  const distinct = [...new Set(keys)].sort((a, b) => a - b);
  const rank = new Map(distinct.map((k, i) => [k, Math.floor(i / sessions)]));
  const index = Int32Array.from(keys, (k) => rank.get(k) as number);
  return { index, count: distinct.length === 0 ? 0 : Math.floor((distinct.length - 1) / sessions) + 1 };
}

/** Headline metrics whose difference to each baseline `mm train` reports with an interval. */
export const HEADLINE_METRICS: BootstrapMetric[] = ['logLoss', 'brier', 'macroF1', 'balancedAccuracy'];

/** One model's predictions on some rows: probabilities (row-major) and hard predictions. */
export interface Predictions {
  proba: Float64Array;
  pred: Uint8Array;
}

/** A bootstrap interval with the verdict read off it (real / worse / not significant). */
export type JudgedInterval = BootstrapInterval & { verdict: Verdict };

/**
 * Per baseline and metric, the block-bootstrap interval (blocks of `blockSessions` whole sessions)
 * of the model's difference to that baseline on the same rows, positive = model better.
 */
export function versusBaselines(
  y: Uint8Array, time: Float64Array, k: number, model: Predictions, baselines: Record<string, Predictions>,
  o: { metrics?: BootstrapMetric[]; resamples: number; blockSessions: number; rng: Rng },
): Record<string, Record<string, JudgedInterval>> {
  const block = sessionBlocks(time, o.blockSessions);
  const mine = blockStats(block.index, block.count, y, model.pred, model.proba, k);
  const out: Record<string, Record<string, JudgedInterval>> = {};
  Object.entries(baselines).forEach(([name, b], bi) => {
    const theirs = blockStats(block.index, block.count, y, b.pred, b.proba, k);
    const per: Record<string, JudgedInterval> = {};
    (o.metrics ?? HEADLINE_METRICS).forEach((metric, mi) => {
      const iv = blockBootstrap(mine, theirs, k, metric, o.resamples, o.rng.fork(bi * 16 + mi));
      per[metric] = { ...iv, verdict: verdictOf(iv) };
    });
    out[name] = per;
  });
  return out;
}
