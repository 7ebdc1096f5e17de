import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { checkSymbol } from '../data/index.js';
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
