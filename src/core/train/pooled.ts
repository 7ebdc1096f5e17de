import type { Progress } from '../util/progress.js';
import { isoUtc, readBarsMany, type ReadReport, type ReadResult } from '../data/index.js';
import {
  cutTime, indexAtTime, makeSymbolEncoding, pooledRows, symbolFeatureNames, type PooledRows, type Series, type SymbolEncoding,
} from '../dataset/index.js';
import { argmaxRows, scoreClassifier, versusBaselines, type JudgedInterval, type Metrics } from '../evaluate/index.js';

import { UsageError } from '../errors.js';
import { computeFeaturesMany, withMarketContext, type FeatureFrame, type FeatureSpec } from '../features/index.js';
import {
  CLASS_SCORES, classCounts, currentClasses, fitThresholds, forwardReturns, HOLD, labelBars, N_CLASSES, NO_LABEL, thresholdsAt,
  type LabelSpec,
} from '../labels/index.js';
import { fitModel, floorProba, MajorityModel, PersistenceBaseline, resolveModelParams, type ModelKind } from '../models/index.js';
import { makeRunId, writeRun, type RunRecord } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { sha256 } from '../util/fs-atomic.js';
import { encodeModelState } from '../util/model-artifact.js';
import { Rng } from '../util/rng.js';
import { calibrationReport, type CalibrationReport } from './calibration.js';

export interface PooledTrainOptions {
  paths: string[];
  tz?: string;
  features: FeatureSpec;
  labels: LabelSpec;
  /** Quantile thresholds fitted over all symbols' training rows, or per symbol. */
  thresholdScope: 'pooled' | 'symbol';
  symbolEncoding: 'none' | 'ordinal' | 'onehot';
  /** Add the market-context features (basket = the input symbols). */
  marketContext?: boolean;
  model: { kind: ModelKind; params: Record<string, unknown> };
  testFraction: number;
  /** Test on the bars from this time (ms) on, for every symbol, instead of the last testFraction. */
  testFrom?: number;
  seed: number;
  registry: string;
  command: string;
  mmVersion: string;
  tags?: Record<string, string>;
}

export interface PooledTrainResult {
  runId: string;
  run: RunRecord;
  inputs: ReadReport[];
  symbols: string[];
  cut: string;
  trainRows: number;
  testRows: number;
  labels: LabelSpec;
  labelsBySymbol: Record<string, LabelSpec> | null;
  classBalance: { train: number[]; test: number[] };
  metrics: { model: Metrics; majority: Metrics; persistence: Metrics; vsBaselines: Record<string, Record<string, JudgedInterval>> };
  perSymbol: { symbol: string; testRows: number; macroF1: number | null; persistenceMacroF1: number | null }[];
  /** Per symbol: bars of the union of all symbols' timestamps that it lacks (aligned on time, never rows). */
  missingBars: Record<string, number>;
  /** Calibration on the inner folds and on the test rows (null when the model is not calibrated). */
  calibration: CalibrationReport | null;
  timings: { readMs: number; featuresMs: number; fitMs: number; predictMs: number };
}

const iso = isoUtc;

/**
 * One pooled model over several symbols (Phase B): features per symbol on its own bars, one
 * chronological cut time shared by all symbols (train before it, minus a purge of `horizon` bars per
 * symbol; test after it), a symbol feature as chosen, thresholds fitted on training rows only (pooled
 * or per symbol), and the majority/persistence baselines on the same test rows.
 * @throws UsageError for duplicate symbols or a split without rows; DataError for bad input.
 */
export async function trainPooled(o: PooledTrainOptions, deps: { clock: Clock; onProgress?: Progress }): Promise<PooledTrainResult> {
  const progress = deps.onProgress ?? (() => undefined);
  const clock = deps.clock;
  const h = o.labels.horizon;
  const params = resolveModelParams(o.model.kind, o.model.params);
  let t0 = clock.elapsed();
  const lap = (): number => {
    const now = clock.elapsed();
    const d = Math.round(now - t0);
    t0 = now;
    return d;
  };
  progress(`reading ${o.paths.length} files`);
  // readBarsMany refuses two files of one symbol and aligns the symbols on timestamps.
  const many = readBarsMany(o.paths, { minRows: o.features.window + h + 10, ...(o.tz === undefined ? {} : { tz: o.tz }) });
  const symbols = many.symbols;
  const reads = symbols.map((s) => many.bySymbol.get(s) as ReadResult);
  const readMs = lap();
  progress('computing features');
  const labelWarmup = o.labels.scheme === 'vol' ? o.labels.window : 0;
  const features = o.marketContext === true ? withMarketContext(o.features, symbols) : o.features;
  const frames = computeFeaturesMany(reads.map((r) => ({ symbol: r.bars.symbol, bars: r.bars })), features);
  const series: Series[] = reads.map((r, i) => {
    const frame = frames[i] as FeatureFrame;
    return { symbol: r.bars.symbol, bars: r.bars, frame, first: Math.max(frame.warmup, labelWarmup) };
  });
  const featuresMs = lap();
  const last = series.map((s) => s.bars.n - h);
  const cut = o.testFrom ?? cutTime(series, last, o.testFraction);
  const testStart = series.map((s) => indexAtTime(s.bars.time, cut));
  const trainRanges = series.map((s, i) => ({ start: s.first, end: Math.max(s.first, (testStart[i] as number) - h) }));
  const testRanges = series.map((s, i) => ({ start: Math.max(s.first, testStart[i] as number), end: Math.max(s.first, last[i] as number) }));
  const forwards = series.map((s) => forwardReturns(s.bars.close, h));

  // Thresholds from training rows only: all symbols' forward returns together, or each symbol's own.
  const trainFwd = (i: number): Float64Array => {
    const r = trainRanges[i] as { start: number; end: number };
    return (forwards[i] as Float64Array).subarray(r.start, r.end);
  };
  let pooledLabels = o.labels;
  let bySymbol: LabelSpec[];
  if (o.thresholdScope === 'pooled') {
    const all = new Float64Array(series.reduce((a, _, i) => a + trainFwd(i).length, 0));
    let off = 0;
    series.forEach((_, i) => {
      all.set(trainFwd(i), off);
      off += trainFwd(i).length;
    });
    pooledLabels = fitThresholds(o.labels, all);
    bySymbol = series.map(() => pooledLabels);
  } else {
    bySymbol = series.map((_, i) => fitThresholds(o.labels, trainFwd(i)));
  }
  const ys: Uint8Array[] = [];
  const currents: Uint8Array[] = [];
  series.forEach((s, i) => {
    const th = thresholdsAt(s.bars.close, bySymbol[i] as LabelSpec);
    ys.push(labelBars(s.bars.close, bySymbol[i] as LabelSpec, th));
    currents.push(currentClasses(s.bars.close, bySymbol[i] as LabelSpec, th).map((c) => (c === NO_LABEL ? HOLD : c)));
  });
  const encoding: SymbolEncoding = makeSymbolEncoding(o.symbolEncoding, symbols);
  const train = pooledRows(series, ys, trainRanges, encoding);
  const test = pooledRows(series, ys, testRanges, encoding);
  if (train.n < 10 || test.n < 1) throw new UsageError(`the split leaves ${train.n} training and ${test.n} test rows`, { hint: 'use longer files or another --test-size' });
  const gather = (arrays: (Float64Array | Uint8Array)[], rows: PooledRows): Float64Array => {
    const out = new Float64Array(rows.n);
    for (let k = 0; k < rows.n; k++) out[k] = (arrays[rows.series[k] as number] as Float64Array)[rows.index[k] as number] as number;
    return out;
  };
  const curTrain = Uint8Array.from(gather(currents, train));
  const curTest = Uint8Array.from(gather(currents, test));
  const fwdTest = gather(forwards, test);

  progress(`fitting ${o.model.kind} on ${train.n} pooled rows`);
  const model = await fitModel(o.model.kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES, time: gather(series.map((s) => s.bars.time), train), horizon: h, onProgress: (done, total) => progress(`fitting ${o.model.kind} on ${train.n} pooled rows: trees`, done, total) }, params, new Rng(o.seed));
  const fitMs = lap();
  const proba = floorProba(model.predictProba(test.columns, test.n), test.n, N_CLASSES);
  const predictMs = lap();
  const scoreOpts = { forward: fwdTest, scores: CLASS_SCORES };
  const pers = PersistenceBaseline.fit(train.y, curTrain, N_CLASSES);
  const persProba = pers.predictProba(curTest);
  const majProba = MajorityModel.fit(train.y, N_CLASSES, train.columns.length).predictProba(test.columns, test.n);
  const metrics = {
    // Only the model keeps its ROC/PR curves: the baselines' are flat or a single step.
    model: scoreClassifier(test.y, proba, N_CLASSES, { ...scoreOpts, curves: true }),
    majority: scoreClassifier(test.y, majProba, N_CLASSES, scoreOpts),
    persistence: scoreClassifier(test.y, persProba, N_CLASSES, { ...scoreOpts, pred: curTest }),
    // Blocks are whole sessions over all symbols together: the hours of one session move together.
    vsBaselines: versusBaselines(
      test.y, gather(series.map((x) => x.bars.time), test), N_CLASSES,
      { proba, pred: argmaxRows(proba, test.n, N_CLASSES) },
      { majority: { proba: majProba, pred: argmaxRows(majProba, test.n, N_CLASSES) }, persistence: { proba: persProba, pred: curTest } },
      { resamples: 1000, blockSessions: 1, rng: new Rng(o.seed).fork(7) },
    ),
  };
  const perSymbol = series.map((_, i) => {
    const rows: number[] = [];
    for (let k = 0; k < test.n; k++) if (test.series[k] === i) rows.push(k);
    const sub = <T extends Float64Array | Uint8Array>(a: T, width: number): T => {
      const out = new (a.constructor as new (n: number) => T)(rows.length * width);
      rows.forEach((k, j) => {
        for (let c = 0; c < width; c++) out[j * width + c] = a[k * width + c] as number;
      });
      return out;
    };
    const ok = rows.length > 0;
    return {
      symbol: symbols[i] as string,
      testRows: rows.length,
      macroF1: ok ? scoreClassifier(sub(test.y, 1), sub(proba, N_CLASSES), N_CLASSES).macroF1 : null,
      persistenceMacroF1: ok ? scoreClassifier(sub(test.y, 1), sub(persProba, N_CLASSES), N_CLASSES, { pred: sub(curTest, 1) }).macroF1 : null,
    };
  });

  // model.json is a small header; a forest's node arrays go to model.bin as typed binary.
  const artifact = encodeModelState(model.toJSON());
  const modelJson = artifact.json;
  const timings = { readMs, featuresMs, fitMs, predictMs };
  const calibration = calibrationReport(model, test);
  const firsts = reads.map((r) => r.report.first);
  const lasts = reads.map((r) => r.report.last);
  const body = {
    schemaVersion: 1,
    mmVersion: o.mmVersion,
    command: o.command,
    seed: o.seed,
    data: {
      paths: reads.map((r) => r.report.source),
      sha256: reads.map((r) => r.report.sha256),
      symbols,
      rows: reads.reduce((a, r) => a + r.report.rows, 0),
      from: iso(Math.min(...firsts)),
      to: iso(Math.max(...lasts)),
      intervalMs: reads[0]?.report.intervalMs ?? 0,
    },
    features,
    labels: pooledLabels,
    model: { kind: o.model.kind, params, file: 'model.json', sha256: sha256(modelJson) },
    symbolFeature: encoding,
    featureNames: [...(series[0]?.frame.names ?? []), ...symbolFeatureNames(encoding)],
    split: { kind: 'holdout-pooled', testFraction: o.testFraction, purge: h, cut: iso(cut), trainRows: train.n, testRows: test.n, thresholdScope: o.thresholdScope },
    metrics: { ...metrics, perSymbol, labelsBySymbol: o.thresholdScope === 'symbol' ? Object.fromEntries(symbols.map((s, i) => [s, bySymbol[i]])) : null },
    ...(calibration === null ? {} : { calibration }),
    timings,
    tags: o.tags ?? {},
  };
  const createdAt = clock.now();
  const id = makeRunId(createdAt, o.model.kind, sha256(JSON.stringify({ ...body, timings: null }) + modelJson));
  progress('recording the run');
  const written = writeRun(o.registry, { id, createdAt: createdAt.toISOString(), ...body } as RunRecord, artifact);
  return {
    runId: written.id,
    run: written,
    inputs: reads.map((r) => r.report),
    symbols,
    cut: iso(cut),
    trainRows: train.n,
    testRows: test.n,
    labels: pooledLabels,
    labelsBySymbol: o.thresholdScope === 'symbol' ? Object.fromEntries(symbols.map((s, i) => [s, bySymbol[i] as LabelSpec])) : null,
    classBalance: { train: classCounts(train.y), test: classCounts(test.y) },
    metrics,
    perSymbol,
    missingBars: many.alignment.missing,
    calibration,
    timings,
  };
}
