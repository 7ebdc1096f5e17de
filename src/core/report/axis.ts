/**
 * Axis ticks for the report's charts: "nice" numeric ticks (steps of 1, 2 or 5 × 10^k) and calendar
 * ticks for a time axis whose points are not evenly spaced in time (bars skip nights, weekends and
 * holidays, so the x position is the point's index, and ticks go where a day, week or month begins).
 */

export interface NumericTicks {
  /** Tick values, ascending, from `lo` to `hi` in steps of `step`. */
  ticks: number[];
  step: number;
  /** The axis range, widened to whole steps around the data. */
  lo: number;
  hi: number;
  /** Decimals that show every tick exactly (0 for steps ≥ 1). */
  decimals: number;
}

/** The smallest step of the form {1, 2, 5} × 10^k that is ≥ `raw` (raw > 0). */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) throw new RangeError(`a tick step must be positive and finite, got ${raw}`);
  const e = Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    // Rounded so that 0.1 · 3 style products compare as written (0.30000000000000004 > 0.3).
    const s = Number((m * 10 ** e).toPrecision(12));
    if (s >= raw * (1 - 1e-12)) return s;
  }
  return 10 ** (e + 1);
}

/**
 * At most `maxTicks` ticks (≥ 3) covering [lo, hi] with a 1-2-5 step; the range is widened to
 * whole steps. A degenerate range (lo = hi) is widened around the value first.
 */
export function niceTicks(lo: number, hi: number, maxTicks = 6): NumericTicks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`tick range must be finite, got ${lo}..${hi}`);
  // Two ticks cannot cover a range around zero with multiples of one step; three always can.
  if (maxTicks < 3) throw new RangeError(`maxTicks must be at least 3, got ${maxTicks}`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  let step = niceStep((hi - lo) / (maxTicks - 1));
  for (;;) {
    // Whole steps around the data; a bound within rounding of a step boundary stays on it.
    let a = Math.floor(lo / step);
    if (Math.abs((a + 1) * step - lo) <= 1e-9 * step) a += 1;
    let b = Math.ceil(hi / step);
    if (Math.abs((b - 1) * step - hi) <= 1e-9 * step) b -= 1;
    if (b - a + 1 <= maxTicks) {
      const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      const ticks: number[] = [];
      for (let k = a; k <= b; k++) ticks.push(Number((k * step).toFixed(decimals)));
      return { ticks, step, lo: a * step, hi: b * step, decimals };
    }
    // Widening to whole steps can add a tick at each end; the next step up always fits.
    step = niceStep(step * 1.5);
  }
}

/** A tick label: the value with the decimals of its step, and a real minus sign. */
export function formatTick(v: number, decimals: number): string {
  const s = (Object.is(v, -0) ? 0 : v).toFixed(decimals);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface TimeUnit {
  /** Which period a time falls in; a tick goes where it changes. */
  key: (t: number) => number;
  label: (t: number) => string;
  name: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const ymd = (t: number): string => new Date(t).toISOString().slice(0, 10);
const hm = (t: number): string => {
  const d = new Date(t);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const monthIndex = (t: number): number => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

function hours(k: number): TimeUnit {
  return { name: `${k}h`, key: (t) => Math.floor(t / (k * HOUR)), label: hm };
}
function days(k: number): TimeUnit {
  return { name: `${k}d`, key: (t) => Math.floor(Math.floor(t / DAY) / k), label: ymd };
}
function months(k: number): TimeUnit {
  return { name: `${k}mo`, key: (t) => Math.floor(monthIndex(t) / k), label: (t) => (k >= 12 ? ymd(t).slice(0, 4) : ymd(t).slice(0, 7)) };
}

/** Candidate tick intervals, finest first. Weeks start on Monday (1970-01-01 was a Thursday). */
const UNITS: TimeUnit[] = [
  hours(1), hours(2), hours(3), hours(6), hours(12),
  days(1), days(2),
  { name: '1w', key: (t) => Math.floor((Math.floor(t / DAY) + 3) / 7), label: ymd },
  { name: '2w', key: (t) => Math.floor((Math.floor(t / DAY) + 3) / 14), label: ymd },
  months(1), months(2), months(3), months(6), months(12), months(24), months(60),
];

export interface TimeTick {
  /** Index of the first point of the new period. */
  index: number;
  label: string;
}

function ticksOf(u: TimeUnit, times: ArrayLike<number>, limit: number): TimeTick[] {
  const ticks: TimeTick[] = [];
  let prev: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (!Number.isFinite(t)) continue;
    const k = u.key(t);
    if (prev !== null && k !== prev) {
      ticks.push({ index: i, label: u.label(t) });
      if (ticks.length > limit) break;
    }
    prev = k;
  }
  return ticks;
}

/** Units whose ticks read as calendar dates; preferred when they give the very same ticks. */
const NATURAL = new Set(['1d', '1w', '1mo', '12mo']);

/**
 * Ticks for a time axis drawn by point index: the finest calendar interval (1 h … 5 years, UTC)
 * that starts a new period at no more than `maxTicks` points. When a day, week, month or year
 * boundary gives exactly the same ticks, that unit is used instead, so sparse points (one per day)
 * are labelled with dates rather than hours. Each tick sits at the first point of its period,
 * labelled with that point's time: `MM-DD HH:MM` for hours, `YYYY-MM-DD` for days and weeks (weeks
 * start on Monday), `YYYY-MM` or `YYYY` beyond. Non-finite times are skipped. No ticks when the
 * points fall in one hour.
 */
export function timeTicks(times: ArrayLike<number>, maxTicks = 8): { unit: string | null; ticks: TimeTick[] } {
  let k = 0;
  let best: { unit: string; ticks: TimeTick[] } | null = null;
  for (; k < UNITS.length; k++) {
    const u = UNITS[k] as TimeUnit;
    const ticks = ticksOf(u, times, maxTicks);
    if (ticks.length === 0) return { unit: null, ticks: [] };
    if (ticks.length <= maxTicks) {
      best = { unit: u.name, ticks };
      break;
    }
  }
  if (best === null) return { unit: null, ticks: [] };
  const same = (a: TimeTick[], b: TimeTick[]): boolean => a.length === b.length && a.every((t, i) => t.index === b[i]?.index);
  for (k++; k < UNITS.length; k++) {
    const u = UNITS[k] as TimeUnit;
    if (!NATURAL.has(u.name)) continue;
    const ticks = ticksOf(u, times, maxTicks);
    if (!same(ticks, best.ticks)) break;
    best = { unit: u.name, ticks };
  }
  return best;
}

/** Epoch ms of ISO timestamps; null unless every one parses (a chart then has no date axis). */
export function parseTimes(time: readonly string[] | null): number[] | null {
  if (time === null) return null;
  const out = time.map((t) => Date.parse(t));
  return out.every(Number.isFinite) ? out : null;
}
