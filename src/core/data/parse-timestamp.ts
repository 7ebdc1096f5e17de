import { DAY_MS, daysFromCivil, daysInMonth } from './civil.js';
import type { ZoneConverter } from './tz.js';

/** Why the last parse failed (0 = it did not). */
export const TS_OK = 0;
export const TS_SYNTAX = 1;
export const TS_RANGE = 2;
export const TS_NAIVE = 3;
export const TS_SHORT_EPOCH = 4;

/** Epoch seconds below 1e11 (year 5138); at or above, the number is taken as milliseconds. */
const EPOCH_MS_THRESHOLD = 1e11;

/**
 * Byte-level timestamp parser for one file (or request): returns epoch ms UTC or NaN, and leaves
 * the reason in `error`. Accepted forms (docs/input-csv.md):
 * - ISO-8601 `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` with `Z`, `±HH:MM`, `±HHMM` or `±HH`; fractions beyond
 *   milliseconds are truncated;
 * - the same without an offset ("naive") only when a zone was given: wall time in that zone;
 * - `YYYY-MM-DD`: midnight in the given zone, else midnight UTC;
 * - epoch seconds or milliseconds, by magnitude (< 1e11 → seconds), optional fraction. Numbers of
 *   eight digits or fewer are refused: they are dates like 20230407 far more often than 1970s times.
 * The date part is cached, so consecutive rows of one day cost only the time-of-day arithmetic.
 */
export class TimestampParser {
  error = TS_OK;
  private lastDateKey = -1;
  private lastDays = 0;

  constructor(private readonly zone: ZoneConverter | null) {}

  parse(b: Uint8Array, s: number, e: number): number {
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    this.error = TS_OK;
    if (e - s >= 10 && b[s + 4] === 45) return this.iso(b, s, e);
    return this.epoch(b, s, e);
  }

  private fail(code: number): number {
    this.error = code;
    return Number.NaN;
  }

  private epoch(b: Uint8Array, s: number, e: number): number {
    let v = 0;
    let i = s;
    let intDigits = 0;
    for (; i < e; i++) {
      const c = (b[i] as number) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      intDigits++;
    }
    if (intDigits === 0) return this.fail(TS_SYNTAX);
    if (i < e && b[i] === 46) {
      let scale = 0.1;
      for (i++; i < e; i++, scale /= 10) {
        const c = (b[i] as number) - 48;
        if (c < 0 || c > 9) break;
        v += c * scale;
      }
    }
    if (i !== e) return this.fail(TS_SYNTAX);
    if (intDigits <= 8) return this.fail(TS_SHORT_EPOCH);
    if (v >= 1e14) return this.fail(TS_RANGE);
    return v < EPOCH_MS_THRESHOLD ? Math.round(v * 1000) : Math.round(v);
  }

  private iso(b: Uint8Array, s: number, e: number): number {
    const y = d4(b, s);
    const mo = d2(b, s + 5);
    const d = d2(b, s + 8);
    if (y < 0 || mo < 0 || d < 0 || b[s + 7] !== 45) return this.fail(TS_SYNTAX);
    const key = y * 10_000 + mo * 100 + d;
    let days: number;
    if (key === this.lastDateKey) days = this.lastDays;
    else {
      if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return this.fail(TS_RANGE);
      days = daysFromCivil(y, mo, d);
      this.lastDateKey = key;
      this.lastDays = days;
    }
    let i = s + 10;
    if (i === e) return this.zone === null ? days * DAY_MS : this.zone.wallToUtc(days * DAY_MS);
    const sep = b[i];
    if (sep !== 84 && sep !== 116 && sep !== 32) return this.fail(TS_SYNTAX);
    const h = d2(b, i + 1);
    const mi = d2(b, i + 4);
    if (h < 0 || mi < 0 || b[i + 3] !== 58 || i + 6 > e) return this.fail(TS_SYNTAX);
    i += 6;
    let sec = 0;
    let ms = 0;
    if (i < e && b[i] === 58) {
      sec = d2(b, i + 1);
      if (sec < 0 || i + 3 > e) return this.fail(TS_SYNTAX);
      i += 3;
      if (i < e && (b[i] === 46 || b[i] === 44)) {
        i++;
        let scale = 100;
        const start = i;
        for (; i < e; i++, scale /= 10) {
          const c = (b[i] as number) - 48;
          if (c < 0 || c > 9) break;
          if (scale >= 1) ms += c * scale;
        }
        if (i === start) return this.fail(TS_SYNTAX);
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return this.fail(TS_RANGE);
    const wall = days * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms;
    if (i === e) {
      if (this.zone === null) return this.fail(TS_NAIVE);
      return this.zone.wallToUtc(wall);
    }
    const z = b[i];
    if ((z === 90 || z === 122) && i + 1 === e) return wall;
    if (z !== 43 && z !== 45) return this.fail(TS_SYNTAX);
    const oh = d2(b, i + 1);
    if (oh < 0 || i + 3 > e) return this.fail(TS_SYNTAX);
    i += 3;
    let om = 0;
    if (i < e) {
      if (b[i] === 58) i++;
      om = d2(b, i);
      if (om < 0 || i + 2 !== e) return this.fail(TS_SYNTAX);
    }
    if (oh > 23 || om > 59) return this.fail(TS_RANGE);
    const off = (oh * 60 + om) * 60_000;
    return z === 43 ? wall - off : wall + off;
  }
}

/** Two ASCII digits at i as a number, or −1 (out-of-range reads give undefined → −1). */
function d2(b: Uint8Array, i: number): number {
  const a = (b[i] ?? 0) - 48;
  const c = (b[i + 1] ?? 0) - 48;
  if (a < 0 || a > 9 || c < 0 || c > 9) return -1;
  return a * 10 + c;
}

function d4(b: Uint8Array, i: number): number {
  const hi = d2(b, i);
  const lo = d2(b, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** Human wording for a parse failure code, for error messages. */
export function timestampProblem(code: number): { what: string; hint: string } {
  switch (code) {
    case TS_NAIVE:
      return {
        what: 'timestamp has no UTC offset',
        hint: 'add an offset (2023-04-07T09:30:00-04:00) or pass --tz <IANA zone> to say which zone the times are in',
      };
    case TS_SHORT_EPOCH:
      return { what: 'timestamp is a short number', hint: 'use ISO-8601 dates (2023-04-07) or epoch seconds/milliseconds' };
    case TS_RANGE:
      return { what: 'timestamp is out of range', hint: 'check month, day, hour, minute, second and offset values' };
    default:
      return {
        what: 'unparseable timestamp',
        hint: 'use ISO-8601 with an offset (2023-04-07T09:30:00-04:00), YYYY-MM-DD, or epoch seconds/milliseconds',
      };
  }
}
