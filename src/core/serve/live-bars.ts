import type { Bars } from '../data/index.js';
import { ConflictError, UsageError } from '../errors.js';
import { HttpError } from './http-error.js';
import { isoUtc } from '../data/index.js';

const iso = isoUtc;

/** One symbol's most recent bars in a fixed-size ring of typed arrays. */
class Ring {
  start = 0;
  count = 0;
  /** Monotonic ms of the last bar pushed: how idle the symbol is. */
  lastUsed = 0;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;

  constructor(readonly capacity: number) {
    this.time = new Float64Array(capacity);
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  get lastTime(): number {
    return this.count === 0 ? -Infinity : (this.time[(this.start + this.count - 1) % this.capacity] as number);
  }

  push(t: number, o: number, h: number, l: number, c: number, v: number): void {
    let i: number;
    if (this.count < this.capacity) {
      i = (this.start + this.count) % this.capacity;
      this.count++;
    } else {
      // Full: the oldest bar is overwritten, so memory per symbol never grows.
      i = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.time[i] = t;
    this.open[i] = o;
    this.high[i] = h;
    this.low[i] = l;
    this.close[i] = c;
    this.volume[i] = v;
  }

  /** Chronological copy of the last `keep` bars (all when omitted). */
  columns(keep = this.count): Ohlcv6 {
    const n = Math.min(keep, this.count);
    const from = this.count - n;
    const out = (src: Float64Array): Float64Array => {
      const a = new Float64Array(n);
      for (let k = 0; k < n; k++) a[k] = src[(this.start + from + k) % this.capacity] as number;
      return a;
    };
    return { n, time: out(this.time), open: out(this.open), high: out(this.high), low: out(this.low), close: out(this.close), volume: out(this.volume) };
  }
}

type Ohlcv6 = Omit<Bars, 'symbol' | 'source'>;

/** Default time without a bar after which a symbol may be evicted for a new one. */
export const DEFAULT_IDLE_MS = 60_000;

/**
 * Live mode's memory: each symbol's recent bars, bounded in bars per symbol (`capacity`) and in
 * symbols (`maxSymbols`), so a client streaming forever, or inventing symbols, cannot grow the
 * server without limit. When full, a new symbol takes the place of the least recently used one if
 * that one has had no bar for `idleMs`; otherwise the new symbol is refused for now (429 with the
 * seconds until a place frees up), so active symbols never lose their window to a flood of new ones.
 */
export class LiveBars {
  /** Insertion order is recency order: a symbol is moved to the end on every bar. */
  private readonly rings = new Map<string, Ring>();
  private evictedCount = 0;

  constructor(
    private capacity: number,
    readonly maxSymbols: number,
    /** Monotonic milliseconds (e.g. clock.elapsed). */
    private readonly now: () => number = () => performance.now(),
    readonly idleMs: number = DEFAULT_IDLE_MS,
  ) {
    if (!Number.isInteger(maxSymbols) || maxSymbols < 1) throw new UsageError(`--max-symbols must be a whole number ≥ 1, got ${maxSymbols}`);
    if (!(idleMs >= 0) || !Number.isFinite(idleMs)) throw new UsageError(`--idle-seconds must be ≥ 0, got ${idleMs / 1000}`);
  }

  /** Symbols evicted so far to make room for new ones. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Bars kept per symbol. */
  get window(): number {
    return this.capacity;
  }

  get symbols(): number {
    return this.rings.size;
  }

  /**
   * Append one completed bar; returns how many bars the symbol now has.
   * @throws ConflictError when the bar is not after the symbol's last bar (duplicate or out of
   *   order); HttpError 429 (with `retryAfter` seconds) when a new symbol finds every place taken
   *   by a symbol that is not idle yet.
   */
  push(symbol: string, t: number, o: number, h: number, l: number, c: number, v: number): number {
    const now = this.now();
    let ring = this.rings.get(symbol);
    if (ring === undefined) {
      if (this.rings.size >= this.maxSymbols) this.evictIdle(symbol, now);
      ring = new Ring(this.capacity);
    } else {
      const last = ring.lastTime;
      if (t === last) throw new ConflictError(`${symbol}: duplicate bar for ${iso(t)}; the last bar received has the same timestamp`, { hint: 'send each completed bar once' });
      if (t < last) throw new ConflictError(`${symbol}: bar ${iso(t)} is out of order; the last bar received is ${iso(last)}`, { hint: 'send bars in time order, one completed bar at a time' });
    }
    ring.push(t, o, h, l, c, v);
    ring.lastUsed = now;
    // Re-inserting moves the symbol to the most recently used end.
    this.rings.delete(symbol);
    this.rings.set(symbol, ring);
    return ring.count;
  }

  /** Make room for `symbol` by evicting the least recently used symbol, if it is idle. */
  private evictIdle(symbol: string, now: number): void {
    const oldest = this.rings.entries().next().value as [string, Ring];
    const idle = now - oldest[1].lastUsed;
    if (idle < this.idleMs) {
      const wait = Math.max(1, Math.ceil((this.idleMs - idle) / 1000));
      throw new HttpError(
        429, 'CAPACITY',
        `live mode tracks ${this.maxSymbols} symbols and none has been idle for ${this.idleMs / 1000} s; ${symbol} is not accepted yet`,
        `retry after ${wait} s, or start the server with a larger --max-symbols`,
        wait,
      );
    }
    this.rings.delete(oldest[0]);
    this.evictedCount++;
  }

  /** The symbol's bars in time order (a copy), or null for a symbol never seen. */
  bars(symbol: string): Bars | null {
    const ring = this.rings.get(symbol);
    return ring === undefined ? null : { ...ring.columns(), symbol, source: `<live ${symbol}>` };
  }

  /**
   * Grow every ring to at least `capacity` bars, keeping what it holds (a reloaded model may need
   * a longer warm-up than the one the server started with). Rings never shrink.
   */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    for (const [sym, old] of this.rings) {
      const ring = new Ring(capacity);
      const c = old.columns();
      for (let k = 0; k < c.n; k++) ring.push(c.time[k] as number, c.open[k] as number, c.high[k] as number, c.low[k] as number, c.close[k] as number, c.volume[k] as number);
      this.rings.set(sym, ring);
    }
  }
}
