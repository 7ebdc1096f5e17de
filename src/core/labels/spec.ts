import { UsageError, DataError } from '../errors.js';
import { expectNumber, expectObject, expectString } from '../util/validate.js';

/**
 * How forward returns become the five classes (docs/labels.md).
 * - fixed: constant thresholds t1 < t2.
 * - quantile: t1, t2 are the q1, q2 quantiles of |r| over TRAINING rows only; after fitting they are
 *   frozen into the spec (t1, t2 set) and stored with the run.
 * - vol: t1 = k1·σ_t·√h, t2 = k2·σ_t·√h with σ_t the rolling volatility of 1-bar returns known at t.
 */
export type LabelSpec =
  | { scheme: 'fixed'; horizon: number; t1: number; t2: number }
  | { scheme: 'quantile'; horizon: number; q1: number; q2: number; t1?: number; t2?: number }
  | { scheme: 'vol'; horizon: number; k1: number; k2: number; window: number };

export type SchemeName = LabelSpec['scheme'];
export const SCHEMES: readonly SchemeName[] = ['fixed', 'quantile', 'vol'];

export const LABEL_DEFAULTS = {
  horizon: 1,
  fixed: { t1: 0.001, t2: 0.003 },
  quantile: { q1: 0.4, q2: 0.8 },
  vol: { k1: 0.5, k2: 1.5, window: 20 },
} as const;

export interface LabelSpecOptions {
  scheme?: string;
  horizon?: number;
  t1?: number;
  t2?: number;
  q1?: number;
  q2?: number;
  k1?: number;
  k2?: number;
  volWindow?: number;
}

/**
 * Build a label spec from CLI-style options, filling the defaults of the chosen scheme.
 * @throws UsageError for an unknown scheme or thresholds that are not 0 ≤ lower < upper.
 */
export function makeLabelSpec(o: LabelSpecOptions = {}): LabelSpec {
  const scheme = o.scheme ?? 'quantile';
  const horizon = o.horizon ?? LABEL_DEFAULTS.horizon;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 500) {
    throw new UsageError(`horizon must be a whole number of bars from 1 to 500, got ${horizon}`);
  }
  let spec: LabelSpec;
  if (scheme === 'fixed') {
    spec = { scheme, horizon, t1: o.t1 ?? LABEL_DEFAULTS.fixed.t1, t2: o.t2 ?? LABEL_DEFAULTS.fixed.t2 };
  } else if (scheme === 'quantile') {
    spec = { scheme, horizon, q1: o.q1 ?? LABEL_DEFAULTS.quantile.q1, q2: o.q2 ?? LABEL_DEFAULTS.quantile.q2 };
  } else if (scheme === 'vol') {
    spec = {
      scheme,
      horizon,
      k1: o.k1 ?? LABEL_DEFAULTS.vol.k1,
      k2: o.k2 ?? LABEL_DEFAULTS.vol.k2,
      window: o.volWindow ?? LABEL_DEFAULTS.vol.window,
    };
  } else {
    throw new UsageError(`unknown threshold scheme "${scheme}"`, { hint: `use one of: ${SCHEMES.join(', ')}` });
  }
  checkSpec(spec, (m) => new UsageError(m));
  return spec;
}

function checkSpec(spec: LabelSpec, fail: (m: string) => Error): void {
  const pair = (a: number, b: number, na: string, nb: string, max: number): void => {
    if (!(a >= 0 && a < b && b <= max)) throw fail(`thresholds must satisfy 0 ≤ ${na} < ${nb} ≤ ${max}, got ${na}=${a}, ${nb}=${b}`);
  };
  if (spec.scheme === 'fixed') pair(spec.t1, spec.t2, 't1', 't2', 1);
  else if (spec.scheme === 'quantile') {
    pair(spec.q1, spec.q2, 'q1', 'q2', 1);
    if (spec.q2 >= 1) throw fail(`q2 must be below 1, got ${spec.q2}`);
    if (spec.t1 !== undefined || spec.t2 !== undefined) pair(spec.t1 ?? NaN, spec.t2 ?? NaN, 't1', 't2', 1);
  } else {
    pair(spec.k1, spec.k2, 'k1', 'k2', 100);
    if (!Number.isInteger(spec.window) || spec.window < 2) throw fail(`vol window must be a whole number ≥ 2, got ${spec.window}`);
  }
}

/** True when the spec can label bars as it is (a quantile spec needs fitting first). */
export function isFitted(spec: LabelSpec): boolean {
  return spec.scheme !== 'quantile' || (spec.t1 !== undefined && spec.t2 !== undefined);
}

/**
 * Validate a label spec read back from a run file.
 * @throws DataError naming the field when the stored spec is malformed.
 */
export function validateLabelSpec(x: unknown, where: string): LabelSpec {
  const o = expectObject(x, `${where}: labels`);
  const scheme = expectString(o['scheme'], `${where}: labels.scheme`);
  const horizon = expectNumber(o['horizon'], `${where}: labels.horizon`, { int: true, min: 1 });
  const num = (k: string): number => expectNumber(o[k], `${where}: labels.${k}`);
  let spec: LabelSpec;
  if (scheme === 'fixed') spec = { scheme, horizon, t1: num('t1'), t2: num('t2') };
  else if (scheme === 'quantile') {
    spec = { scheme, horizon, q1: num('q1'), q2: num('q2') };
    if (o['t1'] !== undefined) spec.t1 = num('t1');
    if (o['t2'] !== undefined) spec.t2 = num('t2');
  } else if (scheme === 'vol') spec = { scheme, horizon, k1: num('k1'), k2: num('k2'), window: num('window') };
  else throw new DataError(`${where}: labels.scheme "${scheme}" is not one of ${SCHEMES.join(', ')}`);
  checkSpec(spec, (m) => new DataError(`${where}: ${m}`));
  return spec;
}
