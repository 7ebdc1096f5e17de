/**
 * OHLCV bars as columns of typed arrays (never arrays of row objects): one Float64Array per field,
 * `time` in epoch milliseconds UTC at the bar START.
 */
export interface Ohlcv {
  readonly n: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface Bars extends Ohlcv {
  /** From a `symbol` column or the file name (`NVDA.csv` → `NVDA`); null when neither gives one. */
  readonly symbol: string | null;
  /** Where the bars came from (file path, or a label such as `<request>`), for error messages. */
  readonly source: string;
}

/** A hole in the data longer than one bar inside a session, or a missing session. */
export interface Gap {
  /** Epoch ms of the last bar before the gap and of the first bar after it. */
  from: number;
  to: number;
  /** Bars that the inferred interval says are missing (within-session gaps only; null for whole sessions). */
  missingBars: number | null;
}

/** Facts about the input that are not fatal but that a user should see (docs/input-csv.md). */
export interface ReadReport {
  source: string;
  symbol: string | null;
  rows: number;
  duplicatesDropped: number;
  zeroVolumeBars: number;
  /** Median spacing of consecutive bars in ms (the bar interval). */
  intervalMs: number;
  gaps: Gap[];
  first: number;
  last: number;
  sha256: string;
}

export interface ReadResult {
  bars: Bars;
  report: ReadReport;
}
