import type { Bars, ReadReport } from '../data/index.js';
import { indexAtTime, makeSymbolEncoding, pooledRows, type PooledRows, type Series } from '../dataset/index.js';
import {
  argmaxRows, blockBootstrap, blockStats, isUncalibrated, scoreClassifier, sessionBlocks, verdictOf, type BlockStats, type BootstrapInterval, type BootstrapMetric, type Metrics, type Verdict,
} from '../evaluate/index.js';
import { computeFeaturesMany, type FeatureFrame, type FeatureSpec } from '../features/index.js';
import {
  CLASS_SCORES, currentClasses, fitThresholds, forwardReturns, HOLD, labelBars, N_CLASSES, NO_LABEL, thresholdsAt,
  type LabelSpec,
} from '../labels/index.js';
import { fitModel, floorProba, MajorityModel, withFitMemo, PersistenceBaseline, resolveModelParams, type Classifier, type ModelKind } from '../models/index.js';
import type { Executor, Unit, UnitProgress } from '../exec/index.js';
import type { Clock } from '../util/clock.js';
import { Rng } from '../util/rng.js';
import { walkForwardFolds, type Fold, type WalkForwardConfig } from './folds.js';
import { derivedKey, type UnitSource } from './source.js';
import { isoUtc } from '../data/index.js';

export const BASELINES = ['majority', 'persistence'] as const;
/** Ranking metrics with the direction that counts as better; log-loss (a proper scoring rule) is the default. */
export const RANK_METRICS = { logLoss: 'lower', brier: 'lower', macroF1: 'higher', balancedAccuracy: 'higher', accuracy: 'higher' } as const;
export type RankMetric = keyof typeof RANK_METRICS;
export const DEFAULT_RANK_METRIC: RankMetric = 'logLoss';

export interface Candidate {
  /** Label in the results (default: the kind); must be unique. */
  name?: string;
  kind: ModelKind;
  params: Record<string, unknown>;
}

export interface CompareInput {
  /** One symbol, or several pooled into one model (rows of all symbols in every fold). */
  series: { bars: Bars; report: ReadReport }[];
  /** Pooled inputs: how the model sees the symbol (ignored for one symbol). */
  symbolEncoding?: 'none' | 'ordinal' | 'onehot';
  features: FeatureSpec;
  labels: LabelSpec;
  candidates: Candidate[];
  cv: WalkForwardConfig;
  seed: number;
  metric: RankMetric;
  bootstrap: { resamples: number; blockSessions: number };
  /** The files `series` was read from, with their sha256: needed to hand fits to threads or queue workers. */
  source?: UnitSource;
  /** Also return the pooled out-of-fold rows and every model's probabilities (for a pairwise bootstrap). */
  keepOutOfFold?: boolean;
  /** More units to run in the same executor batch as the fold fits (needs an executor and a source); results in `extraResults`. */
  extraUnits?: Unit[];
}

/** Pooled out-of-fold rows in time order and each model's probabilities on them (row-major). */
export interface OutOfFold {
  y: Uint8Array;
  time: Float64Array;
  proba: Record<string, Float64Array>;
}

export interface FoldScore {
  fold: number;
  trainRows: number;
  testRows: number;
  testFrom: string;
  testTo: string;
  metrics: Metrics;
  fitMs: number;
  predictMs: number;
}

export interface Summary {
  mean: number | null;
  std: number | null;
}

export interface CandidateResult {
  name: string;
  kind: string;
  params: Record<string, unknown>;
  isBaseline: boolean;
  folds: FoldScore[];
  /** Mean ± sample std across folds. */
  summary: Record<'macroF1' | 'balancedAccuracy' | 'logLoss' | 'brier' | 'ece' | 'accuracy' | 'fitMs' | 'predictMs', Summary>;
  /** Metrics over all out-of-fold test rows together. */
  pooled: Metrics;
  /** Versus the best baseline on the rank metric, over the same pooled test rows. */
  vsBestBaseline: BootstrapInterval | null;
  /** Read off `vsBestBaseline`'s interval: real, worse or not significant (null for baselines). */
  verdict: Verdict | null;
  /** True only when the verdict is `real` (kept for older readers of the JSON). */
  beatsBaselines: boolean | null;
  /** Pooled out-of-fold log-loss not below the majority baseline's on the same rows (null for baselines). */
  uncalibrated: boolean | null;
  rank: number;
}

export interface CompareResult {
  cv: WalkForwardConfig;
  folds: {
    train: { start: number; end: number; from: string; to: string };
    test: { start: number; end: number; from: string; to: string };
    /** Label thresholds as fitted on this fold's training rows. */
    labels: LabelSpec;
  }[];
  metric: RankMetric;
  bestBaseline: string;
  candidates: CandidateResult[];
  data: ReadReport[];
  features: FeatureSpec;
  labels: LabelSpec;
  /** Only with `keepOutOfFold`. */
  outOfFold?: OutOfFold;
  /** Results of `extraUnits`, in their order (only when there were any and they ran). */
  extraResults?: unknown[];
}

export interface CompareDeps {
  clock: Clock;
  onProgress?: (msg: string) => void;
  /** Where the candidate × fold fits run (default: this process, in order). */
  executor?: Executor;
  /** One call per finished fit: fits done, fits in all, the fit's label. */
  onUnit?: UnitProgress;
}

const iso = isoUtc;
const better = (m: RankMetric, a: number, b: number): boolean => (RANK_METRICS[m] === 'lower' ? a < b : a > b);

function summarize(xs: number[]): Summary {
  if (xs.length === 0) return { mean: null, std: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, std: null };
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}

export interface FoldData {
  fold: Fold;
  labels: LabelSpec;
  train: PooledRows;
  test: PooledRows;
  trainCurrent: Uint8Array;
  testCurrent: Uint8Array;
  testForward: Float64Array;
  testTime: Float64Array;
  trainTime: Float64Array;
}

interface Prepared {
  series: Series[];
  forward: Float64Array[];
  /** Sorted union of every series' usable bar times: the fold layout's axis. */
  axis: Float64Array;
}

/** Per series, the bar range whose times fall in [axis[a], axis[b]) (b = axis length: to the end). */
function mapRange(p: Prepared, s: number, a: number, b: number): { start: number; end: number } {
  const time = (p.series[s] as Series).bars.time;
  const start = a >= p.axis.length ? time.length : indexAtTime(time, p.axis[a] as number);
  const end = b >= p.axis.length ? lastUsable(p, s) : indexAtTime(time, p.axis[b] as number);
  return { start, end: Math.max(start, end) };
}

function lastUsable(p: Prepared, s: number): number {
  const f = p.forward[s] as Float64Array;
  let i = f.length;
  while (i > 0 && !Number.isFinite(f[i - 1] as number)) i--;
  return i;
}

function gather(values: (Float64Array | Uint8Array)[], rows: PooledRows): Float64Array {
  const out = new Float64Array(rows.n);
  for (let k = 0; k < rows.n; k++) out[k] = (values[rows.series[k] as number] as Float64Array)[rows.index[k] as number] as number;
  return out;
}

/**
 * Thresholds are refitted on each fold's training rows only (over all symbols together), then both
 * sides are labelled with them. Train and test ranges are cut on the shared time axis; the purge
 * and embargo are axis steps (bars, for aligned symbols).
 */
function prepareFold(p: Prepared, spec: LabelSpec, fold: Fold, enc: ReturnType<typeof makeSymbolEncoding>): FoldData {
  const nS = p.series.length;
  const trainRanges = p.series.map((_, s) => mapRange(p, s, fold.train.start, fold.train.end));
  const testRanges = p.series.map((_, s) => mapRange(p, s, fold.test.start, fold.test.end));
  const masks = p.series.map((ser, s) => {
    const m = new Uint8Array(ser.bars.n);
    const r = trainRanges[s] as { start: number; end: number };
    m.fill(1, r.start, r.end);
    for (const x of fold.excluded) {
      const e = mapRange(p, s, x.start, x.end);
      m.fill(0, e.start, e.end);
    }
    return m;
  });
  const trainFwd: number[] = [];
  for (let s = 0; s < nS; s++) {
    const f = p.forward[s] as Float64Array;
    const m = masks[s] as Uint8Array;
    for (let t = 0; t < f.length; t++) if (m[t] && Number.isFinite(f[t] as number)) trainFwd.push(f[t] as number);
  }
  const labels = fitThresholds(spec, Float64Array.from(trainFwd));
  const ys: Uint8Array[] = [];
  const yTrains: Uint8Array[] = [];
  const currents: Uint8Array[] = [];
  p.series.forEach((ser, s) => {
    const th = thresholdsAt(ser.bars.close, labels);
    const y = labelBars(ser.bars.close, labels, th);
    const yt = Uint8Array.from(y);
    const m = masks[s] as Uint8Array;
    for (let t = 0; t < yt.length; t++) if (!m[t]) yt[t] = NO_LABEL;
    ys.push(y);
    yTrains.push(yt);
    currents.push(currentClasses(ser.bars.close, labels, th).map((c) => (c === NO_LABEL ? HOLD : c)));
  });
  const train = pooledRows(p.series, yTrains, trainRanges, enc);
  const test = pooledRows(p.series, ys, testRanges, enc);
  return {
    fold,
    labels,
    train,
    test,
    trainCurrent: Uint8Array.from(gather(currents, train)),
    testCurrent: Uint8Array.from(gather(currents, test)),
    testForward: gather(p.forward, test),
    testTime: gather(p.series.map((x) => x.bars.time), test),
    trainTime: gather(p.series.map((x) => x.bars.time), train),
  };
}

/** Everything the folds of one comparison share; rebuilt identically by any process from the same files. */
export interface PreparedComparison {
  axis: Float64Array;
  folds: Fold[];
  prepared: FoldData[];
}

/**
 * Features per series, the shared time axis, the fold layout and each fold's labelled train/test rows.
 * @throws UsageError for a fold layout the data cannot hold.
 */
export function prepareComparison(
  reads: { bars: Bars }[],
  symbolEncoding: 'none' | 'ordinal' | 'onehot',
  features: FeatureSpec,
  labels: LabelSpec,
  cv: WalkForwardConfig,
): PreparedComparison {
  const h = labels.horizon;
  const labelWarmup = labels.scheme === 'vol' ? labels.window : 0;
  const frames = computeFeaturesMany(reads.map(({ bars }) => ({ symbol: bars.symbol, bars })), features);
  const series: Series[] = reads.map(({ bars }, i) => {
    const frame = frames[i] as FeatureFrame;
    return { symbol: bars.symbol, bars, frame, first: Math.max(frame.warmup, labelWarmup) };
  });
  const forward = series.map((s) => forwardReturns(s.bars.close, h));
  const times: number[] = [];
  series.forEach((s) => {
    for (let t = s.first; t < s.bars.n - h; t++) times.push(s.bars.time[t] as number);
  });
  const axis = Float64Array.from(new Set(times)).sort();
  const p: Prepared = { series, forward, axis };
  const enc = makeSymbolEncoding(series.length > 1 ? symbolEncoding : 'none', series.map((s, i) => s.symbol ?? `#${i}`));
  const folds = walkForwardFolds(0, axis.length, cv);
  return { axis, folds, prepared: folds.map((f) => prepareFold(p, labels, f, enc)) };
}

/** What one candidate × fold unit returns: out-of-fold probabilities (test rows × classes) and its timings. */
export interface FoldFit {
  proba: Float64Array;
  fitMs: number;
  predictMs: number;
}

/** Fit one candidate on one fold's training rows (seeded) and predict its test rows. */
export async function fitFold(d: FoldData, kind: string, params: Record<string, unknown>, seed: number, clock: Clock): Promise<FoldFit> {
  const t0 = clock.elapsed();
  const fitIn = { columns: d.train.columns, n: d.train.n, y: d.train.y, nClasses: N_CLASSES, time: d.trainTime, horizon: d.labels.horizon };
  const model: Classifier = await fitModel(kind, fitIn, params, new Rng(seed));
  const t1 = clock.elapsed();
  const proba = floorProba(model.predictProba(d.test.columns, d.test.n), d.test.n, N_CLASSES);
  return { proba, fitMs: t1 - t0, predictMs: clock.elapsed() - t1 };
}

/**
 * Rough seconds per 10,000 training rows of each kind's default fit, calibration included (mean fold
 * fit times of `mm compare ../shared/data/a5m/NVDA.csv` on one thread). Only orders units so that a
 * pool starts the longest first; a wrong figure costs time, never a different result.
 */
const FIT_SECONDS_PER_10K: Record<string, number> = { ens: 2.6, rf: 1.8, et: 1.3, gb: 1.0, hgb: 0.75, mlp: 0.55, knn: 0.5, logreg: 0.05 };

/** Relative cost of fitting a candidate on n rows (see FIT_SECONDS_PER_10K); svc grows with the square of its capped rows. */
export function fitCost(kind: string, params: Record<string, unknown>, n: number): number {
  if (kind === 'svc') {
    const cap = typeof params['maxTrainRows'] === 'number' ? params['maxTrainRows'] : n;
    const m = Math.min(n, cap);
    const calibrated = params['calibrate'] !== undefined && params['calibrate'] !== 'none';
    // the inner calibration folds refit on up to 3/4 of the rows, each capped too: about 4 fits in all
    return (calibrated ? 4 : 1) * 2.7 * (m / 5000) ** 2;
  }
  const trees = typeof params['nTrees'] === 'number' && (kind === 'rf' || kind === 'et') ? params['nTrees'] / 200 : 1;
  return (FIT_SECONDS_PER_10K[kind] ?? 1) * trees * (n / 10_000);
}

/** Parameters of a 'compare.fold' unit (plain JSON). */
export interface FoldUnitParams {
  source: UnitSource;
  symbolEncoding: 'none' | 'ordinal' | 'onehot';
  features: FeatureSpec;
  labels: LabelSpec;
  cv: WalkForwardConfig;
  fold: number;
  kind: string;
  params: Record<string, unknown>;
  seed: number;
}

/** The memo key under which a process keeps the prepared folds of these parameters. */
export function prepKey(p: Pick<FoldUnitParams, 'source' | 'symbolEncoding' | 'features' | 'labels' | 'cv'>): string {
  return derivedKey('compare-prep', p.source, [p.symbolEncoding, p.features, p.labels, p.cv]);
}

/**
 * Candidates that share fits, as groups of candidate indices (every index in exactly one group): an
 * `ens` candidate goes with the candidates of its member kinds (members first), whose base fits on
 * the inner folds and on all rows are the ensemble's member fits (same rows, parameters and
 * generators; see fit-memo.ts), so fitting the group in one scope fits them once. Everything
 * else is a group of one.
 */
export function fitGroups(kinds: readonly string[], params: readonly Record<string, unknown>[]): number[][] {
  const taken = new Set<number>();
  const groups: number[][] = [];
  kinds.forEach((k, e) => {
    if (k !== 'ens') return;
    const members = Array.isArray(params[e]?.['members']) ? (params[e]?.['members'] as unknown[]) : [];
    const g: number[] = [];
    for (const m of members) {
      const i = kinds.findIndex((x, j) => x === m && !taken.has(j));
      if (i >= 0) {
        g.push(i);
        taken.add(i);
      }
    }
    taken.add(e);
    groups.push([...g, e]);
  });
  const out: number[][] = [];
  kinds.forEach((_, i) => {
    const g = groups.find((x) => x[x.length - 1] === i);
    if (g !== undefined) out.push(g);
    else if (!taken.has(i)) out.push([i]);
  });
  return out;
}

/**
 * One unit per group: a group of one is its own unit, a larger group one 'compare.group' unit that
 * runs its members in one process and one memo scope. `at[i]` says where item i's result is.
 */
export function groupUnits(items: readonly Unit[], groups: readonly number[][], of: 'compare.fold' | 'compare.refit', suffix: string): { units: Unit[]; at: [number, number][] } {
  const units: Unit[] = [];
  const at: [number, number][] = new Array(items.length);
  for (const g of groups) {
    if (g.length === 1) {
      at[g[0] as number] = [units.length, -1];
      units.push(items[g[0] as number] as Unit);
      continue;
    }
    const members = g.map((i) => items[i] as Unit);
    g.forEach((i, k) => {
      at[i] = [units.length, k];
    });
    // the ensemble (last) adds little beyond its members' fits
    const cost = members.slice(0, -1).reduce((a, u) => a + (u.cost ?? 0), 0);
    units.push({ kind: 'compare.group', params: { of, units: members.map((u) => u.params) }, label: `${members.map((u) => u.label.split(' ')[0]).join(' + ')} ${suffix}`, cost, weight: members.length });
  }
  return { units, at };
}

/** The results of `items` in their order, from the results of `groupUnits`' units. */
export function ungroupResults(results: readonly unknown[], at: readonly [number, number][]): unknown[] {
  return at.map(([u, k]) => {
    const r = results[u];
    if (k < 0) return r;
    if (!Array.isArray(r)) throw new Error(`unit ${u}: a group unit returned ${typeof r}, not a list`);
    return r[k];
  });
}

async function runFoldFits(c: CompareInput, prep: PreparedComparison, params: Record<string, unknown>[], deps: CompareDeps): Promise<{ fits: FoldFit[]; extra: unknown[] }> {
  const nFolds = prep.prepared.length;
  const ex = deps.executor;
  const enc = c.symbolEncoding ?? 'ordinal';
  const groups = fitGroups(c.candidates.map((k) => k.kind), params);
  if (ex === undefined || c.source === undefined) {
    const out: FoldFit[] = new Array(nFolds * c.candidates.length);
    const total = nFolds * c.candidates.length;
    let done = 0;
    for (let fi = 0; fi < nFolds; fi++) {
      for (const g of groups) {
        await withFitMemo(async () => {
          for (const ci of g) {
            const label = `${c.candidates[ci]?.name ?? c.candidates[ci]?.kind} fold ${fi + 1}/${nFolds}`;
            deps.onProgress?.(`fitting ${label}`);
            out[fi * c.candidates.length + ci] = await fitFold(prep.prepared[fi] as FoldData, (c.candidates[ci] as Candidate).kind, params[ci] as Record<string, unknown>, c.seed, deps.clock);
            deps.onUnit?.(++done, total, label);
          }
        });
      }
    }
    return { fits: out, extra: [] };
  }
  const base = { source: c.source, symbolEncoding: enc, features: c.features, labels: c.labels, cv: c.cv };
  // The local backend runs in this process: hand it the folds prepared above instead of rebuilding them.
  ex.cache?.set(prepKey(base), prep);
  const units: Unit[] = [];
  const at: [number, number][] = [];
  for (let fi = 0; fi < nFolds; fi++) {
    const items = c.candidates.map((cand, ci): Unit => {
      const p: FoldUnitParams = { ...base, fold: fi, kind: cand.kind, params: params[ci] as Record<string, unknown>, seed: c.seed };
      const n = (prep.prepared[fi] as FoldData).train.n;
      return { kind: 'compare.fold', params: p, label: `${cand.name ?? cand.kind} fold ${fi + 1}/${nFolds}`, cost: fitCost(cand.kind, params[ci] as Record<string, unknown>, n) };
    });
    const g = groupUnits(items, groups, 'compare.fold', `fold ${fi + 1}/${nFolds}`);
    for (const [u, k] of g.at) at.push([units.length + u, k]);
    units.push(...g.units);
  }
  // Units the caller wants in the same batch (the final refits, when the labels are already known),
  // so that no thread idles between the folds and the refits.
  const extra = c.extraUnits ?? [];
  const out = await ex.run([...units, ...extra], deps.onUnit);
  return { fits: ungroupResults(out.slice(0, units.length), at) as FoldFit[], extra: out.slice(units.length) };
}

/**
 * Walk-forward comparison of candidates and the naive baselines on identical folds: per fold the
 * label thresholds are refitted on that fold's training rows (scalers live inside the models and
 * are fitted on training rows too), every candidate is fitted with the same seed and scored on the
 * same test rows. Candidates are ranked by the mean of `metric` across folds; each gets a block
 * bootstrap interval (blocks of whole sessions) of its pooled difference to the best baseline.
 * @throws UsageError for a fold layout the data cannot hold.
 */
export async function compareCandidates(c: CompareInput, deps: CompareDeps): Promise<CompareResult> {
  const progress = deps.onProgress ?? (() => undefined);
  const prep = prepareComparison(c.series, c.symbolEncoding ?? 'ordinal', c.features, c.labels, c.cv);
  const { axis, folds, prepared } = prep;
  const params = c.candidates.map((k) => resolveModelParams(k.kind, k.params));

  // Every candidate × fold fit is one unit of work: run in this process, on worker threads or on queue
  // workers, the results come back in unit order and are recorded exactly as a sequential run records them.
  const { fits, extra } = await runFoldFits(c, prep, params, deps);

  type Acc = { folds: FoldScore[]; proba: Float64Array[]; pred: Uint8Array[] };
  const names = [...c.candidates.map((k) => k.name ?? (k.kind as string)), ...BASELINES];
  const acc: Acc[] = names.map(() => ({ folds: [], proba: [], pred: [] }));
  for (let fi = 0; fi < prepared.length; fi++) {
    const d = prepared[fi] as FoldData;
    const scoreOpts = { forward: d.testForward, scores: CLASS_SCORES };
    const record = (idx: number, proba: Float64Array, pred: Uint8Array | undefined, fitMs: number, predictMs: number): void => {
      const a = acc[idx] as Acc;
      const metrics = scoreClassifier(d.test.y, proba, N_CLASSES, pred === undefined ? scoreOpts : { ...scoreOpts, pred });
      a.folds.push({
        fold: fi + 1,
        trainRows: d.train.n,
        testRows: d.test.n,
        testFrom: iso(axis[d.fold.test.start] as number),
        testTo: iso(axis[d.fold.test.end - 1] as number),
        metrics,
        fitMs,
        predictMs,
      });
      a.proba.push(proba);
      a.pred.push(pred ?? argmaxRows(proba, d.test.n, N_CLASSES));
    };
    for (let ci = 0; ci < c.candidates.length; ci++) {
      const r = fits[fi * c.candidates.length + ci] as FoldFit;
      if (r.proba.length !== d.test.n * N_CLASSES) throw new Error(`fold ${fi + 1} ${c.candidates[ci]?.kind}: ${r.proba.length} probabilities for ${d.test.n} test rows`);
      record(ci, r.proba, undefined, r.fitMs, r.predictMs);
    }
    const nc = c.candidates.length;
    const maj = MajorityModel.fit(d.train.y, N_CLASSES, d.train.columns.length);
    record(nc, maj.predictProba(d.test.columns, d.test.n), undefined, 0, 0);
    const pers = PersistenceBaseline.fit(d.train.y, d.trainCurrent, N_CLASSES);
    record(nc + 1, pers.predictProba(d.testCurrent), d.testCurrent, 0, 0);
  }
  progress('scoring');

  // Pooled out-of-fold rows, in time order, and their bootstrap blocks (whole sessions).
  const yAll = concatU8(prepared.map((d) => d.test.y));
  const fwdAll = concatF64(prepared.map((d) => d.testForward));
  const timeAll = concatF64(prepared.map((d) => d.testTime));
  const block = sessionBlocks(timeAll, c.bootstrap.blockSessions);
  const oofProba: Record<string, Float64Array> = {};
  const stats: BlockStats[] = [];
  const results: CandidateResult[] = names.map((name, i) => {
    const a = acc[i] as Acc;
    const proba = concatF64(a.proba);
    if (c.keepOutOfFold === true) oofProba[name] = proba;
    const pred = concatU8(a.pred);
    const isBaseline = i >= c.candidates.length;
    stats.push(blockStats(block.index, block.count, yAll, pred, proba, N_CLASSES));
    const pick1 = (f: (m: FoldScore) => number): Summary => summarize(a.folds.map(f));
    return {
      name,
      kind: isBaseline ? name : (c.candidates[i] as Candidate).kind,
      params: isBaseline ? {} : (params[i] as Record<string, unknown>),
      isBaseline,
      folds: a.folds,
      summary: {
        macroF1: pick1((f) => f.metrics.macroF1),
        balancedAccuracy: pick1((f) => f.metrics.balancedAccuracy),
        logLoss: pick1((f) => f.metrics.logLoss),
        brier: pick1((f) => f.metrics.brier ?? NaN),
        ece: pick1((f) => f.metrics.ece ?? NaN),
        accuracy: pick1((f) => f.metrics.accuracy),
        fitMs: pick1((f) => f.fitMs),
        predictMs: pick1((f) => f.predictMs),
      },
      // Candidates keep their out-of-fold ROC/PR curves for their run records; baselines do not need them.
      pooled: scoreClassifier(yAll, proba, N_CLASSES, { forward: fwdAll, scores: CLASS_SCORES, pred, curves: !isBaseline }),
      vsBestBaseline: null,
      verdict: null,
      beatsBaselines: null,
      uncalibrated: null,
      rank: 0,
    };
  });
  const mean = (r: CandidateResult): number => (r.summary[c.metric].mean ?? NaN);
  const baseIdx = results.map((r, i) => [r, i] as const).filter(([r]) => r.isBaseline);
  const [bestBase, bestBaseIdx] = baseIdx.reduce((a, b) => (better(c.metric, mean(b[0]), mean(a[0])) ? b : a));
  // Accuracy has no resampled form here; its interval is the macro F1 one (the table says which).
  const bootMetric: BootstrapMetric = c.metric === 'accuracy' ? 'macroF1' : c.metric;
  const majority = results.find((r) => r.name === 'majority') as CandidateResult;
  const rng = new Rng(c.seed);
  results.forEach((r, i) => {
    if (r.isBaseline) return;
    const iv = blockBootstrap(stats[i] as BlockStats, stats[bestBaseIdx] as BlockStats, N_CLASSES, bootMetric, c.bootstrap.resamples, rng.fork(i));
    r.vsBestBaseline = iv;
    r.verdict = verdictOf(iv);
    r.beatsBaselines = r.verdict === 'real';
    r.uncalibrated = isUncalibrated(r.pooled.logLoss, majority.pooled.logLoss);
  });
  const order = [...results].sort((a, b) => (better(c.metric, mean(a), mean(b)) ? -1 : better(c.metric, mean(b), mean(a)) ? 1 : 0));
  order.forEach((r, i) => {
    r.rank = i + 1;
  });
  return {
    cv: c.cv,
    folds: folds.map((f, i) => ({
      labels: (prepared[i] as FoldData).labels,
      train: { ...f.train, from: iso(axis[f.train.start] as number), to: iso(axis[f.train.end - 1] as number) },
      test: { ...f.test, from: iso(axis[f.test.start] as number), to: iso(axis[f.test.end - 1] as number) },
    })),
    metric: c.metric,
    bestBaseline: bestBase.name,
    candidates: order,
    data: c.series.map((x) => x.report),
    features: c.features,
    labels: c.labels,
    ...(c.keepOutOfFold === true ? { outOfFold: { y: yAll, time: timeAll, proba: oofProba } } : {}),
    ...(c.extraUnits !== undefined && c.extraUnits.length > 0 ? { extraResults: extra } : {}),
  };
}

function concatF64(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function concatU8(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
