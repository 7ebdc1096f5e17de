import type { Ohlcv } from '../data/types.js';
import { rollingMean, rollingMeanStd, type RollingMeanStd } from '../math/rolling.js';
import { atr } from './atr.js';
import { bodyCo, clv, rangeHl } from './candle.js';
import { logReturn } from './returns.js';
import { rsi } from './rsi.js';
import { UsageError } from '../errors.js';
import type { ContextColumns } from './context.js';
import { isContextFeature, knownFeatureNames, validateFeatureSpec, type FeatureSpec } from './spec.js';
import { volRel } from './volume.js';

/** Features as columns in the spec's order; rows are the bars' rows. */
export interface FeatureFrame {
  names: string[];
  columns: Float64Array[];
  n: number;
  /**
   * First row where every feature is defined: the longest lookback of the chosen features (W for
   * the default set, since the rolling return stats need W returns, i.e. W + 1 closes). Rows before
   * may hold NaN; every row from here on is finite for valid bars (positive prices, h ≥ l).
   */
  warmup: number;
  /**
   * First row whose recursive indicators (RSI, ATR: Wilder smoothing seeded as TA-Lib seeds it) have
   * at least 5 × their longest period of bars behind them, so the seed's weight is below
   * ((p − 1) / p)^(4p) ≈ e^−4 ≈ 2 % and values barely depend on where the file starts. Never before
   * `warmup`; equal to it when no recursive feature is chosen.
   */
  settledFrom: number;
}

/** How many bars the seed of a recursive indicator should lie behind before we call it settled. */
export const SETTLE_FACTOR = 5;

/**
 * Compute the spec's features from OHLCV bars. O(n) per feature; intermediates shared (the rolling
 * stats of returns, the rolling mean/std of close). Values at t use bars ≤ t only.
 * @throws DataError | UsageError | ConflictError when the spec does not validate (see validateFeatureSpec).
 */
export function computeFeatures(bars: Ohlcv, spec: FeatureSpec, context?: ContextColumns): FeatureFrame {
  const s = validateFeatureSpec(spec, 'feature spec');
  if (s.basket !== undefined && context === undefined) {
    throw new UsageError(`the features include market context (${s.features.filter(isContextFeature).join(', ')}), which needs the basket's bars at each time`, {
      hint: 'predict the constituents together (mm predict <dir>, mm wss, POST /predict/batch)',
    });
  }
  const { window: w, shortWindow: sw, rsiPeriod, atrPeriod } = s;
  const { n, open, high, low, close, volume } = bars;
  const [ret1, retS, retMean, retStd, rsiName, atrName, maRatio, bbWidth, range, body, clvName, vol] = knownFeatureNames(s);

  let r1: Float64Array | null = null;
  const ret1Col = (): Float64Array => (r1 ??= logReturn(close, 1));
  let retStats: RollingMeanStd | null = null;
  // ret_1 starts at index 1, so W returns end at index W.
  const retStatsOf = (): RollingMeanStd => (retStats ??= rollingMeanStd(ret1Col(), w, 1));
  let closeStats: RollingMeanStd | null = null;
  // The std of close is an intermediate only bb_width uses (once: names are unique), so it is
  // overwritten in place; ma_ratio reads only the mean.
  const closeStatsOf = (): RollingMeanStd => (closeStats ??= rollingMeanStd(close, w, 0));

  const columns: Float64Array[] = [];
  let warmup = 0;
  let recursive = 0;
  for (const name of s.features) {
    let col: Float64Array;
    let lookback: number;
    switch (name) {
      case ret1: col = ret1Col(); lookback = 1; break;
      case retS: col = logReturn(close, sw); lookback = sw; break;
      case retMean: col = retStatsOf().mean; lookback = w; break;
      case retStd: col = retStatsOf().std; lookback = w; break;
      case rsiName: col = rsi(close, rsiPeriod); lookback = rsiPeriod; recursive = Math.max(recursive, rsiPeriod); break;
      case atrName: col = atr(high, low, close, atrPeriod, close); lookback = atrPeriod; recursive = Math.max(recursive, atrPeriod); break;
      case maRatio: col = maRatioOf(close, sw, closeStatsOf().mean); lookback = w - 1; break;
      case bbWidth: col = bbWidthOf(closeStatsOf(), s.bbStdDev); lookback = w - 1; break;
      case range: col = rangeHl(high, low, close); lookback = 0; break;
      case body: col = bodyCo(open, close); lookback = 0; break;
      case clvName: col = clv(high, low, close); lookback = 0; break;
      case vol: col = volRel(volume, w); lookback = w - 1; break;
      default: {
        const c = context?.[name];
        if (c === undefined || c.length !== n) throw new Error(`unreachable: feature ${name} passed validation but has no column`);
        // mkt_vol_W needs W basket returns behind it; the others one.
        col = c; lookback = name.startsWith('mkt_vol_') ? w : 1;
      }
    }
    columns.push(col);
    if (lookback > warmup) warmup = lookback;
  }
  const settledFrom = Math.max(warmup, SETTLE_FACTOR * recursive);
  return { names: [...s.features], columns, n, warmup, settledFrom };
}

/** ma_ratio = SMA(c, short) / SMA(c, W) − 1. */
function maRatioOf(close: Float64Array, sw: number, smaLong: Float64Array): Float64Array {
  const out = rollingMean(close, sw);
  for (let t = 0; t < out.length; t++) out[t] = (out[t] as number) / (smaLong[t] as number) - 1;
  return out;
}

/**
 * Bollinger band width of TA-Lib BBANDS(W, k, k, SMA): (upper − lower) / middle with middle = SMA,
 * upper/lower = middle ± k · population std (ddof = 0, TA-Lib's STDDEV). Our std comes from the
 * stable shifted-sum kernel, so it agrees with TA-Lib to TA-Lib's own rounding (TA-Lib uses the
 * raw E[x²] − E[x]² form).
 */
function bbWidthOf(stats: RollingMeanStd, k: number): Float64Array {
  const { mean, std } = stats;
  const n = mean.length;
  // The std of close is needed by nothing else, so the width overwrites it in place.
  const out = std;
  for (let t = 0; t < n; t++) {
    const m = mean[t] as number;
    const d = k * (std[t] as number);
    out[t] = (m + d - (m - d)) / m;
  }
  return out;
}
