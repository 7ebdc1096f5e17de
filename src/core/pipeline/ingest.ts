import { existsSync, mkdirSync } from 'node:fs';
import { barsCsvChunks, expandInputs, readBarsFile, type Bars } from '../data/index.js';
import { DataError } from '../errors.js';
import { writeFileAtomic } from '../util/fs-atomic.js';
import { pathInside } from '../util/safe-path.js';

export interface IngestResult {
  symbol: string;
  file: string;
  before: number;
  added: number;
  duplicates: number;
  after: number;
}

/**
 * Validate new CSVs and merge each into `<dir>/<SYMBOL>.csv` by timestamp: bars already present
 * with the same values are skipped (so re-ingesting is a no-op), a different bar at an existing
 * timestamp is an error, new bars are inserted in time order. Every file is validated before any
 * is written, and each write is atomic, so a bad input or a crash leaves the data directory as it was.
 * @throws DataError for invalid input or a conflicting bar; NotFoundError when an input is missing.
 */
export function ingest(inputs: string[], dir: string): IngestResult[] {
  const incoming = expandInputs(inputs).map((p) => readBarsFile(p).bars);
  const seen = new Map<string, string>();
  const plans = incoming.map((b) => {
    const symbol = b.symbol ?? 'BARS';
    const other = seen.get(symbol);
    if (other !== undefined) {
      throw new DataError(`${b.source} and ${other} both hold ${symbol}; one would overwrite the other`, { hint: 'ingest one file per symbol per run' });
    }
    seen.set(symbol, b.source);
    const file = pathInside(dir, `${symbol}.csv`);
    const old = existsSync(file) ? readBarsFile(file, { symbol }).bars : null;
    return { symbol, file, merged: merge(old, b), before: old?.n ?? 0 };
  });
  mkdirSync(dir, { recursive: true });
  return plans.map((p) => {
    if (p.merged.added > 0) writeFileAtomic(p.file, barsCsvChunks(p.merged.bars));
    return { symbol: p.symbol, file: p.file, before: p.before, added: p.merged.added, duplicates: p.merged.duplicates, after: p.merged.bars.n };
  });
}

function merge(old: Bars | null, add: Bars): { bars: Bars; added: number; duplicates: number } {
  if (old === null) return { bars: add, added: add.n, duplicates: 0 };
  const at = new Map<number, number>();
  for (let i = 0; i < old.n; i++) at.set(old.time[i] as number, i);
  const take: number[] = [];
  let duplicates = 0;
  const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
  for (let i = 0; i < add.n; i++) {
    const j = at.get(add.time[i] as number);
    if (j === undefined) {
      take.push(i);
      continue;
    }
    const same = fields.every((f) => Math.abs((old[f][j] as number) - (add[f][i] as number)) <= 1e-9 * Math.max(1, Math.abs(old[f][j] as number)));
    if (!same) {
      throw new DataError(`${add.source}: the bar at ${new Date(add.time[i] as number).toISOString()} differs from the one already stored for ${old.symbol}`, {
        hint: 'a feed revised history; fix the data directory by hand or ingest a corrected file',
      });
    }
    duplicates++;
  }
  const n = old.n + take.length;
  const order = Array.from({ length: n }, (_, k) => k);
  const time = (k: number): number => (k < old.n ? (old.time[k] as number) : (add.time[take[k - old.n] as number] as number));
  order.sort((a, b) => time(a) - time(b));
  const col = (f: 'time' | (typeof fields)[number]): Float64Array => Float64Array.from(order, (k) => (k < old.n ? (old[f][k] as number) : (add[f][take[k - old.n] as number] as number)));
  return {
    bars: { n, time: col('time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume'), symbol: old.symbol, source: old.source },
    added: take.length,
    duplicates,
  };
}
