import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError, NotFoundError, at } from '../errors.js';
import { ACTIONS, N_CLASSES } from '../labels/index.js';
import type { PredictionTable } from '../predict/index.js';

const PROBA = ['p_strong_sell', 'p_sell', 'p_hold', 'p_buy', 'p_strong_buy'] as const;

/**
 * Read a prediction table written by `mm predict` (docs/prediction-table.md columns; extra columns ignored) back
 * into columns, so a saved table can be backtested without the model.
 * @throws NotFoundError for a missing file; DataError naming line and column for anything malformed.
 */
export function readPredictionsCsv(path: string): PredictionTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new NotFoundError(`prediction table not found: ${path}`);
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new DataError(`${path} is not a readable CSV (${(e as Error).message})`);
  }
  const first = records[0];
  if (first === undefined) throw new DataError(`${path} has no prediction rows`);
  const missing = ['timestamp', 'action', 'confidence', ...PROBA].filter((c) => !(c in first));
  if (missing.length > 0) {
    throw new DataError(`${path} lacks the prediction columns ${missing.join(', ')}`, { hint: 'write the table with `mm predict … --out file.csv`' });
  }
  const n = records.length;
  const time = new Float64Array(n);
  const proba = new Float64Array(n * N_CLASSES);
  const action = new Uint8Array(n);
  const confidence = new Float64Array(n);
  let symbol: string | null = null;
  records.forEach((r, i) => {
    const line = i + 2;
    const t = Date.parse(r['timestamp'] ?? '');
    if (!Number.isFinite(t)) throw new DataError(`${at(path, line, 'timestamp')}: cannot read "${r['timestamp']}" as a time`);
    if (i > 0 && t <= (time[i - 1] as number)) throw new DataError(`${at(path, line, 'timestamp')}: rows must be in increasing time order`);
    time[i] = t;
    const a = ACTIONS.indexOf(r['action'] as (typeof ACTIONS)[number]);
    if (a < 0) throw new DataError(`${at(path, line, 'action')}: "${r['action']}" is not one of ${ACTIONS.join(', ')}`);
    action[i] = a;
    PROBA.forEach((c, k) => {
      const v = Number(r[c]);
      if (!(v >= 0 && v <= 1)) throw new DataError(`${at(path, line, c)}: probability "${r[c]}" is not between 0 and 1`);
      proba[i * N_CLASSES + k] = v;
    });
    const c = Number(r['confidence']);
    if (!(c >= 0 && c <= 1)) throw new DataError(`${at(path, line, 'confidence')}: "${r['confidence']}" is not between 0 and 1`);
    confidence[i] = c;
    if (symbol === null && r['symbol']) symbol = r['symbol'];
  });
  return {
    symbol,
    n,
    time,
    timeNext: new Float64Array(n).fill(NaN),
    proba,
    action,
    confidence,
    decision: action,
    modelVersion: `file:${path}`,
    minConfidence: 0,
    warmupSkipped: 0,
    unsettledRows: 0,
  };
}
