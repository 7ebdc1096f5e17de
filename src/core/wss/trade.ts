import { alignBars, backtestStats, inferPeriodsPerYear, simulate, type BacktestStats } from '../backtest/index.js';
import { isoUtc, medianSpacing, type Ohlcv } from '../data/index.js';
import { UsageError } from '../errors.js';
import type { WssResult } from './score.js';

/** Same tolerance as computeWss: thresholds are inclusive. */
const EDGE_EPS = 1e-12;

/** Signals (+1/0/−1) of a WSS series under other thresholds; low-coverage hours stay HOLD. */
export function signalsAt(w: WssResult, buy: number, sell: number): Int8Array {
  const out = new Int8Array(w.n);
  for (let i = 0; i < w.n; i++) {
    const v = w.wss[i] as number;
    if (w.lowCoverage[i] || !Number.isFinite(v)) continue;
    out[i] = v >= buy - EDGE_EPS ? 1 : v <= sell + EDGE_EPS ? -1 : 0;
  }
  return out;
}

export interface IndexTradeOptions {
  feeBps: number;
  slippageBps: number;
  periodsPerYear?: number;
}

export interface IndexTrade {
  /** WSS rows that had an index bar at the same time (the rest cannot be traded). */
  rows: number;
  skipped: number;
  periodsPerYear: number;
  stats: BacktestStats;
}

/**
 * Trade the index on the signal: long 1 on BUY, short 1 on SELL, flat on HOLD, decided at the close
 * of hour t and held over t+1, with costs on every change — the backtest core on the index bars
 * matched to the WSS hours by timestamp.
 * @throws UsageError when fewer than 3 WSS hours have an index bar.
 */
export function tradeIndex(w: WssResult, signal: Int8Array, index: Ohlcv, o: IndexTradeOptions, from = 0, to = w.n): IndexTrade {
  const have = new Set<number>();
  for (let i = 0; i < index.n; i++) have.add(index.time[i] as number);
  const rows: number[] = [];
  for (let i = from; i < to; i++) if (have.has(w.times[i] as number)) rows.push(i);
  if (rows.length < 3) throw new UsageError(`only ${rows.length} WSS hours have an index bar; nothing to trade`, { hint: 'pass the index at the same interval and dates' });
  const bars = alignBars(index, Float64Array.from(rows, (i) => w.times[i] as number));
  const target = Float64Array.from(rows, (i) => signal[i] as number);
  const series = simulate(bars, target, { fill: 'close', feeBps: o.feeBps, slippageBps: o.slippageBps });
  const ppy = o.periodsPerYear ?? inferPeriodsPerYear(medianSpacing(index.time, index.n));
  return { rows: rows.length, skipped: to - from - rows.length, periodsPerYear: ppy, stats: backtestStats(series, bars, { periodsPerYear: ppy }) };
}

export interface ThresholdSweep {
  validation: { from: string; to: string; hours: number };
  rows: { threshold: number; sharpe: number | null; signals: number }[];
  best: number | null;
  /** The later range traded with the best symmetric thresholds. */
  test: IndexTrade & { threshold: number; from: string; to: string };
}

/**
 * Tune symmetric thresholds ±x on the first `validationFraction` of the hours by the Sharpe ratio of
 * trading the index, then trade the later hours with the winner; the test range never informs the choice.
 * @throws UsageError for an empty grid or a fraction outside (0, 1).
 */
export function sweepThresholds(w: WssResult, index: Ohlcv, grid: number[], validationFraction: number, o: IndexTradeOptions): ThresholdSweep {
  if (grid.length === 0 || grid.some((x) => !(x > 0))) throw new UsageError('threshold grid needs positive values');
  if (!(validationFraction > 0 && validationFraction < 1)) throw new UsageError(`--validation must be between 0 and 1, got ${validationFraction}`);
  const cut = Math.floor(w.n * validationFraction);
  const iso = isoUtc;
  let best: number | null = null;
  let bestScore = -Infinity;
  const rows = grid.map((x) => {
    const sig = signalsAt(w, x, -x);
    let signals = 0;
    for (let i = 0; i < cut; i++) if (sig[i] !== 0) signals++;
    const sharpe = tradeIndex(w, sig, index, o, 0, cut).stats.sharpe;
    if (sharpe !== null && sharpe > bestScore) {
      bestScore = sharpe;
      best = x;
    }
    return { threshold: x, sharpe, signals };
  });
  const x = best ?? (grid[0] as number);
  const test = tradeIndex(w, signalsAt(w, x, -x), index, o, cut, w.n);
  return {
    validation: { from: iso(w.times[0] as number), to: iso(w.times[cut - 1] as number), hours: cut },
    rows,
    best,
    test: { ...test, threshold: x, from: iso(w.times[cut] as number), to: iso(w.times[w.n - 1] as number) },
  };
}
