import { sessionKey, type Ohlcv } from '../data/index.js';
import { pearson, spearman } from '../evaluate/index.js';
import { DEFAULT_SEED, Rng } from '../util/rng.js';
import type { WssResult } from './score.js';

/** A 95 % interval. */
export interface Interval {
  lo: number;
  hi: number;
}

export interface HitStats {
  /** Signals of this side whose next index return could be measured. */
  n: number;
  /** BUY: next return > 0; SELL: next return < 0 (a flat hour is a miss for both). */
  hits: number;
  /** hits / n; null when n = 0. */
  hitRate: number | null;
  /** Wilson score 95 % interval of the hit rate; null when n = 0. */
  ci: Interval | null;
}

/** A correlation with its session-block bootstrap interval and two-sided p-value. */
export interface CorrelationInterval extends Interval {
  /** Two-sided bootstrap p-value of "no correlation": (2 · min(#r* ≤ 0, #r* ≥ 0) + 1) / (B + 1), capped at 1. */
  p: number;
  resamples: number;
}

export interface CorrelationStats {
  /** Null when fewer than 3 pairs or a constant series. */
  pearson: number | null;
  spearman: number | null;
  /** Hours with both a finite WSS and a measured next return. */
  n: number;
  /** Sessions (New York trading dates) those hours fall in: the bootstrap's blocks. */
  sessions: number;
  /** Pearson's interval; null when the correlation is null or there are fewer than 3 sessions to resample. */
  pearsonCi: CorrelationInterval | null;
}

export interface SignalEvaluation {
  buy: HitStats;
  sell: HitStats;
  correlation: CorrelationStats;
  /** Share of measured hours with a positive next return: the hit rate of "always BUY", for scale. */
  upShare: number | null;
  /** Wilson 95 % interval of upShare. */
  upShareCi: Interval | null;
  /** Index return from the close of the bar at t to the close of the bar at timestamp_next, per WSS row (NaN when not measurable). */
  nextReturn: Float64Array;
  /** WSS rows whose next return could be measured. */
  measured: number;
  /** WSS rows not measured (= excluded.noNextBar + excluded.indexGap); excluded from every count above. */
  skipped: number;
  excluded: {
    /** Rows whose next bar lies past the index's last bar (the last hour of a batch): no next return exists yet. */
    noNextBar: number;
    /** Rows whose bar at t or at timestamp_next is missing inside the index's range (a gap in the index feed). */
    indexGap: number;
  };
}

export interface EvaluateSignalOptions {
  /** Bootstrap resamples for the correlation intervals (default 2,000). */
  resamples?: number;
  seed?: number;
}

const Z95 = 1.959963984540054;

/** Wilson score interval of a binomial proportion (95 %), null when n = 0. */
export function wilsonInterval(hits: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = hits / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Percentile block bootstrap of a correlation: whole sessions are drawn with replacement (hours of a
 * session stay together, keeping their dependence), the correlation is recomputed on each resample,
 * and the 2.5 % / 97.5 % percentiles form the interval. Resamples whose correlation is undefined
 * (a constant series) are dropped. Null with fewer than 3 blocks.
 */
function bootstrapCorrelation(
  x: Float64Array,
  y: Float64Array,
  blockStart: Int32Array,
  corr: (a: Float64Array, b: Float64Array) => number | null,
  resamples: number,
  rng: Rng,
): CorrelationInterval | null {
  const nb = blockStart.length - 1;
  if (nb < 3 || resamples < 1) return null;
  let maxBlock = 0;
  for (let b = 0; b < nb; b++) maxBlock = Math.max(maxBlock, (blockStart[b + 1] as number) - (blockStart[b] as number));
  const bx = new Float64Array(nb * maxBlock);
  const by = new Float64Array(nb * maxBlock);
  const values = new Float64Array(resamples);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    let m = 0;
    for (let b = 0; b < nb; b++) {
      const pick = rng.int(nb);
      const s = blockStart[pick] as number;
      const e = blockStart[pick + 1] as number;
      bx.set(x.subarray(s, e), m);
      by.set(y.subarray(s, e), m);
      m += e - s;
    }
    const c = corr(bx.subarray(0, m), by.subarray(0, m));
    if (c !== null && Number.isFinite(c)) values[kept++] = c;
  }
  if (kept === 0) return null;
  const v = values.subarray(0, kept).sort();
  const q = (f: number): number => {
    const pos = f * (kept - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(kept - 1, lo + 1);
    return (v[lo] as number) + (pos - lo) * ((v[hi] as number) - (v[lo] as number));
  };
  let le = 0;
  let ge = 0;
  for (let i = 0; i < kept; i++) {
    if ((v[i] as number) <= 0) le++;
    if ((v[i] as number) >= 0) ge++;
  }
  return { lo: q(0.025), hi: q(0.975), p: Math.min(1, (2 * Math.min(le, ge) + 1) / (kept + 1)), resamples: kept };
}

/**
 * Scores a WSS series against the index (e.g. QQQ hourly): for each row, the index return from the
 * close of its bar at t to the close of its bar at timestamp_next, matched by timestamp. Rows without
 * both bars are excluded from every count and reported by cause: the last hour(s) of a batch, whose
 * next bar the index does not have yet, and gaps in the index feed (such as Yahoo's). Reports BUY/SELL
 * hit rates with Wilson intervals, the up-hour share (the hit rate of "always BUY"), and the Pearson
 * (with a session-block bootstrap interval and p-value) and Spearman correlation of WSS with that
 * return. Low-coverage rows count as HOLD (their signal).
 */
export function evaluateSignal(result: WssResult, index: Ohlcv, opts: EvaluateSignalOptions = {}): SignalEvaluation {
  const row = new Map<number, number>();
  for (let i = 0; i < index.n; i++) row.set(index.time[i] as number, i);
  const lastIndexTime = index.n > 0 ? (index.time[index.n - 1] as number) : Number.NEGATIVE_INFINITY;
  const n = result.n;
  const nextReturn = new Float64Array(n).fill(Number.NaN);
  const buy = { n: 0, hits: 0 };
  const sell = { n: 0, hits: 0 };
  const excluded = { noNextBar: 0, indexGap: 0 };
  let measured = 0;
  let up = 0;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const blockStart: number[] = [];
  let lastKey = Number.NaN;
  let m = 0;
  for (let j = 0; j < n; j++) {
    const tn = result.timeNext[j] as number;
    const a = row.get(result.times[j] as number);
    const b = row.get(tn);
    if (a === undefined || b === undefined) {
      if (!Number.isFinite(tn) || tn > lastIndexTime) excluded.noNextBar++;
      else excluded.indexGap++;
      continue;
    }
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
      const key = sessionKey(result.times[j] as number);
      if (key !== lastKey) {
        blockStart.push(m);
        lastKey = key;
      }
      x[m] = w;
      y[m] = r;
      m++;
    }
  }
  blockStart.push(m);
  const xs = x.subarray(0, m);
  const ys = y.subarray(0, m);
  const starts = Int32Array.from(blockStart);
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed ?? DEFAULT_SEED;
  const p = pearson(xs, ys);
  const sp = spearman(xs, ys);
  return {
    buy: { ...buy, hitRate: buy.n > 0 ? buy.hits / buy.n : null, ci: wilsonInterval(buy.hits, buy.n) },
    sell: { ...sell, hitRate: sell.n > 0 ? sell.hits / sell.n : null, ci: wilsonInterval(sell.hits, sell.n) },
    correlation: {
      pearson: p,
      spearman: sp,
      n: m,
      sessions: starts.length - 1,
      pearsonCi: p === null ? null : bootstrapCorrelation(xs, ys, starts, pearson, resamples, new Rng(seed)),
    },
    upShare: measured > 0 ? up / measured : null,
    upShareCi: wilsonInterval(up, measured),
    nextReturn,
    measured,
    skipped: n - measured,
    excluded,
  };
}
