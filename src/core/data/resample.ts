import { exactNumber } from '../util/csv-write.js';
import { UsageError } from '../errors.js';
import { isTradingDay, sessionClose, sessionKey, sessionOpen, US_EQUITY, type SessionCalendar } from './calendar.js';
import { medianSpacing } from './gaps.js';
import type { Bars } from './types.js';
import { zoneConverter } from './tz.js';

/** What resampling did besides aggregating: facts a user should see, not errors. */
export interface ResampleReport {
  /** Input bars outside the regular session (pre/post market, weekends, holidays): dropped. */
  dropped: number;
  /** Output buckets built from fewer input bars than their length holds (a gap in the source). */
  partialBuckets: number;
  /** Output bars. */
  buckets: number;
  /** Median spacing of the input bars in ms (the source interval). */
  sourceIntervalMs: number;
  intervalMs: number;
}

export interface ResampleResult {
  bars: Bars;
  report: ResampleReport;
}

/**
 * Aggregates finer bars into session-anchored buckets: bucket k of a session starts at
 * open + k·interval (09:30, 10:30, … 15:30 New York for 1 h US equities), so the last bucket of a
 * session may be shorter (15:30–16:00; 12:30–13:00 on a half day). open = first, high = max,
 * low = min, close = last, volume = sum. Bars outside the regular session are dropped and counted;
 * bars are assigned by their START time, so an input bar must not be longer than the interval.
 * @throws UsageError for a non-positive interval or one shorter than the input's bar interval.
 */
export function resampleBars(bars: Bars, intervalMs: number, cal: SessionCalendar = US_EQUITY): ResampleResult {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) {
    throw new UsageError(`resample interval must be a positive duration, got ${intervalMs} ms`, { hint: 'use e.g. --interval 1h or 30m' });
  }
  const n = bars.n;
  const src = medianSpacing(bars.time, n);
  // The smallest step, not the median, decides whether bars are finer than the target: gaps only
  // lengthen steps, so sparse but fine data still passes.
  let minStep = Infinity;
  for (let i = 1; i < n; i++) {
    const d = (bars.time[i] as number) - (bars.time[i - 1] as number);
    if (d > 0 && d < minStep) minStep = d;
  }
  if (minStep !== Infinity && minStep > intervalMs) {
    throw new UsageError(`${bars.source}: bars are at least ${minStep / 60_000} min apart, longer than the ${intervalMs / 60_000} min target interval`, {
      hint: 'resampling only aggregates finer bars into coarser ones',
    });
  }
  // Upper bound on the output size: every input bar its own bucket.
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const counts = new Int32Array(n);
  const ends = new Float64Array(n);
  let m = 0;
  let dropped = 0;
  // The session of the previous bar; a bar inside [curOpen, curClose) reuses it without a zone lookup.
  let curOpen = Number.NaN;
  let curClose = Number.NaN;
  let bucketStart = Number.NaN;
  for (let i = 0; i < n; i++) {
    const t = bars.time[i] as number;
    if (!(t >= curOpen && t < curClose)) {
      const key = sessionKey(t, cal);
      if (!isTradingDay(key, cal)) {
        dropped++;
        continue;
      }
      curOpen = sessionOpen(key, cal);
      curClose = sessionClose(key, cal);
      if (!(t >= curOpen && t < curClose)) {
        dropped++;
        continue;
      }
    }
    const start = curOpen + Math.floor((t - curOpen) / intervalMs) * intervalMs;
    const o = bars.open[i] as number;
    const h = bars.high[i] as number;
    const l = bars.low[i] as number;
    const c = bars.close[i] as number;
    const v = bars.volume[i] as number;
    if (start !== bucketStart) {
      bucketStart = start;
      time[m] = start;
      open[m] = o;
      high[m] = h;
      low[m] = l;
      close[m] = c;
      volume[m] = v;
      counts[m] = 1;
      ends[m] = Math.min(start + intervalMs, curClose);
      m++;
    } else {
      const j = m - 1;
      if (h > (high[j] as number)) high[j] = h;
      if (l < (low[j] as number)) low[j] = l;
      close[j] = c;
      volume[j] = (volume[j] as number) + v;
      counts[j] = (counts[j] as number) + 1;
    }
  }
  let partial = 0;
  if (src > 0) {
    for (let j = 0; j < m; j++) {
      // Rounded: a 30-minute tail holds 6 five-minute bars; a bucket with fewer has a hole.
      const expected = Math.round(((ends[j] as number) - (time[j] as number)) / src);
      if ((counts[j] as number) < expected) partial++;
    }
  }
  return {
    bars: {
      n: m,
      time: time.slice(0, m),
      open: open.slice(0, m),
      high: high.slice(0, m),
      low: low.slice(0, m),
      close: close.slice(0, m),
      volume: volume.slice(0, m),
      symbol: bars.symbol,
      source: bars.source,
    },
    report: { dropped, partialBuckets: partial, buckets: m, sourceIntervalMs: src, intervalMs },
  };
}

const pad2 = (x: number): string => (x < 10 ? `0${x}` : String(x));

/** Offset lookups are cached per quarter hour of UTC: zones change offset only on such boundaries. */
const QUARTER_MS = 900_000;

/**
 * Bars as CSV text, `timestamp,open,high,low,close,volume` (no symbol column: write one file per
 * symbol named after it), timestamps ISO-8601 with the offset of `zone` (default the US equity
 * exchange zone), e.g. `2026-01-26T09:30:00-05:00`, so the file reads back unchanged.
 * Numbers are written in JavaScript's shortest round-trip form.
 * @throws UsageError for an unknown zone.
 */
export function formatBarsCsv(bars: Bars, zone: string = US_EQUITY.zone): string {
  return [...barsCsvChunks(bars, zone)].join('');
}

/** formatBarsCsv in chunks of about 64 KB, for writing big files without the whole text in memory. */
export function* barsCsvChunks(bars: Bars, zone: string = US_EQUITY.zone): Generator<string> {
  const zc = zoneConverter(zone);
  let s = 'timestamp,open,high,low,close,volume\n';
  let lastQuarter = Number.NaN;
  let off = 0;
  let offText = '';
  for (let i = 0; i < bars.n; i++) {
    const t = bars.time[i] as number;
    const q = Math.floor(t / QUARTER_MS);
    if (q !== lastQuarter) {
      lastQuarter = q;
      off = zc.offsetAt(t);
      const a = Math.abs(off) / 60_000;
      offText = off === 0 && zone === 'UTC' ? 'Z' : `${off < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
    }
    // Milliseconds only when present, so ordinary bars read `…T09:30:00-05:00`.
    const local = new Date(t + off).toISOString().slice(0, t % 1000 === 0 ? 19 : 23);
    s += `${local}${offText},${exactNumber(bars.open[i] as number)},${exactNumber(bars.high[i] as number)},${exactNumber(bars.low[i] as number)},${exactNumber(bars.close[i] as number)},${exactNumber(bars.volume[i] as number)}\n`;
    if (s.length >= 1 << 16) {
      yield s;
      s = '';
    }
  }
  if (s !== '') yield s;
}
