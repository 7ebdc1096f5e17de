import { DataError } from '../errors.js';
import type { PredictionRow, PredictionTable } from '../predict/index.js';
import { computeWss, signalName, type WssUse } from '../wss/index.js';
import type { ServedModel } from './model-holder.js';
import type { BatchRequest } from './schemas.js';
import { hasMarketContext, marketContext } from '../features/index.js';
import { lastPrediction, requestBars, scoreTable } from './score.js';
import { isoUtc } from '../data/index.js';

/** The WSS of the batch at its last common timestamp (docs/wss.md `wss.csv` fields). */
export interface BatchWss {
  timestamp: string;
  timestamp_next: string;
  wss: number | null;
  signal: 'BUY' | 'SELL' | 'HOLD';
  coverage: number;
  n_symbols: number;
  /** Items sent without a weight: predicted, but not in the score. */
  unweighted: string[];
  /** Weighted symbols that were not sent: their weight counts against coverage. */
  missing: string[];
}

export interface BatchResponse {
  predictions: PredictionRow[];
  wss?: BatchWss;
}

const iso = isoUtc;

/**
 * Score several symbols at once: the last bar's row per item and, when weights are given, the WSS
 * at the latest timestamp every item has a prediction for (the last bars of a batch may not line
 * up, e.g. a halted symbol; scoring a time some symbols lack would silently shrink the index).
 * @throws DataError naming the item for bad bars, a symbol sent twice, weights summing to 0 or
 *   items without a common timestamp.
 */
export function scoreBatch(req: BatchRequest, m: ServedModel, minConfidence: number): BatchResponse {
  const seen = new Set<string>();
  const tables = new Map<string, PredictionTable>();
  const predictions: PredictionRow[] = [];
  const all = req.items.map((item, i) => {
    const bars = requestBars(item.bars, `items[${i}]`, item.symbol, m);
    const sym = bars.symbol as string;
    if (seen.has(sym)) throw new DataError(`items[${i}]: symbol ${sym} appears twice in the batch`, { hint: 'send one item per symbol' });
    seen.add(sym);
    return bars;
  });
  // A market-context model sees the basket through the batch's items (members of its basket).
  const context = hasMarketContext(m.run.features) ? marketContext(all.map((bars) => ({ symbol: bars.symbol, bars })), m.run.features) : null;
  all.forEach((bars, i) => {
    const table = scoreTable(bars, m, minConfidence, context?.[i]);
    predictions.push(lastPrediction(bars, table, m.need).prediction);
    tables.set(bars.symbol as string, table);
  });
  if (req.weights === undefined) return { predictions };
  const weights = new Map<string, number>();
  const pairs = Array.isArray(req.weights) ? req.weights.map((w) => [w.symbol, w.weight] as const) : Object.entries(req.weights);
  for (const [s, w] of pairs) weights.set(s.toUpperCase(), (weights.get(s.toUpperCase()) ?? 0) + w);
  let total = 0;
  for (const w of weights.values()) total += w;
  if (!(total > 0)) throw new DataError('weights: they sum to 0', { hint: 'give at least one symbol a positive weight' });
  return { predictions, wss: wssAtLastCommon(tables, weights, req.use ?? 'action') };
}

function wssAtLastCommon(tables: Map<string, PredictionTable>, weights: Map<string, number>, use: WssUse): BatchWss {
  const r = computeWss(tables, weights, { use });
  // The latest time every item predicts: count per time, keep those seen in all tables.
  const seen = new Map<number, number>();
  for (const t of tables.values()) for (let i = 0; i < t.n; i++) seen.set(t.time[i] as number, (seen.get(t.time[i] as number) ?? 0) + 1);
  let at = -Infinity;
  for (const [x, count] of seen) if (count === tables.size && x > at) at = x;
  let j = -1;
  for (let k = r.n - 1; k >= 0; k--) {
    if (r.times[k] === at) {
      j = k;
      break;
    }
  }
  if (j < 0) {
    throw new DataError('items: no timestamp has a prediction for every weighted item, so there is no common time to score', {
      hint: 'send bars that end at the same time, or drop the weights',
    });
  }
  const wss = r.wss[j] as number;
  return {
    timestamp: iso(at),
    timestamp_next: iso(r.timeNext[j] as number),
    wss: Number.isFinite(wss) ? wss : null,
    signal: signalName(r.signal[j] as number),
    coverage: r.coverage[j] as number,
    n_symbols: r.nSymbols[j] as number,
    unweighted: r.unweighted,
    missing: r.missingData,
  };
}
