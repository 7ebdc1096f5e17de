/** The backtest stage's public surface: target positions, execution with costs, trades and statistics. */
export { targetPositions, DEFAULT_MIN_CONFIDENCE, DEFAULT_SIZES, type PositionSizes, type TargetPositionsOptions } from './positions.js';
export { alignBars } from './align.js';
export { simulate, type SimulateOptions } from './simulate.js';
export { sessionEnds } from './sessions.js';
export {
  EXIT_REASONS,
  EXIT_SIGNAL,
  EXIT_STOP_LOSS,
  EXIT_TAKE_PROFIT,
  EXIT_SESSION_CLOSE,
  EXIT_OPEN,
  type BacktestSeries,
  type ExitReason,
  type Fill,
  type Trades,
} from './types.js';
export { returnStats, type ReturnStats, type ReturnStatsOptions } from './returns-stats.js';
export { tradeStats, type TradeStats } from './trade-stats.js';
export {
  backtestStats,
  seriesStats,
  type BacktestStats,
  type BacktestStatsOptions,
  type InformationCoefficient,
  type SeriesStats,
} from './stats.js';
export { inferPeriodsPerYear } from './periods.js';
export { sweep, type SweepGrid, type SweepMetric, type SweepResult, type SweepRow } from './sweep.js';
export { readPredictionsCsv } from './predictions-csv.js';
export {
  runBacktest, recordedEquity, RECORD_SERIES_POINTS, type BacktestRunOptions, type BacktestRunResult, type BacktestSource, type ExecutionOptions, type RecordedEquity,
} from './run.js';
export { formatPercent, formatStat, STAT_ROWS, type StatFormat, type StatRow } from './format.js';
