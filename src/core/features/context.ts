import type { Ohlcv } from '../data/index.js';
import { UsageError } from '../errors.js';
import { rollingStd } from '../math/rolling.js';
import { computeFeatures, type FeatureFrame } from './compute.js';
import { contextFeatureNames, isContextFeature, type FeatureSpec } from './spec.js';

/** True when the spec lists market-context features (so features need all constituents at once). */
export function hasMarketContext(spec: FeatureSpec): boolean {
  return spec.basket !== undefined;
}

/**
 * The spec with the context features appended and the basket recorded: the symbols whose bars
 * form the basket, here and at predict time.
 * @throws UsageError for fewer than 2 symbols (a basket of one is the symbol itself).
 */
export function withMarketContext(spec: FeatureSpec, symbols: readonly string[]): FeatureSpec {
  const basket = [...new Set(symbols)].sort();
  if (basket.length < 2) throw new UsageError(`market context needs at least 2 symbols, got ${basket.length}`, { hint: 'pass the constituents together, or drop --market-context' });
  const own = spec.features.filter((f) => !isContextFeature(f));
  return { ...spec, features: [...own, ...contextFeatureNames(spec.window)], basket };
}

/** The spec without its context features (what one symbol's bars alone can give). */
export function withoutMarketContext(spec: FeatureSpec): FeatureSpec {
  const { basket: _basket, ...rest } = spec;
  return { ...rest, features: spec.features.filter((f) => !isContextFeature(f)) };
}

/** Context columns for one symbol, by feature name, aligned to its bars. */
export type ContextColumns = Record<string, Float64Array>;

/**
 * Market context for every input: the basket is the inputs whose symbol is in `spec.basket`; every
 * input (member or not) gets the basket's columns at its own bar times. Inputs are matched on
 * timestamps, never on row numbers; a member missing a bar simply does not vote at that time. Values
 * at t use bars ≤ t only.
 * @throws UsageError when fewer than 2 basket members are present.
 */
export function marketContext(inputs: { symbol: string | null; bars: Ohlcv }[], spec: FeatureSpec): ContextColumns[] {
  const basket = new Set(spec.basket ?? []);
  const members = inputs.filter((x) => x.symbol !== null && basket.has(x.symbol));
  if (members.length < 2) {
    throw new UsageError(`the model's market-context features need its basket's bars: ${members.length} of ${basket.size} basket symbols are present`, {
      hint: 'predict the constituents together (mm predict <dir>, mm wss, POST /predict/batch), with the symbols the model was trained on',
    });
  }
  // The basket's timeline: the sorted union of its members' bar times.
  const all: number[] = [];
  for (const m of members) for (let i = 0; i < m.bars.n; i++) all.push(m.bars.time[i] as number);
  const times = Float64Array.from(new Set(all)).sort();
  const slot = (t: number): number => {
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sum = new Float64Array(times.length);
  const up = new Float64Array(times.length);
  const count = new Float64Array(times.length);
  for (const m of members) {
    const { time, close } = m.bars;
    // One pass per member: its times are sorted, so its slots increase.
    let k = 0;
    for (let i = 1; i < m.bars.n; i++) {
      const t = time[i] as number;
      while ((times[k] as number) < t) k++;
      const r = Math.log((close[i] as number) / (close[i - 1] as number));
      sum[k] = (sum[k] as number) + r;
      if (r > 0) up[k] = (up[k] as number) + 1;
      count[k] = (count[k] as number) + 1;
    }
  }
  const mkt = new Float64Array(times.length);
  const breadth = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const c = count[k] as number;
    mkt[k] = c > 0 ? (sum[k] as number) / c : NaN;
    breadth[k] = c > 0 ? (up[k] as number) / c : NaN;
  }
  const vol = rollingStd(mkt, spec.window, 1);
  const volName = `mkt_vol_${spec.window}`;
  return inputs.map(({ bars }) => {
    const n = bars.n;
    const cols: ContextColumns = { mkt_ret_1: new Float64Array(n), mkt_breadth: new Float64Array(n), [volName]: new Float64Array(n), rel_ret_1: new Float64Array(n) };
    const a = cols['mkt_ret_1'] as Float64Array;
    const b = cols['mkt_breadth'] as Float64Array;
    const v = cols[volName] as Float64Array;
    const rel = cols['rel_ret_1'] as Float64Array;
    for (let i = 0; i < n; i++) {
      const t = bars.time[i] as number;
      const k = slot(t);
      const inBasket = k < times.length && times[k] === t;
      a[i] = inBasket ? (mkt[k] as number) : NaN;
      b[i] = inBasket ? (breadth[k] as number) : NaN;
      v[i] = inBasket ? (vol[k] as number) : NaN;
      rel[i] = i > 0 && inBasket ? Math.log((bars.close[i] as number) / (bars.close[i - 1] as number)) - (mkt[k] as number) : NaN;
    }
    return cols;
  });
}

/**
 * Features of several symbols at once: each on its own bars, plus the market context when the spec
 * has a basket (computed across all inputs). The frames are in input order.
 * @throws UsageError when a context spec's basket is not present (see marketContext).
 */
export function computeFeaturesMany(inputs: { symbol: string | null; bars: Ohlcv }[], spec: FeatureSpec): FeatureFrame[] {
  if (spec.basket === undefined) return inputs.map((x) => computeFeatures(x.bars, spec));
  const ctx = marketContext(inputs, spec);
  return inputs.map((x, i) => computeFeatures(x.bars, spec, ctx[i]));
}
