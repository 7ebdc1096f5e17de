import { isoUtc, readBarsFile, type Bars } from '../data/index.js';
import { UsageError } from '../errors.js';
import type { FeatureSpec } from '../features/index.js';
import type { LabelSpec } from '../labels/index.js';
import type { ModelKind } from '../models/index.js';
import { confidenceReach, loadRunModel, predictBars, walkForwardPredict, type ConfidenceReach, type PredictionTable, type Span, type WalkForwardResult } from '../predict/index.js';
import { makeRunId, openRegistry } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { evenIndices, finiteOrNull } from '../util/downsample.js';
import { sha256, writeJsonAtomic } from '../util/fs-atomic.js';
import { alignBars } from './align.js';
import { inferPeriodsPerYear } from './periods.js';
import { targetPositions, type PositionSizes } from './positions.js';
import { readPredictionsCsv } from './predictions-csv.js';
import { simulate } from './simulate.js';
import { backtestStats, type BacktestStats } from './stats.js';
import { sweep, type SweepMetric, type SweepResult } from './sweep.js';
import type { BacktestSeries, Fill } from './types.js';
import type { Ohlcv, ReadReport } from '../data/index.js';
import type { Executor, UnitProgress } from '../exec/index.js';
import { resolve } from 'node:path';

export type BacktestSource =
  | { kind: 'model'; registry: string; ref: string; history?: string }
  | { kind: 'predictions'; path: string }
  | { kind: 'walk-forward'; features: FeatureSpec; labels: LabelSpec; model: ModelKind; params: Record<string, unknown>; seed: number; refitEvery: Span; trainWindow: Span | null };

export interface ExecutionOptions {
  minConfidence: number;
  sizes: PositionSizes;
  longOnly: boolean;
  fill: Fill;
  feeBps: number;
  slippageBps: number;
  flatAtClose: boolean;
  stopLossPct: number | null;
  takeProfitPct: number | null;
}

export interface BacktestRunOptions extends ExecutionOptions {
  path: string;
  tz?: string;
  /** Overrides the symbol from the file's `symbol` column or name (as `mm predict --symbol`). */
  symbol?: string;
  source: BacktestSource;
  /** Default: inferred from the bar interval and a 390-minute session. */
  periodsPerYear?: number;
  /** Tune min-confidence on the first `validationFraction` of the rows, report the rest as the test. */
  sweep?: { values: number[]; validationFraction: number; metric: SweepMetric };
  registry: string;
  command: string;
  mmVersion: string;
  clock: Clock;
  onProgress?: (m: string) => void;
  /** Where `--refit-every` refits run (default: here, one after the other). */
  executor?: Executor;
  onUnit?: UnitProgress;
}

export interface BacktestRunResult {
  id: string;
  symbol: string | null;
  source: { kind: BacktestSource['kind']; model: string | null };
  range: { from: string; to: string; bars: number };
  periodsPerYear: number;
  execution: ExecutionOptions;
  stats: BacktestStats;
  /** Training range of the model overlapping the backtested bars (in-sample trading): a loud warning. */
  overlap: { from: string; to: string; bars: number } | null;
  refits: WalkForwardResult['refits'] | null;
  sweep: (Omit<SweepResult<number>, 'rows'> & { rows: { value: number; score: number | null }[]; validation: { from: string; to: string; bars: number } }) | null;
  /** How many traded bars reached the confidence gate (none: every position was flat). */
  confidence: ConfidenceReach;
  series: BacktestSeries;
  bars: Ohlcv;
}

const iso = isoUtc;

/** Points of the equity curves a backtest record keeps (evenly spaced bars, the last included). */
export const RECORD_SERIES_POINTS = 1000;

/** The equity curves as a backtest record stores them: strategy and buy-and-hold, at most RECORD_SERIES_POINTS bars. */
export interface RecordedEquity {
  /** Bars simulated; `time.length` of them are kept. */
  bars: number;
  time: string[];
  /** Strategy equity after each kept bar (1 = the starting equity). */
  equity: (number | null)[];
  /** close / first close: long 1.0 without costs, the benchmark of the statistics. */
  buyHold: (number | null)[];
}

/** Downsample a simulated series and the bars it traded for the record. */
export function recordedEquity(series: BacktestSeries, bars: Ohlcv): RecordedEquity {
  const idx = evenIndices(series.n, RECORD_SERIES_POINTS);
  const c0 = bars.close[0] as number;
  return {
    bars: series.n,
    time: Array.from(idx, (i) => iso(series.time[i] as number)),
    equity: Array.from(idx, (i) => finiteOrNull(series.equity[i] as number)),
    buyHold: Array.from(idx, (i) => finiteOrNull((bars.close[i] as number) / c0)),
  };
}

function readOptions(o: BacktestRunOptions): { tz?: string; symbol?: string } {
  return { ...(o.tz === undefined ? {} : { tz: o.tz }), ...(o.symbol === undefined ? {} : { symbol: o.symbol }) };
}

function slice(o: Ohlcv, from: number, to: number): Ohlcv {
  return { n: to - from, time: o.time.subarray(from, to), open: o.open.subarray(from, to), high: o.high.subarray(from, to), low: o.low.subarray(from, to), close: o.close.subarray(from, to), volume: o.volume.subarray(from, to) };
}

function run(bars: Ohlcv, t: PredictionTable, from: number, to: number, e: ExecutionOptions, ppy: number): { series: BacktestSeries; stats: BacktestStats } {
  const b = slice(bars, from, to);
  const target = targetPositions(t.action.subarray(from, to), t.confidence.subarray(from, to), { sizes: e.sizes, longOnly: e.longOnly, minConfidence: e.minConfidence });
  const series = simulate(b, target, { fill: e.fill, feeBps: e.feeBps, slippageBps: e.slippageBps, flatAtClose: e.flatAtClose, stopLossPct: e.stopLossPct, takeProfitPct: e.takeProfitPct });
  return { series, stats: backtestStats(series, b, { periodsPerYear: ppy, proba: t.proba.subarray(from * 5, to * 5) }) };
}

async function predictionsFor(o: BacktestRunOptions, bars: Bars, report: ReadReport, intervalMs: number): Promise<{ table: PredictionTable; model: string | null; overlap: BacktestRunResult['overlap']; refits: BacktestRunResult['refits'] }> {
  const s = o.source;
  if (s.kind === 'predictions') return { table: readPredictionsCsv(s.path), model: null, overlap: null, refits: null };
  if (s.kind === 'walk-forward') {
    const r = await walkForwardPredict(bars, {
      features: s.features, labels: s.labels, kind: s.model, params: s.params, seed: s.seed, refitEvery: s.refitEvery, trainWindow: s.trainWindow,
      minConfidence: o.minConfidence, modelVersion: `walk-forward ${s.model}`, intervalMs, ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    }, {
      ...(o.executor === undefined ? {} : { executor: o.executor }),
      ...(o.onUnit === undefined ? {} : { onUnit: o.onUnit }),
      source: { inputs: [{ path: resolve(o.path), sha256: report.sha256 }], read: { minRows: 1, ...readOptions(o) } },
    });
    return { table: r.table, model: `walk-forward ${s.model}`, overlap: null, refits: r.refits };
  }
  const loaded = loadRunModel(s.registry, s.ref);
  const history = s.history === undefined ? undefined : readBarsFile(s.history, readOptions(o)).bars;
  const table = predictBars(bars, loaded.run.features, loaded.model, {
    minConfidence: o.minConfidence,
    modelVersion: loaded.version,
    intervalMs: loaded.run.data.intervalMs,
    ...(history === undefined ? {} : { history }),
    ...(loaded.run.symbolFeature === undefined ? {} : { symbolEncoding: loaded.run.symbolFeature }),
  });
  // A model trained on the bars it trades flatters every statistic: find and report the overlap.
  const from = Date.parse(loaded.run.data.from);
  const to = Date.parse(loaded.run.data.to);
  const sameSymbol = bars.symbol === null || loaded.run.data.symbols.length === 0 || loaded.run.data.symbols.includes(bars.symbol);
  let first = -1;
  let count = 0;
  for (let i = 0; i < table.n; i++) {
    const t = table.time[i] as number;
    if (sameSymbol && t >= from && t <= to) {
      if (first < 0) first = i;
      count++;
    }
  }
  const overlap = count === 0 ? null : { from: iso(table.time[first] as number), to: iso(Math.min(to, table.time[table.n - 1] as number)), bars: count };
  return { table, model: loaded.version, overlap, refits: null };
}

/**
 * `mm backtest`: trade a model's (or a saved table's, or walk-forward refits') actions on the bars
 * of one CSV with costs; statistics beside buy-and-hold; optional min-confidence sweep on a
 * validation range with the test range kept apart; the result recorded under
 * `<registry>/backtests/<id>.json` with the equity curves downsampled (recordedEquity).
 * @throws UsageError for bad options; DataError / NotFoundError from the inputs.
 */
export async function runBacktest(o: BacktestRunOptions): Promise<BacktestRunResult> {
  const { bars, report } = readBarsFile(o.path, readOptions(o));
  const p = await predictionsFor(o, bars, report, report.intervalMs);
  const aligned = alignBars(bars, p.table.time);
  if (aligned.n < 3) throw new UsageError(`only ${aligned.n} bars have a prediction; nothing to backtest`, { hint: 'use a longer file or --history' });
  const ppy = o.periodsPerYear ?? inferPeriodsPerYear(report.intervalMs);
  let exec: ExecutionOptions = { ...o };
  let start = 0;
  let sweepOut: BacktestRunResult['sweep'] = null;
  if (o.sweep !== undefined) {
    const v = o.sweep.validationFraction;
    if (!(v > 0 && v < 1)) throw new UsageError(`--validation must be between 0 and 1, got ${v}`);
    start = Math.floor(aligned.n * v);
    if (start < 2 || aligned.n - start < 2) throw new UsageError('too few rows to split into a validation and a test range');
    const res = sweep({ name: 'min-confidence', values: o.sweep.values }, (mc) => run(aligned, p.table, 0, start, { ...exec, minConfidence: mc }, ppy).stats, o.sweep.metric);
    sweepOut = {
      name: res.name,
      metric: res.metric,
      best: res.best,
      rows: res.rows.map((r) => ({ value: r.value, score: r.score })),
      validation: { from: iso(aligned.time[0] as number), to: iso(aligned.time[start - 1] as number), bars: start },
    };
    if (res.best !== null) exec = { ...exec, minConfidence: res.best.value };
  }
  const { series, stats } = run(aligned, p.table, start, aligned.n, exec, ppy);
  const confidence = confidenceReach(p.table, exec.minConfidence, { from: start, to: aligned.n });
  const tested = slice(aligned, start, aligned.n);
  const execution: ExecutionOptions = {
    minConfidence: exec.minConfidence, sizes: exec.sizes, longOnly: exec.longOnly, fill: exec.fill, feeBps: exec.feeBps, slippageBps: exec.slippageBps,
    flatAtClose: exec.flatAtClose, stopLossPct: exec.stopLossPct, takeProfitPct: exec.takeProfitPct,
  };
  const body = {
    symbol: bars.symbol,
    source: { kind: o.source.kind, model: p.model },
    range: { from: iso(tested.time[0] as number), to: iso(tested.time[tested.n - 1] as number), bars: tested.n },
    periodsPerYear: ppy,
    execution,
    stats,
    overlap: p.overlap,
    refits: p.refits,
    sweep: sweepOut,
    confidence,
  };
  const createdAt = o.clock.now();
  const id = makeRunId(createdAt, 'backtest', sha256(JSON.stringify(body) + report.sha256));
  const reg = openRegistry(o.registry, { create: true });
  writeJsonAtomic(`${reg.root}/backtests/${id}.json`, {
    id, createdAt: createdAt.toISOString(), mmVersion: o.mmVersion, command: o.command, data: { path: o.path, sha256: report.sha256 }, ...body,
    series: recordedEquity(series, tested),
  });
  return { id, ...body, series, bars: tested };
}
