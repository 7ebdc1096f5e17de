import { readBarsFile, type Ohlcv } from '../data/index.js';
import { currentClasses, HOLD, N_CLASSES, NO_LABEL } from '../labels/index.js';
import { predictManyOn, type PredictionTable, type PredictManyResult } from '../predict/index.js';
import type { Executor, UnitProgress } from '../exec/index.js';
import { evaluateSignal, type SignalEvaluation } from './evaluate.js';
import { computeWss, SIGNAL_BUY, SIGNAL_SELL, type WssOptions, type WssResult } from './score.js';
import { readWeightSchedule, type WeightSchedule } from './weights.js';
import { sweepThresholds, tradeIndex, type IndexTrade, type ThresholdSweep } from './trade.js';
import { UsageError } from '../errors.js';

export interface WssBatchOptions extends WssOptions {
  inputs: string[];
  weightsPath: string;
  registry: string;
  ref: string;
  minConfidence: number;
  history?: string[];
  tz?: string;
  /** Index bars (QQQ or NQ at the same interval) to score the signal against. */
  indexPath?: string;
  /** Costs of trading the index on the signal. */
  feeBps?: number;
  slippageBps?: number;
  /** Tune symmetric ±thresholds on the first share of the hours (needs indexPath). */
  sweep?: { grid: number[]; validationFraction: number };
}

export interface SignalCounts {
  BUY: number;
  SELL: number;
  HOLD: number;
}

export interface WssBatchResult {
  predictions: PredictManyResult;
  weights: WeightSchedule;
  wss: WssResult;
  counts: SignalCounts;
  /** The same aggregation of the persistence baseline (each symbol's class of the bar that just closed). */
  baseline: { wss: WssResult; counts: SignalCounts };
  evaluation: {
    model: SignalEvaluation;
    baseline: SignalEvaluation;
    index: Ohlcv & { source: string };
    /** Trading the index on each signal with costs, beside buy-and-hold of the index. */
    trade: { model: IndexTrade; baseline: IndexTrade };
    sweep: ThresholdSweep | null;
  } | null;
}

export function signalCounts(w: WssResult): SignalCounts {
  const c = { BUY: 0, SELL: 0, HOLD: 0 };
  for (let i = 0; i < w.n; i++) {
    const s = w.signal[i] as number;
    if (s === SIGNAL_BUY) c.BUY++;
    else if (s === SIGNAL_SELL) c.SELL++;
    else c.HOLD++;
  }
  return c;
}

/**
 * The persistence baseline as a prediction table: at each predicted bar, certainty on the class of
 * the return that ended there (under the run's thresholds), so its WSS is the weighted vote of
 * "the last hour repeats".
 */
function persistenceTable(t: PredictionTable, classes: Uint8Array, time: Float64Array): PredictionTable {
  const at = new Map<number, number>();
  for (let i = 0; i < time.length; i++) at.set(time[i] as number, i);
  const proba = new Float64Array(t.n * N_CLASSES);
  const action = new Uint8Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const j = at.get(t.time[i] as number);
    const c = j === undefined || classes[j] === NO_LABEL ? HOLD : (classes[j] as number);
    proba[i * N_CLASSES + c] = 1;
    action[i] = c;
  }
  return { ...t, proba, action, decision: action, confidence: new Float64Array(t.n).fill(1), modelVersion: 'persistence' };
}

/**
 * `mm wss` batch: per-symbol prediction tables from one model, the WSS series and hourly signals,
 * the same for the persistence baseline, and, with an index file, both scored against the index's
 * next-bar return.
 * @throws NotFoundError / DataError / UsageError from the stages it runs.
 */
export async function runWssBatch(o: WssBatchOptions, deps: { executor?: Executor; onUnit?: UnitProgress } = {}): Promise<WssBatchResult> {
  const weights = readWeightSchedule(o.weightsPath);
  const predictions = await predictManyOn({
    inputs: o.inputs,
    registry: o.registry,
    ref: o.ref,
    minConfidence: o.minConfidence,
    ...(o.history === undefined ? {} : { history: o.history }),
    ...(o.tz === undefined ? {} : { tz: o.tz }),
  }, deps.executor, deps.onUnit);
  const wssOpts: WssOptions = { use: o.use, buy: o.buy, sell: o.sell, minCoverage: o.minCoverage };
  const tables = new Map(predictions.results.map((p) => [p.symbol, p.table]));
  const wss = computeWss(tables, weights, wssOpts);
  const labels = predictions.model.run.labels;
  const baseTables = new Map(
    predictions.results.map((p) => {
      const bars = readBarsFile(p.data.source, o.tz === undefined ? {} : { tz: o.tz }).bars;
      return [p.symbol, persistenceTable(p.table, currentClasses(bars.close, labels), bars.time)];
    }),
  );
  // The baseline has no probabilities to gate or average: its vote is its class.
  const baseWss = computeWss(baseTables, weights, { ...wssOpts, use: 'action' });
  let evaluation: WssBatchResult['evaluation'] = null;
  if (o.indexPath !== undefined) {
    const index = readBarsFile(o.indexPath, o.tz === undefined ? {} : { tz: o.tz }).bars;
    const costs = { feeBps: o.feeBps ?? 0, slippageBps: o.slippageBps ?? 0 };
    evaluation = {
      model: evaluateSignal(wss, index),
      baseline: evaluateSignal(baseWss, index),
      index,
      trade: { model: tradeIndex(wss, wss.signal, index, costs), baseline: tradeIndex(baseWss, baseWss.signal, index, costs) },
      sweep: o.sweep === undefined ? null : sweepThresholds(wss, index, o.sweep.grid, o.sweep.validationFraction, costs),
    };
  } else if (o.sweep !== undefined) {
    throw new UsageError('--sweep needs --index: thresholds are tuned by trading the index');
  }
  return { predictions, weights, wss, counts: signalCounts(wss), baseline: { wss: baseWss, counts: signalCounts(baseWss) }, evaluation };
}
