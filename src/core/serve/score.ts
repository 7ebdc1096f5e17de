import { barsFromRecords, medianSpacing, type Bars } from '../data/index.js';
import { DataError } from '../errors.js';
import type { ContextColumns } from '../features/index.js';
import { N_CLASSES } from '../labels/index.js';
import { predictBars, predictionRows, type PredictionRow, type PredictionTable } from '../predict/index.js';
import type { ServedModel } from './model-holder.js';

/** Warm-up facts returned beside a prediction. */
export interface WarmupInfo {
  /** Bars the request carried (or the live window holds). */
  have: number;
  /** Bars one prediction needs: the longest feature lookback plus the bar itself. */
  need: number;
  /** False when a recursive indicator (RSI, ATR) had less than its settling history behind the bar. */
  settled: boolean;
}

/**
 * Validate request bars with the core reader (the same rules as a CSV: sorted, high ≥ max(open,
 * close), finite, positive) and require the model's warm-up window.
 * @throws DataError with the record index and field of the first problem.
 */
export function requestBars(records: unknown, source: string, symbol: string | undefined, m: ServedModel): Bars {
  const opts: { source: string; minRows: number; symbol?: string } = { source, minRows: m.need };
  if (symbol !== undefined) opts.symbol = symbol;
  return barsFromRecords(records, opts).bars;
}

/**
 * Every prediction the bars allow, by the run's stored feature spec (the same call as `mm predict`,
 * so a row here equals the CLI's row for the same bars). A market-context model needs `context`
 * (computed across the batch's symbols); without it the feature code refuses with a UsageError.
 * @throws DataError when a pooled run is asked about a symbol it did not train on.
 */
export function scoreTable(bars: Bars, m: ServedModel, minConfidence: number, context?: ContextColumns): PredictionTable {
  const enc = m.run.symbolFeature;
  if (enc !== undefined && enc.kind !== 'none' && (bars.symbol === null || !enc.symbols.includes(bars.symbol))) {
    throw new DataError(`${bars.source}: the pooled run ${m.run.id} needs one of its symbols (${enc.symbols.join(', ')}), got ${bars.symbol ?? 'none'}`, {
      hint: 'send "symbol" with the bars',
    });
  }
  const intervalMs = m.run.data.intervalMs > 0 ? m.run.data.intervalMs : medianSpacing(bars.time, bars.n);
  return predictBars(bars, m.run.features, m.model, {
    minConfidence,
    modelVersion: m.version,
    intervalMs,
    ...(enc === undefined ? {} : { symbolEncoding: enc }),
    ...(context === undefined ? {} : { context }),
  });
}

/**
 * The §8 row of the last bar and its warm-up facts.
 * @throws DataError when the last bar has no prediction (a feature is not finite there, e.g. a
 *   zero price range or volume throughout the window).
 */
export function lastPrediction(bars: Bars, table: PredictionTable, need: number): { prediction: PredictionRow; warmup: WarmupInfo } {
  const lastT = bars.time[bars.n - 1] as number;
  const i = table.n - 1;
  if (i < 0 || table.time[i] !== lastT) {
    throw new DataError(`${bars.source}: the last bar (${new Date(lastT).toISOString()}) has no prediction because a feature is not finite there`, {
      hint: 'check the window for constant prices or zero volume',
    });
  }
  // Only the last row is formatted; the table's other rows are what the warm-up history produced.
  const one: PredictionTable = {
    ...table,
    n: 1,
    time: table.time.subarray(i),
    timeNext: table.timeNext.subarray(i),
    proba: table.proba.subarray(i * N_CLASSES),
    action: table.action.subarray(i),
    confidence: table.confidence.subarray(i),
    decision: table.decision.subarray(i),
  };
  // Unsettled rows are a prefix of the table, so the last row is settled unless all of them are.
  return { prediction: predictionRows(one)[0] as PredictionRow, warmup: { have: bars.n, need, settled: table.unsettledRows < table.n } };
}
