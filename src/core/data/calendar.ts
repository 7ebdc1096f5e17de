import { DAY_MS, daysFromKey, keyFromDays, weekday } from './civil.js';
import { zoneConverter } from './tz.js';
import { usHolidayYear, type HolidayYear } from './us-holidays.js';

/** An exchange's regular session: its zone, open/close as minutes after local midnight, holidays. */
export interface SessionCalendar {
  readonly zone: string;
  readonly openMinute: number;
  readonly closeMinute: number;
  /** Close on early-close days (13:00 for US equities). */
  readonly earlyCloseMinute: number;
  /** `us-equity`: NYSE/Nasdaq holiday rules; `none`: every weekday trades. */
  readonly holidays: 'us-equity' | 'none';
}

/** NYSE/Nasdaq regular session, 09:30–16:00 America/New_York, 13:00 early closes. */
export const US_EQUITY: SessionCalendar = Object.freeze({
  zone: 'America/New_York',
  openMinute: 9 * 60 + 30,
  closeMinute: 16 * 60,
  earlyCloseMinute: 13 * 60,
  holidays: 'us-equity',
});

/** Bars of a day or longer: session logic works on dates, not on clock times. */
const DAILY_MS = 20 * 3_600_000;

const years = new Map<number, HolidayYear>();
function holidayYear(y: number): HolidayYear {
  let h = years.get(y);
  if (h === undefined) {
    h = usHolidayYear(y);
    years.set(y, h);
  }
  return h;
}

/**
 * Local trading date of an instant in the calendar's zone, as a number `YYYYMMDD`.
 * @throws UsageError when the calendar's zone is unknown.
 */
export function sessionKey(tMs: number, cal: SessionCalendar = US_EQUITY): number {
  const off = zoneConverter(cal.zone).offsetAt(tMs);
  return keyFromDays(Math.floor((tMs + off) / DAY_MS));
}

/** Whether the exchange trades on that date (a weekday that is not a holiday). */
export function isTradingDay(dateKey: number, cal: SessionCalendar = US_EQUITY): boolean {
  const wd = weekday(daysFromKey(dateKey));
  if (wd === 0 || wd === 6) return false;
  if (cal.holidays === 'none') return true;
  return !holidayYear(Math.floor(dateKey / 10_000)).closed.has(dateKey);
}

/** Whether the session of that date closes early (13:00 on US early-close days). */
export function isEarlyClose(dateKey: number, cal: SessionCalendar = US_EQUITY): boolean {
  if (cal.holidays === 'none') return false;
  return holidayYear(Math.floor(dateKey / 10_000)).earlyClose.has(dateKey);
}

/** Epoch ms of the local wall time `minute` after midnight of `dateKey` in the calendar's zone. */
function localMinute(dateKey: number, minute: number, cal: SessionCalendar): number {
  return zoneConverter(cal.zone).wallToUtc(daysFromKey(dateKey) * DAY_MS + minute * 60_000);
}

/**
 * Session open of a date in epoch ms. Does not check that the date trades (see isTradingDay).
 * @throws UsageError when the calendar's zone is unknown.
 */
export function sessionOpen(dateKey: number, cal: SessionCalendar = US_EQUITY): number {
  return localMinute(dateKey, cal.openMinute, cal);
}

/**
 * Session close of a date in epoch ms (13:00 local on early-close days).
 * @throws UsageError when the calendar's zone is unknown.
 */
export function sessionClose(dateKey: number, cal: SessionCalendar = US_EQUITY): number {
  return localMinute(dateKey, isEarlyClose(dateKey, cal) ? cal.earlyCloseMinute : cal.closeMinute, cal);
}

/** The first trading date strictly after `dateKey`. */
export function nextSessionKey(dateKey: number, cal: SessionCalendar = US_EQUITY): number {
  let d = daysFromKey(dateKey) + 1;
  // Ten days covers any run of weekends and holidays; the bound only guards against a bad calendar.
  for (let k = 0; k < 10; k++, d++) {
    const key = keyFromDays(d);
    if (isTradingDay(key, cal)) return key;
  }
  return keyFromDays(d);
}

/**
 * Date of a daily (or longer) bar. Daily bars are stamped at midnight UTC, midnight local or at the
 * open; half a day later is the same calendar date in the exchange zone for all of those.
 */
export function dailyBarKey(tMs: number, cal: SessionCalendar = US_EQUITY): number {
  return sessionKey(tMs + DAY_MS / 2, cal);
}

/**
 * Start of the bar after bar i (`timestamp_next`, docs/prediction-table.md): `time[i+1]` when it exists; else
 * `time[i] + intervalMs` if that is still before the session close; else the next trading
 * session's open (Friday's last bar → Monday 09:30 New York, holidays skipped). Daily bars
 * (interval ≥ 20 h) step to the next trading date at the same time of day.
 * @throws UsageError when the calendar's zone is unknown.
 */
export function nextBarTime(time: Float64Array, i: number, intervalMs: number, cal: SessionCalendar = US_EQUITY): number {
  const next = time[i + 1];
  if (next !== undefined) return next;
  const t = time[i];
  if (t === undefined) return Number.NaN;
  if (intervalMs >= DAILY_MS) {
    if (intervalMs > 6 * DAY_MS) return t + intervalMs;
    const key = dailyBarKey(t, cal);
    return t + (daysFromKey(nextSessionKey(key, cal)) - daysFromKey(key)) * DAY_MS;
  }
  const key = sessionKey(t, cal);
  if (isTradingDay(key, cal) && t + intervalMs < sessionClose(key, cal)) return t + intervalMs;
  return sessionOpen(nextSessionKey(key, cal), cal);
}
