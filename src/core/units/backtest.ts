import { checkSource, derivedKey, readSource, type UnitSource } from '../compare/index.js';
import type { Bars } from '../data/index.js';
import { DataError } from '../errors.js';
import type { UnitContext } from '../exec/index.js';
import { computeFeatures, validateFeatureSpec, type FeatureFrame } from '../features/index.js';
import { forwardReturns, validateLabelSpec } from '../labels/index.js';
import { resolveModelParams } from '../models/index.js';
import { fitWindow, type RefitWindow, type WindowFit } from '../predict/index.js';
import { expectNumber, expectObject, expectString } from '../util/validate.js';

/** 'backtest.refit': one window of `mm backtest --refit-every` (fit on its past, predict its bars). */
export async function backtestRefitUnit(x: unknown, ctx: UnitContext): Promise<WindowFit> {
  const o = expectObject(x, 'unit parameters');
  const source = checkSource(o['source']);
  if (source.inputs.length !== 1) throw new DataError('a backtest.refit unit reads exactly one file');
  const features = validateFeatureSpec(o['features'], 'unit: features');
  const labels = validateLabelSpec(o['labels'], 'unit: labels');
  const kind = expectString(o['kind'], 'unit: kind');
  const params = resolveModelParams(kind, expectObject(o['params'], 'unit: params'));
  const seed = expectNumber(o['seed'], 'unit: seed', { int: true });
  const w0 = expectObject(o['window'], 'unit: window');
  const int = (k: string): number => expectNumber(w0[k], `unit: window.${k}`, { int: true, min: 0 });
  const w: RefitWindow = { s: int('s'), e: int('e'), trainStart: int('trainStart'), trainEnd: int('trainEnd') };
  const readKey = derivedKey('wf-bars', o['source'] as UnitSource, null);
  let bars = ctx.cache.get(readKey) as Bars | undefined;
  if (bars === undefined) {
    bars = (readSource(source)[0] as { bars: Bars }).bars;
    ctx.cache.set(readKey, bars);
  }
  if (!(w.trainStart <= w.trainEnd && w.s < w.e && w.e <= bars.n)) throw new DataError(`unit: window ${JSON.stringify(w)} does not fit ${bars.n} bars`);
  const frameKey = derivedKey('wf-frame', o['source'] as UnitSource, o['features']);
  let frame = ctx.cache.get(frameKey) as FeatureFrame | undefined;
  if (frame === undefined) {
    frame = computeFeatures(bars, features);
    ctx.cache.set(frameKey, frame);
  }
  return fitWindow(bars, frame, forwardReturns(bars.close, labels.horizon), w, labels, kind, params, seed);
}
