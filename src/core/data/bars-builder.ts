import { DataError } from '../errors.js';
import { US_EQUITY, type SessionCalendar } from './calendar.js';
import { findGaps, medianSpacing } from './gaps.js';
import { COL_CLOSE, COL_HIGH, COL_LOW, COL_OPEN, COL_TIME, COL_VOLUME } from './header.js';
import type { ReadResult } from './types.js';

/** Formats "where" for an error: a CSV line or a request record index, plus the column role. */
export type Locator = (loc: number, role: number) => string;

const iso = (t: number): string => (Number.isFinite(t) && Math.abs(t) < 8.64e15 ? new Date(t).toISOString() : String(t));

export interface FinishOptions {
  source: string;
  symbol: string | null;
  minRows?: number;
  sha256: string;
  calendar?: SessionCalendar;
}

/**
 * Collects parsed bars into growing Float64Array columns and applies the row rules of docs/input-csv.md
 * that do not depend on the input format: finite values, positive prices, non-negative volume,
 * high/low consistent with open/close, timestamps strictly increasing except exact duplicate rows
 * (dropped and counted). Shared by the CSV scanner and the JSON records reader so both reject the
 * same things with the same words.
 */
export class BarsBuilder {
  n = 0;
  duplicatesDropped = 0;
  zeroVolumeBars = 0;
  private cap: number;
  private t: Float64Array;
  private o: Float64Array;
  private h: Float64Array;
  private l: Float64Array;
  private c: Float64Array;
  private v: Float64Array;

  constructor(capacity: number, private readonly locate: Locator) {
    this.cap = Math.max(16, capacity | 0);
    this.t = new Float64Array(this.cap);
    this.o = new Float64Array(this.cap);
    this.h = new Float64Array(this.cap);
    this.l = new Float64Array(this.cap);
    this.c = new Float64Array(this.cap);
    this.v = new Float64Array(this.cap);
  }

  /**
   * Validates and appends one bar; `loc` is the line number or record index for messages.
   * @throws DataError naming the location, column and value of the first rule the row breaks.
   */
  push(t: number, o: number, h: number, l: number, c: number, v: number, loc: number): void {
    if (!(o > 0 && h > 0 && l > 0 && c > 0 && v >= 0 && v < Infinity && h < Infinity) || !(t > -8.64e15 && t < 8.64e15)) {
      this.badValue(t, o, h, l, c, v, loc);
    }
    if (h < (o > c ? o : c)) {
      throw new DataError(`${this.locate(loc, COL_HIGH)}: high ${h} is below max(open, close) = ${o > c ? o : c}`, {
        hint: 'high must be ≥ open and close; check the column order and the source feed',
      });
    }
    if (l > (o < c ? o : c)) {
      throw new DataError(`${this.locate(loc, COL_LOW)}: low ${l} is above min(open, close) = ${o < c ? o : c}`, {
        hint: 'low must be ≤ open and close; check the column order and the source feed',
      });
    }
    const n = this.n;
    if (n > 0) {
      const prev = this.t[n - 1] as number;
      if (t < prev) {
        throw new DataError(`${this.locate(loc, COL_TIME)}: timestamp ${iso(t)} is earlier than the previous row's ${iso(prev)}`, {
          hint: 'sort the file by timestamp (oldest first)',
        });
      }
      if (t === prev) {
        const j = n - 1;
        if (this.o[j] === o && this.h[j] === h && this.l[j] === l && this.c[j] === c && this.v[j] === v) {
          this.duplicatesDropped++;
          return;
        }
        throw new DataError(`${this.locate(loc, COL_TIME)}: duplicate timestamp ${iso(t)} with different values than the row before`, {
          hint: 'keep one bar per timestamp; exact duplicate rows are dropped automatically',
        });
      }
    }
    if (n === this.cap) this.grow();
    this.t[n] = t;
    this.o[n] = o;
    this.h[n] = h;
    this.l[n] = l;
    this.c[n] = c;
    this.v[n] = v;
    if (v === 0) this.zeroVolumeBars++;
    this.n = n + 1;
  }

  private badValue(t: number, o: number, h: number, l: number, c: number, v: number, loc: number): never {
    if (!(t > -8.64e15 && t < 8.64e15)) {
      throw new DataError(`${this.locate(loc, COL_TIME)}: timestamp ${t} is out of range`, { hint: 'use a date between years 1970 and 275000' });
    }
    const prices: [number, number][] = [
      [COL_OPEN, o],
      [COL_HIGH, h],
      [COL_LOW, l],
      [COL_CLOSE, c],
    ];
    for (const [role, x] of prices) {
      if (!Number.isFinite(x)) throw new DataError(`${this.locate(loc, role)}: value ${x} is not a finite number`, { hint: 'prices must be finite decimals' });
      if (!(x > 0)) throw new DataError(`${this.locate(loc, role)}: price ${x} is not positive`, { hint: 'prices must be > 0; remove or repair the bar' });
    }
    if (!Number.isFinite(v)) throw new DataError(`${this.locate(loc, COL_VOLUME)}: value ${v} is not a finite number`, { hint: 'volume must be a finite decimal' });
    throw new DataError(`${this.locate(loc, COL_VOLUME)}: volume ${v} is negative`, { hint: 'volume must be ≥ 0' });
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.t = g(this.t);
    this.o = g(this.o);
    this.h = g(this.h);
    this.l = g(this.l);
    this.c = g(this.c);
    this.v = g(this.v);
    this.cap = cap;
  }

  /**
   * The bars and their read report.
   * @throws DataError when no rows were read or fewer than `minRows`.
   */
  finish(opts: FinishOptions): ReadResult {
    const n = this.n;
    if (n === 0) {
      throw new DataError(`${opts.source}: no data rows`, { hint: 'the input has a header (or nothing) but no bars' });
    }
    if (opts.minRows !== undefined && n < opts.minRows) {
      throw new DataError(`${opts.source}: ${n} bars, but at least ${opts.minRows} are needed`, {
        hint: `the features need ${opts.minRows} bars of warm-up history before the first usable row; provide a longer file (or --history)`,
      });
    }
    // Trim the spare capacity only when it is worth a copy.
    const fit = (a: Float64Array): Float64Array => (this.cap > n * 1.25 ? a.slice(0, n) : a.subarray(0, n));
    const time = fit(this.t);
    const intervalMs = medianSpacing(time, n);
    const gaps = findGaps(time, n, intervalMs, opts.calendar ?? US_EQUITY);
    return {
      bars: {
        n,
        time,
        open: fit(this.o),
        high: fit(this.h),
        low: fit(this.l),
        close: fit(this.c),
        volume: fit(this.v),
        symbol: opts.symbol,
        source: opts.source,
      },
      report: {
        source: opts.source,
        symbol: opts.symbol,
        rows: n,
        duplicatesDropped: this.duplicatesDropped,
        zeroVolumeBars: this.zeroVolumeBars,
        intervalMs,
        gaps,
        first: time[0] as number,
        last: time[n - 1] as number,
        sha256: opts.sha256,
      },
    };
  }
}
