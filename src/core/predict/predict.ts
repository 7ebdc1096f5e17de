import { nextBarTime, type Bars } from '../data/index.js';
import { symbolColumns, type SymbolEncoding } from '../dataset/index.js';
import { argmaxRows } from '../evaluate/index.js';
import { computeFeatures, type ContextColumns, type FeatureSpec } from '../features/index.js';
import { ACTIONS, HOLD, N_CLASSES } from '../labels/index.js';
import { floorProba, type Classifier } from '../models/index.js';
import { isoUtc } from '../data/index.js';
import type { Cell } from '../util/csv-write.js';
import { writeCsvFile, type RowSource } from '../util/table-stream.js';
import { withHistory } from './history.js';

/** The prediction table of docs/prediction-table.md as columns; `predictionRows` turns it into records. */
export interface PredictionTable {
  symbol: string | null;
  n: number;
  time: Float64Array;
  timeNext: Float64Array;
  /** Row-major n × 5 probabilities. */
  proba: Float64Array;
  action: Uint8Array;
  confidence: Float64Array;
  decision: Uint8Array;
  modelVersion: string;
  minConfidence: number;
  /** Batch bars without a prediction because their warm-up window was incomplete. */
  warmupSkipped: number;
  /** Rows whose recursive indicators had fewer than 5× their period behind them (see --history). */
  unsettledRows: number;
}

export interface PredictOptions {
  /** Act only when the top probability reaches this; otherwise the decision is hold. */
  minConfidence: number;
  modelVersion: string;
  /** Earlier bars of the same symbol so the batch's first bars are not warm-up. */
  history?: Bars;
  /** Bar interval for the last bar's timestamp_next (the run's interval, or the batch's own). */
  intervalMs: number;
  /** A pooled run's symbol feature, appended after the spec's columns as in training. */
  symbolEncoding?: SymbolEncoding;
  /** Market-context columns aligned to the bars with history prepended (see marketContext). */
  context?: ContextColumns;
}

/**
 * Score every bar of a batch that has a full warm-up window. Features are computed by the run's
 * stored spec from bars ≤ t only, so the prediction at t never depends on later bars.
 */
export function predictBars(batch: Bars, spec: FeatureSpec, model: Classifier, o: PredictOptions): PredictionTable {
  const { bars, offset } = withHistory(batch, o.history);
  const frame = computeFeatures(bars, spec, o.context);
  const from = Math.max(offset, frame.warmup);
  const idx: number[] = [];
  for (let t = from; t < bars.n; t++) {
    let ok = true;
    for (const c of frame.columns) {
      const v = c[t] as number;
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
    }
    if (ok) idx.push(t);
  }
  const n = idx.length;
  // Usually every bar after the warm-up scores: then the columns are views, not copies.
  const contiguous = n === 0 || (idx[n - 1] as number) - (idx[0] as number) === n - 1;
  const start = n === 0 ? 0 : (idx[0] as number);
  const cols: Float64Array[] = frame.columns.map((c) => (contiguous ? c.subarray(start, start + n) : Float64Array.from(idx, (t) => c[t] as number)));
  if (o.symbolEncoding !== undefined) cols.push(...symbolColumns(o.symbolEncoding, bars.symbol, idx.length));
  const proba = model.predictProba(cols, n);
  let unsettled = 0;
  for (const t of idx) if (t < frame.settledFrom) unsettled++;
  return { ...tableFromProba(bars, idx, proba, o), warmupSkipped: batch.n - n, unsettledRows: unsettled };
}

/**
 * Assemble a prediction table from per-row probabilities of the bars at `idx`: argmax action, its
 * probability as confidence, the confidence-gated decision and the next bar's start time.
 */
export function tableFromProba(
  bars: Bars,
  idx: readonly number[],
  proba: Float64Array,
  o: Pick<PredictOptions, 'minConfidence' | 'modelVersion' | 'intervalMs'>,
): Omit<PredictionTable, 'warmupSkipped' | 'unsettledRows'> {
  const n = idx.length;
  // No probability mm writes is exactly 0 or 1 (a later log-loss on these rows stays finite).
  floorProba(proba, n, N_CLASSES);
  const action = argmaxRows(proba, n, N_CLASSES);
  const time = new Float64Array(n);
  const timeNext = new Float64Array(n);
  const confidence = new Float64Array(n);
  const decision = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = idx[i] as number;
    time[i] = bars.time[t] as number;
    timeNext[i] = nextBarTime(bars.time, t, o.intervalMs);
    const c = proba[i * N_CLASSES + (action[i] as number)] as number;
    confidence[i] = c;
    decision[i] = c >= o.minConfidence ? (action[i] as number) : HOLD;
  }
  return { symbol: bars.symbol, n, time, timeNext, proba, action, confidence, decision, modelVersion: o.modelVersion, minConfidence: o.minConfidence };
}

/** One prediction row of docs/prediction-table.md (column order preserved by key order). */
export interface PredictionRow {
  symbol: string | null;
  timestamp: string;
  timestamp_next: string;
  action: string;
  confidence: number;
  decision: string;
  p_strong_sell: number;
  p_sell: number;
  p_hold: number;
  p_buy: number;
  p_strong_buy: number;
  model_version: string;
}

export const PREDICTION_COLUMNS = [
  'symbol', 'timestamp', 'timestamp_next', 'action', 'confidence', 'decision',
  'p_strong_sell', 'p_sell', 'p_hold', 'p_buy', 'p_strong_buy', 'model_version',
] as const;

/** Records for JSON and tables; every number exactly as computed (no rounding). */
export function predictionRows(p: PredictionTable): PredictionRow[] {
  const rows: PredictionRow[] = [];
  for (let i = 0; i < p.n; i++) {
    const q = (k: number): number => p.proba[i * N_CLASSES + k] as number;
    rows.push({
      symbol: p.symbol,
      timestamp: isoUtc(p.time[i] as number),
      timestamp_next: isoUtc(p.timeNext[i] as number),
      action: ACTIONS[p.action[i] as number] as string,
      confidence: p.confidence[i] as number,
      decision: ACTIONS[p.decision[i] as number] as string,
      p_strong_sell: q(0),
      p_sell: q(1),
      p_hold: q(2),
      p_buy: q(3),
      p_strong_buy: q(4),
      model_version: p.modelVersion,
    });
  }
  return rows;
}

/**
 * The prediction table as rows read straight from its typed columns (PREDICTION_COLUMNS order),
 * for CSV files, pipes and --json without a record object per row.
 */
export function predictionSource(p: PredictionTable): RowSource {
  return {
    columns: PREDICTION_COLUMNS,
    n: p.n,
    row(i: number, out: Cell[]): void {
      out[0] = p.symbol;
      out[1] = isoUtc(p.time[i] as number);
      out[2] = isoUtc(p.timeNext[i] as number);
      out[3] = ACTIONS[p.action[i] as number] as string;
      out[4] = p.confidence[i] as number;
      out[5] = ACTIONS[p.decision[i] as number] as string;
      for (let k = 0; k < N_CLASSES; k++) out[6 + k] = p.proba[i * N_CLASSES + k] as number;
      out[11] = p.modelVersion;
    },
  };
}

/** Write the prediction table as the CSV `mm predict --out` writes (streamed, atomic). */
export function writePredictionCsv(path: string, p: PredictionTable): void {
  writeCsvFile(path, predictionSource(p));
}
