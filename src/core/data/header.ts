import { DataError, at } from '../errors.js';

/** Role of a CSV column in the scanner: which bar field it fills, or IGNORE. */
export const COL_IGNORE = -1;
export const COL_TIME = 0;
export const COL_OPEN = 1;
export const COL_HIGH = 2;
export const COL_LOW = 3;
export const COL_CLOSE = 4;
export const COL_VOLUME = 5;
export const COL_SYMBOL = 6;

export const FIELD_NAMES = ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'symbol'] as const;

const ROLE_OF: Readonly<Record<string, number>> = {
  timestamp: COL_TIME,
  datetime: COL_TIME,
  date: COL_TIME,
  time: COL_TIME,
  open: COL_OPEN,
  high: COL_HIGH,
  low: COL_LOW,
  close: COL_CLOSE,
  volume: COL_VOLUME,
  symbol: COL_SYMBOL,
};

export interface Columns {
  /** Role per column position. */
  roles: Int8Array;
  /** Header names as written (trimmed, unquoted), for messages. */
  names: string[];
  hasSymbol: boolean;
}

/**
 * Maps header names to roles: case-insensitive, `timestamp` aliases `datetime`/`date`/`time`, extra
 * columns ignored.
 * @throws DataError for a missing required column, the same column twice, or two time columns.
 */
export function resolveColumns(names: string[], source: string): Columns {
  const roles = new Int8Array(names.length).fill(COL_IGNORE);
  const seen = new Map<number, string>();
  for (let j = 0; j < names.length; j++) {
    const name = names[j] as string;
    const role = ROLE_OF[name.toLowerCase()];
    if (role === undefined) continue;
    const prev = seen.get(role);
    if (prev !== undefined) {
      const same = prev.toLowerCase() === name.toLowerCase();
      throw new DataError(
        `${at(source, 1, name)}: ${same ? `column "${name}" appears twice` : `ambiguous time column: both "${prev}" and "${name}"`}`,
        { hint: same ? 'remove or rename the duplicate column' : 'keep one of timestamp/datetime/date/time, or rename the other' },
      );
    }
    seen.set(role, name);
    roles[j] = role;
  }
  const missing: string[] = [];
  for (let r = COL_TIME; r <= COL_VOLUME; r++) if (!seen.has(r)) missing.push(FIELD_NAMES[r] as string);
  if (missing.length > 0) {
    throw new DataError(`${at(source, 1)}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: `the header must name timestamp (or datetime/date/time), open, high, low, close, volume; found: ${names.join(', ') || '(nothing)'}`,
    });
  }
  return { roles, names, hasSymbol: seen.has(COL_SYMBOL) };
}

/**
 * Splits one CSV line into fields, honouring double quotes (`""` inside quotes is one quote; a quote
 * anywhere opens or closes quoting). Copies slices between special characters rather than one
 * character at a time, so a field of millions of characters costs linear time.
 */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let cur = '';
  let i = 0;
  let quoted = false;
  let q = line.indexOf('"');
  let c = line.indexOf(',');
  for (;;) {
    if (q >= 0 && q < i) q = line.indexOf('"', i);
    if (c >= 0 && c < i) c = line.indexOf(',', i);
    if (quoted) {
      if (q < 0) {
        cur += line.slice(i);
        break;
      }
      cur += line.slice(i, q);
      if (line.charCodeAt(q + 1) === 34) {
        cur += '"';
        i = q + 2;
      } else {
        quoted = false;
        i = q + 1;
      }
    } else if (c >= 0 && (q < 0 || c < q)) {
      out.push(cur + line.slice(i, c));
      cur = '';
      i = c + 1;
    } else if (q >= 0) {
      cur += line.slice(i, q);
      quoted = true;
      i = q + 1;
    } else {
      cur += line.slice(i, n);
      break;
    }
  }
  out.push(cur);
  return out;
}
