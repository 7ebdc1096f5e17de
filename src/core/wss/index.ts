/** The WSS stage's public surface: index weights, the Weighted Sentiment Score and its evaluation. */
export {
  readWeights, parseWeightsCsv, readWeightSchedule, constantSchedule, snapshotDate, type Weights, type WeightSchedule, type WeightSnapshot,
} from './weights.js';
export {
  computeWss, wssCsv, signalName, DEFAULT_WSS_OPTIONS, SIGNAL_BUY, SIGNAL_HOLD, SIGNAL_SELL, WSS_COLUMNS,
  type SnapshotUse, type WssOptions, type WssResult, type WssUse,
} from './score.js';
export {
  evaluateSignal, wilsonInterval, type CorrelationInterval, type CorrelationStats, type EvaluateSignalOptions, type HitStats, type Interval, type SignalEvaluation,
} from './evaluate.js';
export { runWssBatch, signalCounts, type SignalCounts, type WssBatchOptions, type WssBatchResult } from './batch.js';
export { signalsAt, sweepThresholds, tradeIndex, type IndexTrade, type IndexTradeOptions, type ThresholdSweep } from './trade.js';
export { wssSummary, writeWssOutputs } from './output.js';
export { recordWss, recordedWss, WSS_SERIES_POINTS, type RecordedWss, type WssRecord, type WssRecordMeta } from './record.js';
