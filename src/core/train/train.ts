import type { Progress } from '../util/progress.js';
import { isoUtc, readBarsFile, type ReadReport } from '../data/index.js';
import { holdoutAt, holdoutSplit, indexAtTime, pick, selectRows, type HoldoutSplit } from '../dataset/index.js';
import { argmaxRows, scoreClassifier, versusBaselines, type JudgedInterval, type Metrics } from '../evaluate/index.js';
import { computeFeatures, type FeatureSpec } from '../features/index.js';
import {
  CLASS_SCORES, classCounts, currentClasses, fitThresholds, forwardReturns, HOLD, labelBars, N_CLASSES, NO_LABEL,
  thresholdsAt, type LabelSpec,
} from '../labels/index.js';
import { fitModel, floorProba, MajorityModel, PersistenceBaseline, resolveModelParams, type ModelKind } from '../models/index.js';
import { makeRunId, writeRun, type RunRecord } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { sha256 } from '../util/fs-atomic.js';
import { encodeModelState } from '../util/model-artifact.js';
import { calibrationReport, type CalibrationReport } from './calibration.js';
import { Rng } from '../util/rng.js';

export interface TrainOptions {
  path: string;
  tz?: string;
  symbol?: string;
  features: FeatureSpec;
  labels: LabelSpec;
  model: { kind: ModelKind; params: Record<string, unknown> };
  testFraction: number;
  /** Test on the bars from this time (ms) on instead of the last testFraction. */
  testFrom?: number;
  seed: number;
  registry: string;
  command: string;
  mmVersion: string;
  tags?: Record<string, string>;
  /** Block bootstrap of the model's difference to each baseline (default 1000 resamples, blocks of 1 session). */
  bootstrap?: { resamples: number; blockSessions: number };
}

export interface TrainDeps {
  clock: Clock;
  /** Stage names as work advances (the CLI shows them on a TTY). */
  onProgress?: Progress;
}

export interface TrainResult {
  runId: string;
  run: RunRecord;
  data: ReadReport;
  split: HoldoutSplit & { trainRows: number; testRows: number; trainFrom: string; trainTo: string; testFrom: string; testTo: string };
  thresholds: LabelSpec;
  classBalance: { train: number[]; test: number[] };
  metrics: {
    model: Metrics; majority: Metrics; persistence: Metrics;
    /** Per baseline and headline metric: 95% block-bootstrap interval of model minus baseline (positive = model better) and its verdict. */
    vsBaselines: Record<string, Record<string, JudgedInterval>>;
  };
  /** Calibration on the inner folds and on the test rows (null when the model is not calibrated). */
  calibration: CalibrationReport | null;
  timings: { readMs: number; featuresMs: number; fitMs: number; predictMs: number };
}

const iso = isoUtc;

/**
 * Fit one model on a chronological holdout and evaluate it out of sample beside the majority and
 * persistence baselines on the same test rows, then record the run. Label thresholds are fitted on
 * training rows only; a purge of `horizon` bars separates train from test; nothing is shuffled.
 * @throws DataError for bad input data; UsageError for a split that leaves no rows.
 */
export async function trainModel(o: TrainOptions, deps: TrainDeps): Promise<TrainResult> {
  const { clock } = deps;
  const progress = deps.onProgress ?? (() => undefined);
  const h = o.labels.horizon;
  const params = resolveModelParams(o.model.kind, o.model.params);
  let t = clock.elapsed();
  const lap = (): number => {
    const now = clock.elapsed();
    const d = now - t;
    t = now;
    return Math.round(d);
  };
  progress('reading bars');
  const readOpts: { tz?: string; symbol?: string; minRows: number } = { minRows: o.features.window + h + 10 };
  if (o.tz !== undefined) readOpts.tz = o.tz;
  if (o.symbol !== undefined) readOpts.symbol = o.symbol;
  const { bars, report } = readBarsFile(o.path, readOpts);
  const readMs = lap();

  progress('computing features');
  const frame = computeFeatures(bars, o.features);
  const featuresMs = lap();

  const labelWarmup = o.labels.scheme === 'vol' ? o.labels.window : 0;
  const first = Math.max(frame.warmup, labelWarmup);
  const split = o.testFrom === undefined ? holdoutSplit(first, bars.n - h, o.testFraction, h) : holdoutAt(first, bars.n - h, indexAtTime(bars.time, o.testFrom), h);
  const forward = forwardReturns(bars.close, h);
  const labels = fitThresholds(o.labels, forward.subarray(split.train.start, split.train.end));
  const th = thresholdsAt(bars.close, labels);
  const y = labelBars(bars.close, labels, th);
  const current = currentClasses(bars.close, labels, th);
  const train = selectRows(frame.columns, y, split.train.start, split.train.end);
  const test = selectRows(frame.columns, y, split.test.start, split.test.end);

  progress(`fitting ${o.model.kind} on ${train.n} rows`);
  const model = await fitModel(o.model.kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES, time: pick(bars.time, train.index), horizon: h, onProgress: (done, total) => progress(`fitting ${o.model.kind} on ${train.n} rows: trees`, done, total) }, params, new Rng(o.seed));
  const fitMs = lap();
  progress(`predicting ${test.n} test rows`);
  // Scored exactly as mm predict writes them: no probability exactly 0 or 1.
  const proba = floorProba(model.predictProba(test.columns, test.n), test.n, N_CLASSES);
  const predictMs = lap();

  const fwdTest = pick(forward, test.index);
  const scoreOpts = { forward: fwdTest, scores: CLASS_SCORES };
  const majority = MajorityModel.fit(train.y, N_CLASSES, train.columns.length);
  const persistence = PersistenceBaseline.fit(train.y, pick(current, train.index), N_CLASSES);
  const curTest = pick(current, test.index).map((c) => (c === NO_LABEL ? HOLD : c));
  const majProba = majority.predictProba(test.columns, test.n);
  const persProba = persistence.predictProba(curTest);
  const boot = o.bootstrap ?? { resamples: 1000, blockSessions: 1 };
  progress(`bootstrapping the differences to the baselines (${boot.resamples} resamples)`);
  const metrics = {
    // Only the model keeps its ROC/PR curves: the baselines' are flat or a single step.
    model: scoreClassifier(test.y, proba, N_CLASSES, { ...scoreOpts, curves: true }),
    majority: scoreClassifier(test.y, majProba, N_CLASSES, scoreOpts),
    persistence: scoreClassifier(test.y, persProba, N_CLASSES, { ...scoreOpts, pred: curTest }),
    // Whole sessions are resampled, so intraday dependence stays inside a resample.
    vsBaselines: versusBaselines(
      test.y, pick(bars.time, test.index), N_CLASSES,
      { proba, pred: argmaxRows(proba, test.n, N_CLASSES) },
      { majority: { proba: majProba, pred: argmaxRows(majProba, test.n, N_CLASSES) }, persistence: { proba: persProba, pred: curTest } },
      { resamples: boot.resamples, blockSessions: boot.blockSessions, rng: new Rng(o.seed).fork(7) },
    ),
  };

  const calibration = calibrationReport(model, test);
  const splitInfo = {
    ...split,
    trainRows: train.n,
    testRows: test.n,
    trainFrom: iso(bars.time[split.train.start] as number),
    trainTo: iso(bars.time[split.train.end - 1] as number),
    testFrom: iso(bars.time[split.test.start] as number),
    testTo: iso(bars.time[split.test.end - 1] as number),
  };
  // model.json is a small header; a forest's node arrays go to model.bin as typed binary.
  const artifact = encodeModelState(model.toJSON());
  const modelJson = artifact.json;
  const timings = { readMs, featuresMs, fitMs, predictMs };
  const body = {
    schemaVersion: 1,
    mmVersion: o.mmVersion,
    command: o.command,
    seed: o.seed,
    data: {
      paths: [o.path],
      sha256: [report.sha256],
      symbols: bars.symbol === null ? [] : [bars.symbol],
      rows: report.rows,
      from: iso(report.first),
      to: iso(report.last),
      intervalMs: report.intervalMs,
    },
    features: o.features,
    labels,
    model: { kind: o.model.kind, params, file: 'model.json', sha256: sha256(modelJson) },
    split: splitInfo,
    metrics,
    ...(calibration === null ? {} : { calibration }),
    timings,
    tags: o.tags ?? {},
  };
  const createdAt = clock.now();
  const contentHash = sha256(JSON.stringify({ ...body, timings: null }) + modelJson);
  const record: RunRecord = { id: makeRunId(createdAt, o.model.kind, contentHash), createdAt: createdAt.toISOString(), ...body };
  progress('recording the run');
  const written = writeRun(o.registry, record, artifact);
  return {
    runId: written.id,
    run: written,
    data: report,
    split: splitInfo,
    thresholds: labels,
    classBalance: { train: classCounts(train.y), test: classCounts(test.y) },
    metrics,
    calibration,
    timings,
  };
}
