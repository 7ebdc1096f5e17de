import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataError, NotFoundError, UsageError, at } from '../errors.js';
import { BarsBuilder } from './bars-builder.js';
import type { SessionCalendar } from './calendar.js';
import {
  COL_CLOSE, COL_HIGH, COL_LOW, COL_OPEN, COL_SYMBOL, COL_TIME, COL_VOLUME, resolveColumns, splitCsvLine,
} from './header.js';
import { numberScan, parseNumber, parseNumberAt } from './parse-number.js';
import { TimestampParser, timestampProblem } from './parse-timestamp.js';
import { normaliseSymbol, symbolFromFileName } from './symbol.js';
import type { ReadResult } from './types.js';
import { zoneConverter } from './tz.js';

export interface ReadOptions {
  /** IANA zone of naive timestamps (and of date-only ones); without it naive timestamps are errors. */
  tz?: string;
  /** Overrides the symbol from the file's `symbol` column or name. */
  symbol?: string;
  /** Fewer bars than this (after dropping duplicates) is an error: the warm-up window needs them. */
  minRows?: number;
  /** Session calendar for the gap report (default US equities, New York). */
  calendar?: SessionCalendar;
}

/**
 * Reads and validates an OHLCV CSV file (docs/input-csv.md).
 * @throws NotFoundError when the file does not exist.
 * @throws UsageError for an unknown `tz` zone or a path that is a directory.
 * @throws DataError for any problem in the content, naming file, line, column and value.
 */
export function readBarsFile(path: string, opts: ReadOptions = {}): ReadResult {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NotFoundError(`no such file: ${path}`, { hint: 'check the path; CSV files need a header row' });
    }
    if (code === 'EISDIR') throw new UsageError(`${path} is a directory, not a CSV file`, { hint: 'pass one CSV file' });
    throw new DataError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseBarsCsv(buf, { ...opts, source: path });
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses OHLCV CSV bytes with a byte scanner of its own (no row objects, no strings per field):
 * header required, UTF-8 BOM and CRLF accepted, blank lines skipped, double-quoted fields
 * handled, extra columns ignored. See ReadOptions and TimestampParser for the accepted forms.
 * @throws UsageError for an unknown `tz` zone.
 * @throws DataError for any problem in the content, naming source, line (header = 1), column and value.
 */
export function parseBarsCsv(input: Buffer | string, opts: ReadOptions & { source: string }): ReadResult {
  const source = opts.source;
  const b: Uint8Array = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const sha256 = createHash('sha256').update(b).digest('hex');
  const tsParser = new TimestampParser(opts.tz === undefined ? null : zoneConverter(opts.tz));
  const len = b.length;

  let pos = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let line = 1;
  // Leading blank lines are tolerated; the first non-blank line is the header.
  for (;;) {
    let q = pos;
    while (q < len && (b[q] === 32 || b[q] === 9 || b[q] === CR)) q++;
    if (q >= len) throw new DataError(`${source}: empty file`, { hint: 'expected a header (timestamp,open,high,low,close,volume) and rows of bars' });
    if (b[q] !== LF) break;
    pos = q + 1;
    line++;
  }
  let headerEnd = pos;
  while (headerEnd < len && b[headerEnd] !== LF) headerEnd++;
  const headerText = Buffer.from(b.buffer, b.byteOffset + pos, headerEnd - pos).toString('utf8').replace(/\r$/, '');
  const names = splitCsvLine(headerText).map((s) => s.trim());
  const cols = resolveColumns(names, source);
  const roles = cols.roles;
  const ncols = roles.length;
  const colOf = new Int32Array(7).fill(-1);
  for (let j = 0; j < ncols; j++) if ((roles[j] as number) >= 0) colOf[roles[j] as number] = j;
  const headerLine = line;
  pos = headerEnd + 1;
  line++;

  const columnName = (role: number): string => names[colOf[role] as number] ?? String(role);
  const builder = new BarsBuilder(Math.ceil(len / 48), (loc, role) => at(source, loc, columnName(role)));

  /** Text of field `j` of the line starting at `start`, for error messages only. */
  const fieldText = (start: number, j: number): string => {
    let end = start;
    while (end < len && b[end] !== LF) end++;
    const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8').replace(/\r$/, '');
    return splitCsvLine(text)[j] ?? '';
  };

  let firstSym: Uint8Array | null = null;
  let firstSymLine = 0;
  let fb: Uint8Array = b; // the buffer a field is parsed from (a copy when it had "" escapes)

  while (pos < len) {
    let q = pos;
    while (q < len && (b[q] === 32 || b[q] === 9 || b[q] === CR)) q++;
    if (q >= len) break;
    if (b[q] === LF) {
      pos = q + 1;
      line++;
      continue;
    }
    const lineStart = pos;
    const rowLine = line;
    let extraLines = 0;
    let field = 0;
    let t = Number.NaN;
    let o = Number.NaN;
    let h = Number.NaN;
    let l = Number.NaN;
    let c = Number.NaN;
    let v = Number.NaN;
    let symS = 0;
    let symE = 0;
    let symB: Uint8Array = b;
    for (;;) {
      let fs = pos;
      let fe: number;
      fb = b;
      if (b[pos] === QUOTE) {
        let k = pos + 1;
        let escaped = false;
        for (;;) {
          if (k >= len) {
            throw new DataError(`${at(source, rowLine)}: unterminated quoted field`, { hint: 'close the double quote or remove it' });
          }
          const ch = b[k];
          if (ch === QUOTE) {
            if (b[k + 1] === QUOTE) {
              escaped = true;
              k += 2;
              continue;
            }
            break;
          }
          if (ch === LF) extraLines++;
          k++;
        }
        fs = pos + 1;
        fe = k;
        pos = k + 1;
        if (b[pos] === CR && (pos + 1 >= len || b[pos + 1] === LF)) pos++;
        if (pos < len && b[pos] !== COMMA && b[pos] !== LF) {
          throw new DataError(`${at(source, rowLine + extraLines, names[field])}: unexpected text after a closing quote`, {
            hint: 'a quoted field must end at a comma or the end of the line; write "" for a quote inside quotes',
          });
        }
        if (escaped) {
          fb = unescapeQuotes(b, fs, fe);
          fs = 0;
          fe = fb.length;
        }
      } else if (field < ncols && (roles[field] as number) >= COL_OPEN && (roles[field] as number) <= COL_VOLUME) {
        // Numeric field: parse while finding its end (one pass over the bytes, not two).
        let x = parseNumberAt(b, pos, len);
        pos = numberScan.end;
        let ch = b[pos];
        if (ch === CR && (pos + 1 >= len || b[pos + 1] === LF)) ch = b[++pos];
        if (pos < len && ch !== COMMA && ch !== LF) {
          x = Number.NaN; // junk after the number: reported with the field's text below
          while (pos < len && b[pos] !== COMMA && b[pos] !== LF) pos++;
        }
        switch (roles[field]) {
          case COL_OPEN: o = x; break;
          case COL_HIGH: h = x; break;
          case COL_LOW: l = x; break;
          case COL_CLOSE: c = x; break;
          default: v = x; break;
        }
        field++;
        if (pos < len && b[pos] === COMMA) {
          pos++;
          continue;
        }
        if (pos < len) pos++;
        break;
      } else {
        while (pos < len) {
          const ch = b[pos];
          if (ch === COMMA || ch === LF) break;
          pos++;
        }
        fe = pos;
        if (fe > fs && b[fe - 1] === CR && (pos >= len || b[pos] === LF)) fe--;
      }
      if (field < ncols) {
        switch (roles[field]) {
          case COL_TIME: t = tsParser.parse(fb, fs, fe); break;
          case COL_OPEN: o = parseNumber(fb, fs, fe); break;
          case COL_HIGH: h = parseNumber(fb, fs, fe); break;
          case COL_LOW: l = parseNumber(fb, fs, fe); break;
          case COL_CLOSE: c = parseNumber(fb, fs, fe); break;
          case COL_VOLUME: v = parseNumber(fb, fs, fe); break;
          case COL_SYMBOL: symB = fb; symS = fs; symE = fe; break;
          default: break;
        }
      }
      field++;
      if (pos < len && b[pos] === COMMA) {
        pos++;
        continue;
      }
      if (pos < len) pos++;
      break;
    }
    line += 1 + extraLines;

    if (field !== ncols) {
      throw new DataError(`${at(source, rowLine)}: ${field} fields, but the header (line ${headerLine}) has ${ncols}`, {
        hint: 'every row needs one value per header column; check for missing or extra commas',
      });
    }
    if (Number.isNaN(t)) {
      const p = timestampProblem(tsParser.error);
      throw new DataError(`${at(source, rowLine, columnName(COL_TIME))}: ${p.what}: ${shown(fieldText(lineStart, colOf[COL_TIME] as number))}`, { hint: p.hint });
    }
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity (a number too large for a double,
    // e.g. ten million digits), so one sum tests all five fields.
    if (o - o + (h - h) + (l - l) + (c - c) + (v - v) !== 0) {
      for (let role = COL_OPEN; role <= COL_VOLUME; role++) {
        const text = fieldText(lineStart, colOf[role] as number);
        const bytes = Buffer.from(text, 'utf8');
        const x = parseNumber(bytes, 0, bytes.length);
        if (Number.isNaN(x)) {
          const nonFinite = /^\s*[+-]?(nan|inf|infinity)\s*$/i.test(text);
          throw new DataError(`${at(source, rowLine, columnName(role))}: ${nonFinite ? 'non-finite' : 'unparseable'} number ${shown(text)}`, {
            hint: nonFinite ? 'prices and volume must be finite; remove or repair the bar' : 'use plain decimals such as 123.45 (no thousands separators or units)',
          });
        }
        if (!Number.isFinite(x)) {
          throw new DataError(`${at(source, rowLine, columnName(role))}: number ${shown(text)} (${text.length} characters) is too large to be a price or volume`, {
            hint: 'prices and volume must be finite; remove or repair the bar',
          });
        }
      }
    }
    if (cols.hasSymbol) {
      if (firstSym === null) {
        firstSym = symB.slice(symS, symE);
        firstSymLine = rowLine;
      } else if (!sameBytes(firstSym, symB, symS, symE)) {
        const a = Buffer.from(firstSym).toString('utf8');
        const z = Buffer.from(symB.subarray(symS, symE)).toString('utf8');
        throw new DataError(`${at(source, rowLine, columnName(COL_SYMBOL))}: symbol "${z}" differs from "${a}" on line ${firstSymLine}`, {
          hint: 'one file holds one symbol: split the file per symbol (one CSV each)',
        });
      }
    }
    builder.push(t, o, h, l, c, v, rowLine);
  }

  if (builder.n === 0 && builder.duplicatesDropped === 0) {
    throw new DataError(`${source}: header only, no data rows`, { hint: 'the file has a header but no bars' });
  }
  let symbol: string | null = null;
  if (opts.symbol !== undefined) symbol = normaliseSymbol(opts.symbol, `${source}: symbol`);
  if (symbol === null && firstSym !== null) symbol = normaliseSymbol(Buffer.from(firstSym).toString('utf8'), at(source, firstSymLine, columnName(COL_SYMBOL)));
  if (symbol === null) symbol = symbolFromFileName(source);
  const finish: Parameters<BarsBuilder['finish']>[0] = { source, symbol, sha256 };
  if (opts.minRows !== undefined) finish.minRows = opts.minRows;
  if (opts.calendar !== undefined) finish.calendar = opts.calendar;
  return builder.finish(finish);
}

function sameBytes(a: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== a.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[s + i]) return false;
  return true;
}

/** The bytes of a quoted field with each `""` turned into `"`. */
function unescapeQuotes(b: Uint8Array, s: number, e: number): Uint8Array {
  const out = new Uint8Array(e - s);
  let n = 0;
  for (let i = s; i < e; i++) {
    out[n++] = b[i] as number;
    if (b[i] === QUOTE && b[i + 1] === QUOTE) i++;
  }
  return out.subarray(0, n);
}

/** A field's text as one short, escaped piece of an error line. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
