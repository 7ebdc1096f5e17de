import { compareCandidates, type WalkForwardConfig } from '../compare/index.js';
import { isoUtc, readBarsFile } from '../data/index.js';
import { CheckFailedError, ConflictError, DataError } from '../errors.js';
import { storedModelParams, type ModelKind } from '../models/index.js';
import {
  argmaxRows, BOOTSTRAP_METRICS, blockBootstrap, blockStats, isUncalibrated, sessionBlocks, verdictOf, type BootstrapMetric, type Metrics,
} from '../evaluate/index.js';
import { N_CLASSES } from '../labels/index.js';
import { loadRunModel } from '../predict/index.js';
import { readAliases, readRun, resolveRef, setAlias, validateAliasName, type AliasLogEntry, type RunRecord } from '../registry/index.js';
import { evaluateOnRunHoldout } from '../train/index.js';
import type { Clock } from '../util/clock.js';
import type { Progress } from '../util/progress.js';
import { Rng } from '../util/rng.js';
import { EVALUATION_LABELS, fmt, headline, judge, type CalibrationCheck, type GateResult, type GateRule, type JudgeContext } from './gate.js';

export interface PromoteOptions extends GateRule {
  registry: string;
  ref: string;
  alias: string;
  force: boolean;
  clock: Clock;
  lockTimeoutMs: number;
  /** Progress of a long gate evaluation: refits inside the challenger's folds, trees of a refit. */
  onProgress?: Progress;
}

export interface PromoteResult {
  alias: string;
  from: string | null;
  to: string;
  forced: boolean;
  gate: GateResult;
  log: AliasLogEntry;
}

/** Resamples of the challenger-minus-champion interval the gate prints beside its decision. */
const GATE_RESAMPLES = 1000;

function recorded(r: RunRecord): Metrics | null {
  const m = (r.metrics as { model?: Metrics }).model;
  return m !== undefined && typeof m.macroF1 === 'number' ? m : null;
}

/** Two runs share an evaluation when they saw the same bytes, labels and test rows or folds. */
function sameEvaluation(a: RunRecord, b: RunRecord): boolean {
  const key = (r: RunRecord): string => {
    const s = r.split as { kind?: unknown; test?: unknown; foldRanges?: { test?: unknown }[] };
    return JSON.stringify([r.data.sha256, r.labels, s.kind, s.test ?? s.foldRanges?.map((f) => f.test)]);
  };
  return key(a) === key(b);
}

/**
 * A walk-forward challenger against a champion evaluated elsewhere: refit the champion's kind and
 * parameters inside the challenger's folds on the challenger's data, beside the challenger itself.
 * @throws DataError when the two use different feature specs (their rows would differ) or the data changed.
 */
async function refitOnFolds(o: PromoteOptions, challenger: RunRecord, champion: RunRecord): Promise<GateResult> {
  if (JSON.stringify(challenger.features) !== JSON.stringify(champion.features) || JSON.stringify(challenger.symbolFeature) !== JSON.stringify(champion.symbolFeature)) {
    throw new DataError(`${champion.id} uses another feature spec than ${challenger.id}, so they cannot be refitted on the same folds`, {
      hint: 'compare both with one `mm compare` run, or promote with --force',
    });
  }
  const reads = challenger.data.paths.map((path, i) => {
    const r = readBarsFile(path);
    if (r.report.sha256 !== challenger.data.sha256[i]) {
      throw new DataError(`${path} changed since run ${challenger.id} was recorded (sha256 differs)`, { hint: 'restore the file or rerun mm compare' });
    }
    return r;
  });
  const split = challenger.split as unknown as WalkForwardConfig;
  const cv: WalkForwardConfig = { kind: 'walk-forward', folds: split.folds, mode: split.mode, purge: split.purge, embargo: split.embargo, trainSize: split.trainSize };
  const r = await compareCandidates(
    {
      series: reads, symbolEncoding: challenger.symbolFeature?.kind ?? 'none', features: challenger.features, labels: challenger.labels, cv, seed: challenger.seed, metric: 'logLoss',
      bootstrap: { resamples: 200, blockSessions: 1 },
      keepOutOfFold: true,
      candidates: [
        { name: 'challenger', kind: challenger.model.kind as ModelKind, params: storedModelParams(challenger.model.params) },
        // The champion keeps its own seed, as it was fitted with it.
        { name: 'champion', kind: champion.model.kind as ModelKind, params: storedModelParams(champion.model.params) },
      ],
    },
    { clock: o.clock, onUnit: (done, total, label) => o.onProgress?.(`refitting in the challenger's folds: ${label}`, done, total) },
  );
  const get = (name: string): Metrics => (r.candidates.find((c) => c.name === name) as { pooled: Metrics }).pooled;
  const oof = r.outOfFold as NonNullable<typeof r.outOfFold>;
  return judge(o, get('challenger'), get('champion'), {
    evaluation: 'refit-folds',
    reason: `${challenger.id} is a walk-forward run, so ${champion.model.kind} with the champion's parameters was refitted inside its ${cv.folds} ${cv.mode} folds and both were scored out of fold`,
    rows: oof.y.length,
    calibration: calibration(get('challenger').logLoss, get('majority').logLoss),
    ...pairwise(o, oof.y, oof.time, oof.proba['challenger'] as Float64Array, oof.proba['champion'] as Float64Array),
  });
}

function calibration(logLoss: number | null | undefined, majorityLogLoss: number | null | undefined): CalibrationCheck {
  return { logLoss: logLoss ?? null, majorityLogLoss: majorityLogLoss ?? null, uncalibrated: isUncalibrated(logLoss, majorityLogLoss) };
}

/** Block bootstrap (whole sessions) of challenger minus champion on the gate metric, when it can be resampled. */
function pairwise(o: PromoteOptions, y: Uint8Array, time: Float64Array, a: Float64Array, b: Float64Array): Pick<JudgeContext, 'interval' | 'verdict'> {
  if (!Object.prototype.hasOwnProperty.call(BOOTSTRAP_METRICS, o.metric) || y.length === 0) return { interval: null, verdict: null };
  const block = sessionBlocks(time, 1);
  const k = N_CLASSES;
  const sa = blockStats(block.index, block.count, y, argmaxRows(a, y.length, k), a, k);
  const sb = blockStats(block.index, block.count, y, argmaxRows(b, y.length, k), b, k);
  const interval = blockBootstrap(sa, sb, k, o.metric as BootstrapMetric, GATE_RESAMPLES, new Rng(1));
  return { interval, verdict: verdictOf(interval) };
}

const iso = isoUtc;

/**
 * The time span whose bars a run's model saw while fitting, widened by the label horizon (a
 * training row's label reads the close `horizon` bars later). Null when the run does not say.
 */
export function fittedSpan(r: RunRecord): { from: number; to: number } | null {
  const s = r.split as Record<string, unknown>;
  const ahead = r.labels.horizon * r.data.intervalMs;
  const span = (from: unknown, to: unknown, extra: number): { from: number; to: number } | null => {
    const a = typeof from === 'string' ? Date.parse(from) : NaN;
    const b = typeof to === 'string' ? Date.parse(to) : NaN;
    return Number.isFinite(a) && Number.isFinite(b) ? { from: a, to: b + extra } : null;
  };
  // A holdout run was fitted on its training rows; a comparison run's final model on every bar.
  if (s['kind'] === 'holdout') return span(s['trainFrom'], s['trainTo'], ahead);
  if (s['kind'] === 'walk-forward') return span(r.data.from, r.data.to, 0);
  if (s['kind'] === 'holdout-pooled') return span(r.data.from, s['cut'], 0);
  return null;
}

/** The span of a holdout run's test rows, widened by the horizon its labels read ahead. */
function testSpan(r: RunRecord): { from: number; to: number } | null {
  const s = r.split as Record<string, unknown>;
  const a = typeof s['testFrom'] === 'string' ? Date.parse(s['testFrom']) : NaN;
  const b = typeof s['testTo'] === 'string' ? Date.parse(s['testTo']) : NaN;
  return Number.isFinite(a) && Number.isFinite(b) ? { from: a, to: b + r.labels.horizon * r.data.intervalMs } : null;
}

/**
 * A holdout challenger against a champion evaluated elsewhere. When the champion's fitted span
 * (any symbol: bars of the same hours move together) reaches the challenger's test rows, scoring
 * the fitted champion there would score it on rows it was fitted on; its kind and parameters are
 * then refitted on the challenger's training rows instead. Otherwise both fitted models are scored
 * on the challenger's test rows.
 */
async function onHoldout(o: PromoteOptions, challenger: RunRecord, champion: RunRecord): Promise<GateResult> {
  const fitted = fittedSpan(champion);
  const tested = testSpan(challenger);
  const overlaps = fitted === null || tested === null || (fitted.from <= tested.to && tested.from <= fitted.to);
  const ch = loadRunModel(o.registry, challenger.id);
  const contenders = [{ name: 'challenger', features: ch.run.features, model: ch.model }];
  let reason: string;
  const sp = challenger.split as Record<string, unknown>;
  const testText = tested === null ? 'the test rows' : `the test rows ${String(sp['testFrom'])} → ${String(sp['testTo'])}`;
  if (overlaps) {
    reason = fitted === null
      ? `the span ${champion.id} was fitted on is not recorded, so ${champion.model.kind} with its parameters was refitted on the training rows of ${challenger.id}`
      : `${champion.id} was fitted on bars ${iso(fitted.from)} → ${iso(fitted.to)}, which reach ${testText} of ${challenger.id}, so ${champion.model.kind} with its parameters was refitted on the challenger's training rows`;
  } else {
    reason = `${champion.id} was fitted on bars ${iso((fitted as { from: number }).from)} → ${iso((fitted as { to: number }).to)}, which do not reach ${testText} of ${challenger.id}, so both fitted models were scored on those rows`;
  }
  const ev = await evaluateOnRunHoldout(challenger, overlaps
    ? [...contenders, { name: 'champion', features: champion.features, refit: { kind: champion.model.kind, params: storedModelParams(champion.model.params), seed: champion.seed } }]
    : [...contenders, { name: 'champion', features: champion.features, model: loadRunModel(o.registry, champion.id).model }], (done, total) => o.onProgress?.(`refitting ${champion.model.kind} on the challenger's training rows: trees`, done, total));
  const a = ev.metrics['challenger'] as Metrics;
  const b = ev.metrics['champion'] as Metrics;
  return judge(o, a, b, {
    evaluation: overlaps ? 'refit-train' : 'rescored-holdout',
    reason: overlaps ? `${reason} (${ev.refitRows} rows)` : reason,
    rows: ev.y.length,
    calibration: calibration(a.logLoss, ev.majority.logLoss),
    ...pairwise(o, ev.y, ev.time, ev.proba['challenger'] as Float64Array, ev.proba['champion'] as Float64Array),
  });
}

/**
 * Champion–challenger promotion: point `alias` at the challenger only if its probabilities beat the
 * majority baseline's (log-loss) and it beats the run the alias holds now by the gate rule, both
 * models scored on rows neither was fitted on. Runs evaluated on the same data, labels and test
 * rows or folds are compared on their recorded metrics; otherwise see `GateEvaluation`. The
 * decision and the move happen under the registry lock.
 * @throws CheckFailedError (exit 6) when the gate fails without --force, with the comparison in
 *   `details`; nothing changes then.
 */
export async function promote(o: PromoteOptions): Promise<PromoteResult> {
  const { id } = resolveRef(o.registry, o.ref);
  validateAliasName(o.alias);
  // The model must load exactly as predict and serve will load it (sha256 against run.json, state
  // validation, kind and feature count) before any alias can point at it.
  const challenger = loadRunModel(o.registry, id).run;
  // The evaluation can take a while (re-scoring or refitting), so it runs outside the lock; the
  // move then happens only if the alias still points where it did (optimistic concurrency).
  const seen = readAliases(o.registry).get(o.alias) ?? null;
  const gate = await decide(o, challenger, seen);
  const log = setAlias(o.registry, o.alias, id, {
    clock: o.clock,
    lockTimeoutMs: o.lockTimeoutMs,
    forced: o.force,
    gate: (current) => {
      if (current !== seen) {
        throw new ConflictError(`alias "${o.alias}" moved from ${seen ?? '(none)'} to ${current ?? '(none)'} while the gate was evaluated`, {
          hint: 'run mm promote again to gate against the new holder',
        });
      }
      if (!gate.passed && !o.force) {
        const against = current === null ? '' : ` against ${current} (${EVALUATION_LABELS[gate.evaluation]})`;
        throw new CheckFailedError(
          `${id} is not promoted${against}: ${gate.failure ?? 'the gate failed'}`,
          { hint: `alias "${o.alias}" is unchanged; use --force to promote anyway (it is logged)`, details: { alias: o.alias, from: current, to: id, gate } },
        );
      }
      return gate;
    },
  });
  return { alias: o.alias, from: log.from, to: id, forced: o.force && !gate.passed, gate, log };
}

async function decide(o: PromoteOptions, challenger: RunRecord, current: string | null): Promise<GateResult> {
  const own = recorded(challenger);
  const ownMajority = (challenger.metrics as { majority?: Metrics }).majority;
  const ownCalibration = calibration(own?.logLoss, ownMajority?.logLoss);
  if (current === null) {
    return judgeAlone(o, own, ownCalibration, 'no-champion', 'no run holds the alias yet; the challenger is checked against the majority baseline on its recorded out-of-sample rows');
  }
  if (current === challenger.id) return { ...judgeAlone(o, own, ownCalibration, 'same-run', 'the alias already points at this run'), passed: true, failure: null };
  const champion = readRun(o.registry, current);
  const b = recorded(champion);
  if (own !== null && b !== null && sameEvaluation(challenger, champion)) {
    return judge(o, own, b, {
      evaluation: 'recorded',
      reason: 'both runs were scored out of sample on the same data, labels and test rows or folds',
      rows: own.n,
      calibration: ownCalibration,
    });
  }
  if ((challenger.split as { kind?: unknown }).kind === 'walk-forward') return refitOnFolds(o, challenger, champion);
  return onHoldout(o, challenger, champion);
}

/** No champion to compare with: only the calibration check can fail. */
function judgeAlone(o: PromoteOptions, own: Metrics | null, cal: CalibrationCheck, evaluation: 'no-champion' | 'same-run', reason: string): GateResult {
  const v = own?.[o.metric];
  return {
    metric: o.metric, challenger: typeof v === 'number' ? v : null, champion: null, delta: null, required: 0,
    passed: cal.uncalibrated !== true, evaluation, reason, rows: own?.n ?? null, calibration: cal, interval: null, verdict: null,
    scores: { challenger: headline(own), champion: null },
    failure: cal.uncalibrated === true ? `uncalibrated: log-loss ${fmt(cal.logLoss)} is not below the majority baseline's ${fmt(cal.majorityLogLoss)} on the same rows` : null,
  };
}
