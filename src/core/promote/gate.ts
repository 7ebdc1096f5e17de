import { UsageError } from '../errors.js';
import type { BootstrapInterval, Metrics, Verdict } from '../evaluate/index.js';

/** Metrics a gate can compare on, with the direction that counts as better. */
export const GATE_METRICS = {
  logLoss: 'lower',
  brier: 'lower',
  macroF1: 'higher',
  balancedAccuracy: 'higher',
  accuracy: 'higher',
  macroRocAuc: 'higher',
} as const;
export type GateMetric = keyof typeof GATE_METRICS;
/** A proper scoring rule decides by default: it rewards honest probabilities, which are the product. */
export const DEFAULT_GATE_METRIC: GateMetric = 'logLoss';

export interface GateRule {
  metric: GateMetric;
  /** Minimum absolute improvement. */
  minDelta: number;
  /** Minimum improvement relative to the champion's value (0.01 = 1%). */
  minRelDelta: number;
}

/**
 * How the two runs were scored, always on rows neither was fitted on:
 * - `recorded`: both were evaluated out of sample on the same data, labels and test rows or folds;
 * - `rescored-holdout`: the champion's training range does not reach the challenger's test rows, so
 *   both fitted models are scored on those rows;
 * - `refit-train`: it does, so the champion's kind and parameters are refitted on the challenger's
 *   training rows and both are scored on the challenger's test rows;
 * - `refit-folds`: a walk-forward challenger; the champion's kind and parameters are refitted inside
 *   the challenger's folds and both are scored out of fold.
 */
export type GateEvaluation = 'recorded' | 'rescored-holdout' | 'refit-train' | 'refit-folds' | 'no-champion' | 'same-run';

export const EVALUATION_LABELS: Record<GateEvaluation, string> = {
  'recorded': 'recorded metrics',
  'rescored-holdout': 're-scored on unseen holdout',
  'refit-train': "refit on challenger's training rows",
  'refit-folds': 'refit in folds',
  'no-champion': 'no champion',
  'same-run': 'same run',
};

/** The challenger's log-loss against the majority baseline's on the rows it was judged on. */
export interface CalibrationCheck {
  logLoss: number | null;
  majorityLogLoss: number | null;
  /** Log-loss not below the majority baseline's: the default gate does not promote it. Null when unknown. */
  uncalibrated: boolean | null;
}

export interface GateResult {
  metric: GateMetric;
  challenger: number | null;
  champion: number | null;
  /** Improvement in the better direction (positive = challenger better). */
  delta: number | null;
  required: number;
  passed: boolean;
  evaluation: GateEvaluation;
  /** Why that evaluation was used, in one sentence. */
  reason: string;
  /** Rows both were scored on (null for recorded metrics of different kinds of evaluation). */
  rows: number | null;
  calibration: CalibrationCheck;
  /** Block bootstrap (session blocks) of challenger minus champion on the rows both were scored on, when they were scored here. */
  interval: BootstrapInterval | null;
  verdict: Verdict | null;
  /** Why the gate failed, when it did. */
  failure: string | null;
  /** Both models' headline scores on the rows they were judged on (proper scores first, macro F1 beside). */
  scores: { challenger: HeadlineScores | null; champion: HeadlineScores | null };
}

export interface HeadlineScores {
  logLoss: number | null;
  brier: number | null;
  ece: number | null;
  macroF1: number | null;
}

export function headline(m: Metrics | null | undefined): HeadlineScores | null {
  if (m === null || m === undefined) return null;
  const n = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return { logLoss: n(m.logLoss), brier: n(m.brier), ece: n(m.ece), macroF1: n(m.macroF1) };
}

export function parseGateMetric(name: string): GateMetric {
  if (!Object.prototype.hasOwnProperty.call(GATE_METRICS, name)) {
    throw new UsageError(`unknown gate metric "${name}"`, { hint: `use one of: ${Object.keys(GATE_METRICS).join(', ')}` });
  }
  return name as GateMetric;
}

export interface JudgeContext {
  evaluation: GateEvaluation;
  reason: string;
  rows?: number | null;
  calibration?: CalibrationCheck;
  interval?: BootstrapInterval | null;
  verdict?: Verdict | null;
}

const value = (m: Metrics, k: GateMetric): number | null => {
  const v = m[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * Does the challenger beat the champion by the rule's margins, and are its probabilities better
 * than the class frequencies? The required improvement is the larger of the absolute and the
 * relative margin. A missing value never passes; an uncalibrated challenger never passes.
 */
export function judge(rule: GateRule, challenger: Metrics, champion: Metrics, ctx: JudgeContext): GateResult {
  const a = value(challenger, rule.metric);
  const b = value(champion, rule.metric);
  const sign = GATE_METRICS[rule.metric] === 'higher' ? 1 : -1;
  const required = Math.max(rule.minDelta, rule.minRelDelta * (b === null ? 0 : Math.abs(b)));
  const calibration = ctx.calibration ?? { logLoss: null, majorityLogLoss: null, uncalibrated: null };
  const delta = a === null || b === null ? null : sign * (a - b);
  // Strictly better: a tie is not a reason to move production.
  const beats = delta !== null && delta > 0 && delta >= required;
  const failure = calibration.uncalibrated === true
    ? `uncalibrated: log-loss ${fmt(calibration.logLoss)} is not below the majority baseline's ${fmt(calibration.majorityLogLoss)} on the same rows`
    : beats ? null : `does not beat the champion on ${rule.metric}: ${fmt(a)} vs ${fmt(b)} (improvement ${fmt(delta)}, required > ${required.toFixed(4)})`;
  return {
    metric: rule.metric, challenger: a, champion: b, delta, required, passed: failure === null,
    evaluation: ctx.evaluation, reason: ctx.reason, rows: ctx.rows ?? null, calibration,
    interval: ctx.interval ?? null, verdict: ctx.verdict ?? null, failure,
    scores: { challenger: headline(challenger), champion: headline(champion) },
  };
}

export const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
