import { isoUtc, sessionKey, type Bars } from '../data/index.js';
import { pick, selectRows } from '../dataset/index.js';
import { UsageError } from '../errors.js';
import { computeFeatures, type FeatureFrame, type FeatureSpec } from '../features/index.js';
import { fitThresholds, forwardReturns, labelBars, N_CLASSES, NO_LABEL, type LabelSpec } from '../labels/index.js';
import { fitModel, resolveModelParams, type ModelKind } from '../models/index.js';
import { Rng } from '../util/rng.js';
import { tableFromProba, type PredictionTable } from './predict.js';
import { derivedKey, type UnitSource } from '../compare/index.js';
import type { Executor, Unit, UnitProgress } from '../exec/index.js';

/** A span of bars or of trading sessions (`390`, `390b`, `5d`). */
export interface Span {
  unit: 'bars' | 'days';
  n: number;
}

/**
 * Parse `<n>` / `<n>b` (bars) or `<n>d` (trading sessions).
 * @throws UsageError for anything else.
 */
export function parseSpan(text: string, what: string): Span {
  const m = /^\s*(\d+)\s*(b|bars?|d|days?)?\s*$/i.exec(text);
  const n = m === null ? NaN : Number(m[1]);
  if (m === null || !(n >= 1)) throw new UsageError(`${what} must look like 390 (bars) or 5d (sessions), got "${text}"`);
  return { unit: (m[2] ?? 'b').toLowerCase().startsWith('d') ? 'days' : 'bars', n };
}

export interface WalkForwardOptions {
  features: FeatureSpec;
  labels: LabelSpec;
  kind: ModelKind;
  params: Record<string, unknown>;
  seed: number;
  refitEvery: Span;
  /** Training bars before each refit point; null = everything before it (expanding). */
  trainWindow: Span | null;
  /** The first refit needs at least this much history (default: the train window, or 20 sessions). */
  minTrain?: Span;
  minConfidence: number;
  modelVersion: string;
  intervalMs: number;
  onProgress?: (msg: string) => void;
}

export interface WalkForwardResult {
  table: PredictionTable;
  /** Bar index of each prediction row in the input bars. */
  index: Int32Array;
  refits: { at: string; trainFrom: string; trainTo: string; trainRows: number }[];
}

/** Session index of every bar (0, 1, 2, … as the exchange date changes). */
function sessionIndex(time: Float64Array): Int32Array {
  const out = new Int32Array(time.length);
  let last = -1;
  let s = -1;
  for (let i = 0; i < time.length; i++) {
    const k = sessionKey(time[i] as number);
    if (k !== last) {
      s++;
      last = k;
    }
    out[i] = s;
  }
  return out;
}

/** The first bar index that lies `span` after bar `from` (bars, or whole sessions). */
function advance(from: number, span: Span, sess: Int32Array): number {
  if (span.unit === 'bars') return from + span.n;
  const target = (sess[from] as number) + span.n;
  let i = from;
  while (i < sess.length && (sess[i] as number) < target) i++;
  return i;
}

/** The first bar index of the window of `span` ending just before `end`. */
function back(end: number, span: Span, sess: Int32Array): number {
  if (span.unit === 'bars') return Math.max(0, end - span.n);
  if (end <= 0) return 0;
  const target = (sess[end - 1] as number) - span.n + 1;
  let i = end;
  while (i > 0 && (sess[i - 1] as number) >= target) i--;
  return i;
}

/**
 * Out-of-sample predictions by periodic refits: at each refit point s the model is fitted only on
 * bars whose labels are known at the close of bar s−1 (t + h ≤ s − 1), with thresholds fitted on
 * those rows, and then predicts bars s … until the next refit. So no prediction ever comes from a
 * model that saw its bar's outcome.
 * @throws UsageError when the data cannot hold one training window plus a refit period.
 */
export async function walkForwardPredict(bars: Bars, o: WalkForwardOptions, deps: WalkForwardDeps = {}): Promise<WalkForwardResult> {
  const progress = o.onProgress ?? (() => undefined);
  const frame = computeFeatures(bars, o.features);
  const windows = refitWindows(bars, frame.warmup, o);
  const params = resolveModelParams(o.kind, o.params);
  const iso = (t: number): string => isoUtc(bars.time[t] as number);
  const ex = deps.executor;
  let fits: WindowFit[];
  if (ex === undefined || deps.source === undefined) {
    fits = [];
    const forward = forwardReturns(bars.close, o.labels.horizon);
    for (const w of windows) {
      progress(`refit ${fits.length + 1}/${windows.length} at ${iso(w.s)}`);
      fits.push(await fitWindow(bars, frame, forward, w, o.labels, o.kind, params, o.seed));
      deps.onUnit?.(fits.length, windows.length, `refit at ${iso(w.s)}`);
    }
  } else {
    const base = { source: deps.source, features: o.features, labels: o.labels, kind: o.kind, params, seed: o.seed };
    ex.cache?.set(derivedKey('wf-frame', deps.source, o.features), frame);
    const units: Unit[] = windows.map((w) => ({ kind: 'backtest.refit', params: { ...base, window: w } satisfies RefitWindowParams, label: `refit at ${iso(w.s)}` }));
    fits = (await ex.run(units, deps.onUnit)) as WindowFit[];
  }
  const rowsIdx: number[] = [];
  const probaParts: Float64Array[] = [];
  const refits: WalkForwardResult['refits'] = [];
  windows.forEach((w, i) => {
    const f = fits[i] as WindowFit;
    refits.push({ at: iso(w.s), trainFrom: iso(w.trainStart), trainTo: iso(w.trainEnd - 1), trainRows: f.trainRows });
    probaParts.push(f.proba);
    rowsIdx.push(...f.idx);
  });
  const n = rowsIdx.length;
  const proba = new Float64Array(n * N_CLASSES);
  let off = 0;
  for (const p of probaParts) {
    proba.set(p, off);
    off += p.length;
  }
  return {
    table: { ...tableFromProba(bars, rowsIdx, proba, o), warmupSkipped: bars.n - n, unsettledRows: 0 },
    index: Int32Array.from(rowsIdx),
    refits,
  };
}

export interface WalkForwardDeps {
  /** Where the refits run (default: here, one after the other). */
  executor?: Executor;
  /** The file the bars were read from, with its sha256: needed to hand refits to threads or queue workers. */
  source?: UnitSource;
  onUnit?: UnitProgress;
}

/** One refit: train on [trainStart, trainEnd) with labels known at the close of s−1, predict [s, e). */
export interface RefitWindow {
  s: number;
  e: number;
  trainStart: number;
  trainEnd: number;
}

export interface WindowFit {
  /** Bar indices predicted (every feature finite). */
  idx: Int32Array;
  proba: Float64Array;
  trainRows: number;
}

/**
 * The refit points and their training ranges: at each refit point s the model may only see bars
 * whose labels are known at the close of bar s−1 (t + h ≤ s − 1).
 * @throws UsageError when the data cannot hold one training window plus a refit period.
 */
export function refitWindows(bars: Bars, featureWarmup: number, o: Pick<WalkForwardOptions, 'labels' | 'refitEvery' | 'trainWindow' | 'minTrain'>): RefitWindow[] {
  const h = o.labels.horizon;
  const sess = sessionIndex(bars.time);
  const warm = Math.max(featureWarmup, o.labels.scheme === 'vol' ? o.labels.window : 0);
  const minTrain = o.minTrain ?? o.trainWindow ?? { unit: 'days', n: 20 };
  let s = advance(warm, minTrain, sess);
  if (s >= bars.n) {
    throw new UsageError(`${bars.n} bars leave nothing to predict after a first training window of ${minTrain.n} ${minTrain.unit}`, {
      hint: 'use a shorter --train-window or a longer file',
    });
  }
  const out: RefitWindow[] = [];
  while (s < bars.n) {
    const e = Math.min(bars.n, advance(s, o.refitEvery, sess));
    // Labels of bar t need close[t+h]; at the close of s−1 that is known for t ≤ s−1−h.
    const trainEnd = s - h;
    const trainStart = Math.max(warm, o.trainWindow === null ? warm : back(trainEnd, o.trainWindow, sess));
    out.push({ s, e, trainStart, trainEnd });
    s = e;
  }
  return out;
}

/** Fit one window (thresholds on its training rows only) and predict its bars. */
export async function fitWindow(
  bars: Bars,
  frame: FeatureFrame,
  forward: Float64Array,
  w: RefitWindow,
  labelSpec: LabelSpec,
  kind: string,
  params: Record<string, unknown>,
  seed: number,
): Promise<WindowFit> {
  const fwd = new Float64Array(bars.n).fill(NaN);
  fwd.set(forward.subarray(w.trainStart, w.trainEnd), w.trainStart);
  const labels = fitThresholds(labelSpec, fwd);
  const y = labelBars(bars.close, labels);
  for (let t = w.trainEnd; t < bars.n; t++) y[t] = NO_LABEL;
  const train = selectRows(frame.columns, y, w.trainStart, w.trainEnd);
  const model = await fitModel(kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES, time: pick(bars.time, train.index), horizon: labelSpec.horizon }, params, new Rng(seed));
  const idx: number[] = [];
  for (let t = w.s; t < w.e; t++) if (frame.columns.every((c) => Number.isFinite(c[t] as number))) idx.push(t);
  const cols = frame.columns.map((c) => Float64Array.from(idx, (t) => c[t] as number));
  return { idx: Int32Array.from(idx), proba: model.predictProba(cols, idx.length), trainRows: train.n };
}

/** Parameters of a 'backtest.refit' unit: one refit window of `mm backtest --refit-every`. */
export interface RefitWindowParams {
  source: UnitSource;
  features: FeatureSpec;
  labels: LabelSpec;
  kind: string;
  params: Record<string, unknown>;
  seed: number;
  window: RefitWindow;
}
