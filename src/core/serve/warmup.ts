import type { Bars } from '../data/index.js';
import { computeFeatures, contextFeatureNames, type FeatureSpec } from '../features/index.js';

const EMPTY = new Float64Array(0);
const NO_BARS: Bars = { n: 0, time: EMPTY, open: EMPTY, high: EMPTY, low: EMPTY, close: EMPTY, volume: EMPTY, symbol: null, source: '<none>' };

/**
 * Bars a request needs for one prediction: the spec's longest lookback plus the bar itself. Taken
 * from the feature code on an empty series (it reports the lookback without data) rather than
 * `window + 1`, because an RSI or ATR period can exceed a short window.
 */
export function barsNeeded(spec: FeatureSpec): number {
  // Market-context columns come from the basket; empty ones are enough to read the lookback.
  const context = spec.basket === undefined ? undefined : Object.fromEntries(contextFeatureNames(spec.window).map((n) => [n, EMPTY]));
  return computeFeatures(NO_BARS, spec, context).warmup + 1;
}
