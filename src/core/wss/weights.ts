import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkSymbol, US_EQUITY, zoneConverter } from '../data/index.js';
import { DataError, NotFoundError, at } from '../errors.js';

/** Index weights: symbol → weight, normalised to sum to 1. */
export interface Weights {
  weights: Map<string, number>;
  /** The column the weights came from. */
  column: 'weight' | 'weight_pct';
  /** Sum of the raw values before normalising (≈ 100 for a full holdings file in percent). */
  rawTotal: number;
  source: string;
}

const WEIGHT_COLUMNS = ['weight', 'weight_pct'] as const;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads index weights from a CSV with a `symbol` column and a `weight` (a fraction or any positive
 * scale) or `weight_pct` column, matched case-insensitively; other columns are ignored, so an
 * index-fund holdings download works unchanged. Symbols are trimmed and upper-cased. Rows with a
 * blank weight are errors, not skipped: a silent gap would shift every other weight.
 * @throws NotFoundError when the file does not exist.
 * @throws DataError for malformed CSV, a missing or ambiguous column, a duplicate symbol, a
 *   negative or non-numeric weight (naming the line), or weights that sum to zero.
 */
export function readWeights(path: string): Weights {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new NotFoundError(`no such weights file: ${path}`, { hint: 'check the --weights path' });
    throw new DataError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseWeightsCsv(text, path);
}

/**
 * Parses weights CSV text (see readWeights); `source` names it in errors.
 * @throws DataError as readWeights.
 */
export function parseWeightsCsv(text: string, source: string): Weights {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof rows;
  } catch (err) {
    throw new DataError(`${source}: malformed CSV: ${(err as Error).message}`, { hint: 'check quotes and the number of fields per row', cause: err });
  }
  const header = rows[0];
  if (header === undefined) throw new DataError(`${source}: empty weights file`, { hint: 'expected a header with symbol and weight or weight_pct' });
  const names = header.record.map((s) => s.toLowerCase());
  const find = (name: string): number => {
    const idx = names.flatMap((x, j) => (x === name ? [j] : []));
    if (idx.length > 1) throw new DataError(`${at(source, header.info.lines)}: column "${name}" appears ${idx.length} times`, { hint: 'keep one' });
    return idx[0] ?? -1;
  };
  const symCol = find('symbol');
  if (symCol < 0) throw new DataError(`${at(source, header.info.lines)}: no "symbol" column`, { hint: 'weights need a symbol column and a weight or weight_pct column' });
  const present = WEIGHT_COLUMNS.filter((c) => find(c) >= 0);
  if (present.length === 0) {
    throw new DataError(`${at(source, header.info.lines)}: no "weight" or "weight_pct" column`, {
      hint: 'a members list without weights cannot weight the WSS; use an index-fund holdings file',
    });
  }
  if (present.length > 1) throw new DataError(`${at(source, header.info.lines)}: both "weight" and "weight_pct" columns`, { hint: 'keep one of them' });
  const column = present[0] as 'weight' | 'weight_pct';
  const wCol = find(column);

  const raw = new Map<string, number>();
  const lineOf = new Map<string, number>();
  let total = 0;
  for (let r = 1; r < rows.length; r++) {
    const { record, info } = rows[r] as (typeof rows)[number];
    const line = info.lines;
    const cell = record[symCol] ?? '';
    if (cell === '') throw new DataError(`${at(source, line, 'symbol')}: empty symbol`, { hint: 'remove the row or fill in the ticker' });
    const sym = checkSymbol(cell, at(source, line, 'symbol'));
    const text = record[wCol] ?? '';
    const w = NUMBER_RE.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(w)) throw new DataError(`${at(source, line, column)}: non-numeric weight "${text}" for ${sym}`, { hint: 'use plain decimals such as 8.221' });
    if (w < 0) throw new DataError(`${at(source, line, column)}: negative weight ${text} for ${sym}`, { hint: 'index weights are non-negative' });
    const prev = lineOf.get(sym);
    if (prev !== undefined) throw new DataError(`${at(source, line, 'symbol')}: ${sym} is listed twice (also on line ${prev})`, { hint: 'keep one row per symbol' });
    lineOf.set(sym, line);
    raw.set(sym, w);
    total += w;
  }
  if (!(total > 0)) throw new DataError(`${source}: weights sum to ${total}`, { hint: 'at least one symbol needs a positive weight' });
  const weights = new Map<string, number>();
  for (const [sym, w] of raw) weights.set(sym, w / total);
  return { weights, column, rawTotal: total, source };
}

/** One dated weights snapshot, in force from 00:00 New York time of its date. */
export interface WeightSnapshot extends Weights {
  /** `YYYY-MM-DD` from the file name, or null for a single undated file. */
  date: string | null;
  /** First instant (epoch ms) the snapshot applies to; −Infinity for a single file. */
  from: number;
}

/**
 * Index weights over time. A folder of dated snapshots is point in time: each hour uses the latest
 * snapshot dated on or before it, hours before the first snapshot have no weights. A single file
 * applies to every hour (`pointInTime` false), the way a one-off holdings download is used.
 */
export interface WeightSchedule {
  snapshots: WeightSnapshot[];
  pointInTime: boolean;
  /** The --weights argument. */
  source: string;
  /** Files in a snapshot folder whose name carries no `_YYYY-MM-DD.csv` date (not read). */
  ignored: string[];
}

/** `ndx_weights_2025-09-24.csv`, `qqq_2024-12-26.csv`, `2025-04-28.csv`: the date before `.csv`. */
const SNAPSHOT_RE = /(?:^|[_-])(\d{4})-(\d{2})-(\d{2})\.csv$/i;

/** The date a snapshot file name carries, or null. */
export function snapshotDate(fileName: string): string | null {
  const m = SNAPSHOT_RE.exec(fileName);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** 00:00 America/New_York of a `YYYY-MM-DD` date, as epoch ms. */
function newYorkMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zoneConverter(US_EQUITY.zone).wallToUtc(Date.UTC(y, m - 1, d));
}

/**
 * Reads `--weights`: a weights CSV (one snapshot for every hour) or a folder of dated snapshots
 * named `<anything>_YYYY-MM-DD.csv` (e.g. `ndx_weights_2025-09-24.csv`), sorted by date.
 * @throws NotFoundError when the path does not exist.
 * @throws DataError for a folder without dated snapshots, two snapshots of one date, or any
 *   snapshot that readWeights refuses.
 */
export function readWeightSchedule(path: string): WeightSchedule {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new NotFoundError(`no such weights file or folder: ${path}`, { hint: 'check the --weights path' });
    throw new DataError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isDirectory()) {
    const w = readWeights(path);
    return { snapshots: [{ ...w, date: snapshotDate(basename(path)), from: Number.NEGATIVE_INFINITY }], pointInTime: false, source: path, ignored: [] };
  }
  const names = readdirSync(path).sort();
  const ignored: string[] = [];
  const byDate = new Map<string, string>();
  const snapshots: WeightSnapshot[] = [];
  for (const name of names) {
    const date = snapshotDate(name);
    if (date === null) {
      ignored.push(name);
      continue;
    }
    const prev = byDate.get(date);
    if (prev !== undefined) throw new DataError(`${path}: two weights snapshots for ${date}: ${prev} and ${name}`, { hint: 'keep one file per date' });
    byDate.set(date, name);
    snapshots.push({ ...readWeights(join(path, name)), date, from: newYorkMidnight(date) });
  }
  if (snapshots.length === 0) {
    throw new DataError(`${path}: no dated weights snapshots (files named like ndx_weights_YYYY-MM-DD.csv)`, {
      hint: 'name each holdings snapshot after its date, or pass one weights CSV',
    });
  }
  snapshots.sort((a, b) => a.from - b.from);
  return { snapshots, pointInTime: true, source: path, ignored };
}

/** A schedule of one snapshot applied to every hour (e.g. weights sent in an HTTP body). */
export function constantSchedule(weights: ReadonlyMap<string, number>, source: string): WeightSchedule {
  let total = 0;
  for (const w of weights.values()) total += w;
  return {
    snapshots: [{ weights: new Map(weights), column: 'weight', rawTotal: total, source, date: null, from: Number.NEGATIVE_INFINITY }],
    pointInTime: false,
    source,
    ignored: [],
  };
}
