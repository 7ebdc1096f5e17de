import { createHash } from 'node:crypto';
import { AppError, DataError } from '../errors.js';
import { BarsBuilder } from './bars-builder.js';
import { FIELD_NAMES } from './header.js';
import { TimestampParser, timestampProblem } from './parse-timestamp.js';
import type { ReadOptions } from './read-csv.js';
import { normaliseSymbol, symbolFromFileName } from './symbol.js';
import type { ReadResult } from './types.js';
import { zoneConverter } from './tz.js';

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
/** Longer strings cannot be timestamps; refusing them early bounds the work on hostile bodies. */
const MAX_TIMESTAMP_CHARS = 64;

/** A short, safe description of a JSON value for messages (never the whole of a big value). */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case 'number':
    case 'boolean': return String(v);
    case 'undefined': return 'nothing (missing)';
    case 'object': return 'an object';
    default: return `a ${typeof v}`;
  }
}

/**
 * Bars from a JSON body: an array of `{timestamp, open, high, low, close, volume}` objects
 * (timestamp an ISO string or an epoch number, seconds or ms by magnitude; the rest JSON numbers —
 * numeric strings are refused). Same rules and report as the CSV reader; errors name the record
 * index and field. Meant for hostile input (the scoring server): bad input only ever throws
 * DataError, and the report's sha256 is over the parsed columns, as there is no file.
 * @throws DataError for anything wrong with the records.
 * @throws UsageError for an unknown `tz` zone (configuration, not input).
 */
export function barsFromRecords(records: unknown, opts: ReadOptions & { source: string }): ReadResult {
  try {
    return build(records, opts);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new DataError(`${opts.source}: cannot read the bars (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
}

function build(records: unknown, opts: ReadOptions & { source: string }): ReadResult {
  const source = opts.source;
  if (!Array.isArray(records)) {
    throw new DataError(`${source}: expected an array of bars, got ${describe(records)}`, {
      hint: 'send [{"timestamp": "2023-04-07T09:30:00-04:00", "open": …, "high": …, "low": …, "close": …, "volume": …}, …]',
    });
  }
  const where = (i: number, field: string): string => `${source}: record ${i} (field ${field})`;
  const builder = new BarsBuilder(records.length, (i, role) => where(i, FIELD_NAMES[role] ?? '?'));
  const ts = new TimestampParser(opts.tz === undefined ? null : zoneConverter(opts.tz));
  const vals = new Float64Array(5);
  for (let i = 0; i < records.length; i++) {
    const rec: unknown = records[i];
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      throw new DataError(`${source}: record ${i}: expected an object, got ${describe(rec)}`, { hint: 'each bar is an object with timestamp, open, high, low, close, volume' });
    }
    const obj = rec as Record<string, unknown>;
    const rawT = Object.hasOwn(obj, 'timestamp') ? obj['timestamp'] : undefined;
    const t = parseTime(rawT, ts, where(i, 'timestamp'));
    for (let k = 0; k < 5; k++) {
      const name = PRICE_FIELDS[k] as string;
      const x = Object.hasOwn(obj, name) ? obj[name] : undefined;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new DataError(`${where(i, name)}: expected a finite number, got ${describe(x)}`, { hint: 'prices and volume are JSON numbers' });
      }
      vals[k] = x;
    }
    builder.push(t, vals[0] as number, vals[1] as number, vals[2] as number, vals[3] as number, vals[4] as number, i);
  }
  let symbol: string | null = opts.symbol === undefined ? null : normaliseSymbol(opts.symbol, `${source}: symbol`);
  if (symbol === null) symbol = symbolFromFileName(source);
  const finish: Parameters<BarsBuilder['finish']>[0] = { source, symbol, sha256: '' };
  if (opts.minRows !== undefined) finish.minRows = opts.minRows;
  if (opts.calendar !== undefined) finish.calendar = opts.calendar;
  const result = builder.finish(finish);
  const hash = createHash('sha256');
  const b = result.bars;
  for (const col of [b.time, b.open, b.high, b.low, b.close, b.volume]) hash.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  result.report.sha256 = hash.digest('hex');
  return result;
}

function parseTime(raw: unknown, ts: TimestampParser, where: string): number {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 1e8 || raw >= 1e14) {
      throw new DataError(`${where}: epoch timestamp ${raw} is out of range`, { hint: 'use epoch seconds or milliseconds after 1973, or an ISO-8601 string' });
    }
    return raw < 1e11 ? Math.round(raw * 1000) : Math.round(raw);
  }
  if (typeof raw !== 'string' || raw.length > MAX_TIMESTAMP_CHARS) {
    throw new DataError(`${where}: expected an ISO-8601 string or epoch number, got ${describe(raw)}`, { hint: 'e.g. "2023-04-07T09:30:00-04:00"' });
  }
  const bytes = Buffer.from(raw, 'utf8');
  const t = ts.parse(bytes, 0, bytes.length);
  if (Number.isNaN(t)) {
    const p = timestampProblem(ts.error);
    throw new DataError(`${where}: ${p.what}: ${describe(raw)}`, { hint: p.hint });
  }
  return t;
}
