import type { Ohlcv } from '../data/index.js';
import { pearson, spearman } from '../evaluate/index.js';
import type { WssResult } from './score.js';

export interface HitStats {
  /** Signals of this side whose next index return could be measured. */
  n: number;
  /** BUY: next return > 0; SELL: next return < 0 (a flat hour is a miss for both). */
  hits: number;
  /** hits / n; null when n = 0. */
  hitRate: number | null;
}

export interface CorrelationStats {
  /** Null when fewer than 3 pairs or a constant series. */
  pearson: number | null;
  spearman: number | null;
  /** Hours with both a finite WSS and a measured next return. */
  n: number;
}

export interface SignalEvaluation {
  buy: HitStats;
  sell: HitStats;
  correlation: CorrelationStats;
  /** Share of measured hours with a positive next return: the hit rate of "always BUY", for scale. */
  upShare: number | null;
  /** Index return from the close of the bar at t to the close of the bar at timestamp_next, per WSS row (NaN when not measurable). */
  nextReturn: Float64Array;
  /** WSS rows whose next return could be measured. */
  measured: number;
  /** WSS rows skipped because the index lacks the bar at t or at timestamp_next. */
  skipped: number;
}

/**
 * Scores a WSS series against the index (e.g. QQQ hourly): for each row, the index return from the
 * close of its bar at t to the close of its bar at timestamp_next, matched by timestamp (index gaps,
 * such as Yahoo's, skip the row and are counted). Reports BUY/SELL hit rates and the Pearson and
 * Spearman correlation of WSS with that return. Low-coverage rows count as HOLD (their signal).
 */
export function evaluateSignal(result: WssResult, index: Ohlcv): SignalEvaluation {
  const row = new Map<number, number>();
  for (let i = 0; i < index.n; i++) row.set(index.time[i] as number, i);
  const n = result.n;
  const nextReturn = new Float64Array(n).fill(Number.NaN);
  const buy = { n: 0, hits: 0 };
  const sell = { n: 0, hits: 0 };
  let measured = 0;
  let up = 0;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const a = row.get(result.times[j] as number);
    const b = row.get(result.timeNext[j] as number);
    if (a === undefined || b === undefined) continue;
    const r = (index.close[b] as number) / (index.close[a] as number) - 1;
    nextReturn[j] = r;
    measured++;
    if (r > 0) up++;
    const s = result.signal[j] as number;
    if (s > 0) {
      buy.n++;
      if (r > 0) buy.hits++;
    } else if (s < 0) {
      sell.n++;
      if (r < 0) sell.hits++;
    }
    const w = result.wss[j] as number;
    if (Number.isFinite(w)) {
      x[m] = w;
      y[m] = r;
      m++;
    }
  }
  const xs = x.subarray(0, m);
  const ys = y.subarray(0, m);
  return {
    buy: { ...buy, hitRate: buy.n > 0 ? buy.hits / buy.n : null },
    sell: { ...sell, hitRate: sell.n > 0 ? sell.hits / sell.n : null },
    correlation: { pearson: pearson(xs, ys), spearman: spearman(xs, ys), n: m },
    upShare: measured > 0 ? up / measured : null,
    nextReturn,
    measured,
    skipped: n - measured,
  };
}
