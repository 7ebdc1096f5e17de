/** Features stage: the default indicator set (docs/features.md) and its spec. */
export {
  DEFAULT_WINDOW, MAX_WINDOW, MIN_WINDOW, contextFeatureNames, defaultFeatureSpec, isContextFeature, knownFeatureNames, validateFeatureSpec, type FeatureSpec,
} from './spec.js';
export { computeFeatures, SETTLE_FACTOR, type FeatureFrame } from './compute.js';
export { logReturn } from './returns.js';
export { rsi } from './rsi.js';
export { atr, trueRange } from './atr.js';
export { bodyCo, clv, rangeHl } from './candle.js';
export { volRel } from './volume.js';
export { computeFeaturesMany, hasMarketContext, marketContext, withMarketContext, withoutMarketContext, type ContextColumns } from './context.js';
