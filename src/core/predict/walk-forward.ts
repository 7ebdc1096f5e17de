import { sessionKey, type Bars } from '../data/index.js';
import { pick, selectRows } from '../dataset/index.js';
import { UsageError } from '../errors.js';
import { computeFeatures, type FeatureSpec } from '../features/index.js';
import { fitThresholds, forwardReturns, labelBars, N_CLASSES, NO_LABEL, type LabelSpec } from '../labels/index.js';
import { fitModel, resolveModelParams, type ModelKind } from '../models/index.js';
import { Rng } from '../util/rng.js';
import { tableFromProba, type PredictionTable } from './predict.js';

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
export async function walkForwardPredict(bars: Bars, o: WalkForwardOptions): Promise<WalkForwardResult> {
  const progress = o.onProgress ?? (() => undefined);
  const frame = computeFeatures(bars, o.features);
  const h = o.labels.horizon;
  const forward = forwardReturns(bars.close, h);
  const sess = sessionIndex(bars.time);
  const params = resolveModelParams(o.kind, o.params);
  const warm = Math.max(frame.warmup, o.labels.scheme === 'vol' ? o.labels.window : 0);
  const minTrain = o.minTrain ?? o.trainWindow ?? { unit: 'days', n: 20 };
  let s = advance(warm, minTrain, sess);
  if (s >= bars.n) {
    throw new UsageError(`${bars.n} bars leave nothing to predict after a first training window of ${minTrain.n} ${minTrain.unit}`, {
      hint: 'use a shorter --train-window or a longer file',
    });
  }
  const rowsIdx: number[] = [];
  const probaParts: Float64Array[] = [];
  const refits: WalkForwardResult['refits'] = [];
  const iso = (t: number): string => new Date(bars.time[t] as number).toISOString().replace('.000Z', 'Z');
  while (s < bars.n) {
    const e = Math.min(bars.n, advance(s, o.refitEvery, sess));
    // Labels of bar t need close[t+h]; at the close of s−1 that is known for t ≤ s−1−h.
    const trainEnd = s - h;
    const trainStart = Math.max(warm, o.trainWindow === null ? warm : back(trainEnd, o.trainWindow, sess));
    const fwd = new Float64Array(bars.n).fill(NaN);
    fwd.set(forward.subarray(trainStart, trainEnd), trainStart);
    const labels = fitThresholds(o.labels, fwd);
    const y = labelBars(bars.close, labels);
    for (let t = trainEnd; t < bars.n; t++) y[t] = NO_LABEL;
    const train = selectRows(frame.columns, y, trainStart, trainEnd);
    progress(`refit ${refits.length + 1} at ${iso(s)} on ${train.n} rows`);
    const model = await fitModel(o.kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES, time: pick(bars.time, train.index), horizon: h }, params, new Rng(o.seed));
    refits.push({ at: iso(s), trainFrom: iso(trainStart), trainTo: iso(trainEnd - 1), trainRows: train.n });
    const idx: number[] = [];
    for (let t = s; t < e; t++) if (frame.columns.every((c) => Number.isFinite(c[t] as number))) idx.push(t);
    const cols = frame.columns.map((c) => Float64Array.from(idx, (t) => c[t] as number));
    probaParts.push(model.predictProba(cols, idx.length));
    rowsIdx.push(...idx);
    s = e;
  }
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
