import { ConflictError, DataError, UsageError } from '../errors.js';
import { expectArray, expectNumber, expectObject, expectString } from '../util/validate.js';

/**
 * The feature spec is data (docs/features.md): stored with every run and re-applied unchanged at predict
 * time, so a model always sees the columns, windows and order it was trained on.
 */
export interface FeatureSpec {
  version: 1;
  /** Long window W (rolling return stats, long SMA, Bollinger bands, relative volume). */
  window: number;
  /** Short window (multi-bar return, short SMA). */
  shortWindow: number;
  rsiPeriod: number;
  atrPeriod: number;
  /** Bollinger band width in standard deviations (TA-Lib's nbDevUp = nbDevDn). */
  bbStdDev: number;
  /** Feature names in column order; each carries its windows (`rsi_14`, `ret_mean_20`). */
  features: string[];
  /**
   * Phase B market context: the symbols whose bars form the basket behind the `mkt_*` and
   * `rel_ret_1` features (see context.ts). Absent for per-symbol features only.
   */
  basket?: string[];
}

export const MIN_WINDOW = 12;
export const MAX_WINDOW = 60;
export const DEFAULT_WINDOW = 20;
const MAX_PERIOD = 200;
const KEYS = ['version', 'window', 'shortWindow', 'rsiPeriod', 'atrPeriod', 'bbStdDev', 'features', 'basket'];

/**
 * Market-context features (Phase B): what the whole basket of constituents did at bar t, computed
 * from every basket member's bars ≤ t and appended to each symbol's own features.
 * - mkt_ret_1: equal-weight mean of the members' one-bar log returns at t (members with a bar at t);
 * - mkt_breadth: share of those members whose return at t is positive;
 * - mkt_vol_W: sample std of mkt_ret_1 over the last W times of the basket's timeline;
 * - rel_ret_1: the symbol's own one-bar log return minus mkt_ret_1 (relative strength).
 */
export function contextFeatureNames(window: number): string[] {
  return ['mkt_ret_1', 'mkt_breadth', `mkt_vol_${window}`, 'rel_ret_1'];
}

export function isContextFeature(name: string): boolean {
  return name === 'mkt_ret_1' || name === 'mkt_breadth' || name === 'rel_ret_1' || /^mkt_vol_\d+$/.test(name);
}

/** Every feature name a spec with these windows can list, in the default column order. */
export function knownFeatureNames(p: Pick<FeatureSpec, 'window' | 'shortWindow' | 'rsiPeriod' | 'atrPeriod'>): string[] {
  const w = p.window;
  const s = p.shortWindow;
  return [
    'ret_1', `ret_${s}`, `ret_mean_${w}`, `ret_std_${w}`, `rsi_${p.rsiPeriod}`, `atr_norm_${p.atrPeriod}`,
    `ma_ratio_${s}_${w}`, `bb_width_${w}`, 'range_hl', 'body_co', 'clv', `vol_rel_${w}`,
  ];
}

/**
 * The default spec: every known feature, W = `window`, short window 5, RSI/ATR 14, bands at 2σ.
 * @throws UsageError when the window is outside 12..60 or not an integer.
 */
export function defaultFeatureSpec(window = DEFAULT_WINDOW): FeatureSpec {
  checkWindow(window, 'feature window');
  const base = { window, shortWindow: 5, rsiPeriod: 14, atrPeriod: 14 };
  return { version: 1, ...base, bbStdDev: 2, features: knownFeatureNames(base) };
}

/**
 * Validate a spec read back from JSON (run.json, a `--spec` file) and return a clean copy.
 * @throws DataError naming the field when the spec is malformed (wrong type, unknown key, empty or
 *   duplicated feature list); ConflictError for a spec version this build does not read;
 *   UsageError for a window outside 12..60 or a feature name the spec's windows do not define
 *   (the hint lists the known names).
 */
export function validateFeatureSpec(x: unknown, where: string): FeatureSpec {
  const o = expectObject(x, where);
  for (const key of Object.keys(o)) {
    if (!KEYS.includes(key)) {
      throw new DataError(`${where}: unknown field "${key}" in the feature spec`, { hint: `a feature spec has the fields ${KEYS.join(', ')}` });
    }
  }
  const version = expectNumber(o['version'], `${where}: version`, { int: true });
  if (version !== 1) {
    throw new ConflictError(`${where}: feature spec version ${version} is not supported`, { hint: 'this build of mm reads feature spec version 1; upgrade mm or regenerate the spec' });
  }
  const window = expectNumber(o['window'], `${where}: window`, { int: true });
  checkWindow(window, `${where}: window`);
  const shortWindow = expectNumber(o['shortWindow'], `${where}: shortWindow`, { int: true });
  if (shortWindow < 2 || shortWindow >= window) {
    throw new UsageError(`${where}: shortWindow must be between 2 and window − 1 (${window - 1}), got ${shortWindow}`, { hint: 'the default short window is 5' });
  }
  const rsiPeriod = expectNumber(o['rsiPeriod'], `${where}: rsiPeriod`, { int: true, min: 2, max: MAX_PERIOD });
  const atrPeriod = expectNumber(o['atrPeriod'], `${where}: atrPeriod`, { int: true, min: 1, max: MAX_PERIOD });
  const bbStdDev = expectNumber(o['bbStdDev'], `${where}: bbStdDev`);
  if (!(bbStdDev > 0)) throw new DataError(`${where}: bbStdDev must be > 0, got ${bbStdDev}`);
  const list = expectArray(o['features'], `${where}: features`);
  if (list.length === 0) throw new DataError(`${where}: features must list at least one feature`);
  let basket: string[] | undefined;
  if (o['basket'] !== undefined) {
    basket = expectArray(o['basket'], `${where}: basket`).map((x, i) => expectString(x, `${where}: basket[${i}]`));
    if (basket.length < 2 || new Set(basket).size !== basket.length) throw new DataError(`${where}: basket must list at least 2 distinct symbols`);
  }
  const known = [...knownFeatureNames({ window, shortWindow, rsiPeriod, atrPeriod }), ...(basket === undefined ? [] : contextFeatureNames(window))];
  const features: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const name = expectString(list[i], `${where}: features[${i}]`);
    if (!known.includes(name)) {
      throw new UsageError(`${where}: unknown feature "${name}" (features[${i}])`, {
        hint: `with these windows the known features are: ${known.join(', ')}`,
      });
    }
    if (features.includes(name)) throw new DataError(`${where}: feature "${name}" is listed twice (features[${i}])`);
    features.push(name);
  }
  return { version: 1, window, shortWindow, rsiPeriod, atrPeriod, bbStdDev, features, ...(basket === undefined ? {} : { basket }) };
}

function checkWindow(w: number, what: string): void {
  if (!Number.isInteger(w) || w < MIN_WINDOW || w > MAX_WINDOW) {
    throw new UsageError(`${what} must be an integer between ${MIN_WINDOW} and ${MAX_WINDOW}, got ${w}`, {
      hint: `pass --window with a value in ${MIN_WINDOW}..${MAX_WINDOW} (default ${DEFAULT_WINDOW})`,
    });
  }
}
