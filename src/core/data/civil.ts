/**
 * Proleptic Gregorian calendar arithmetic on plain numbers (days since 1970-01-01, and date keys
 * `YYYYMMDD`), so hot loops never allocate a Date. Algorithms from Howard Hinnant's
 * "chrono-compatible low-level date algorithms".
 */

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a civil date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Date key `YYYYMMDD` of a day number. */
export function keyFromDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10_000 + m * 100 + d;
}

/** Day number of a date key `YYYYMMDD` (the key is not range-checked). */
export function daysFromKey(key: number): number {
  const y = Math.floor(key / 10_000);
  const m = Math.floor(key / 100) % 100;
  return daysFromCivil(y, m, key % 100);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month m (1–12) of year y. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0);
}

/** `2023-04-07` from a date key, for messages. */
export function formatKey(key: number): string {
  const y = Math.floor(key / 10_000);
  const m = Math.floor(key / 100) % 100;
  const d = key % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const p2 = (x: number): string => (x < 10 ? `0${x}` : String(x));
let isoDay = Number.NaN;
let isoPrefix = '';

/**
 * `YYYY-MM-DDTHH:MM:SSZ` (milliseconds only when present) of epoch milliseconds, without a Date
 * per call: the date part is cached per day, so a table of bars formats its timestamps cheaply.
 */
export function isoUtc(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    const key = keyFromDays(day);
    const y = Math.floor(key / 10_000);
    if (!Number.isFinite(ms) || y < 0 || y > 9999) return new Date(ms).toISOString().replace('.000Z', 'Z');
    isoDay = day;
    isoPrefix = `${String(y).padStart(4, '0')}-${p2(Math.floor(key / 100) % 100)}-${p2(key % 100)}T`;
  }
  const r = ms - day * DAY_MS;
  const sec = Math.floor(r / 1000);
  const milli = r - sec * 1000;
  const hms = `${p2(Math.floor(sec / 3600))}:${p2(Math.floor(sec / 60) % 60)}:${p2(sec % 60)}`;
  return milli === 0 ? `${isoPrefix}${hms}Z` : `${isoPrefix}${hms}.${String(milli).padStart(3, '0')}Z`;
}
