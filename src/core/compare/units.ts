import { validateFeatureSpec } from '../features/index.js';
import { validateLabelSpec } from '../labels/index.js';
import { resolveModelParams, withFitMemo } from '../models/index.js';
import type { UnitContext } from '../exec/index.js';
import { DataError } from '../errors.js';
import { expectNumber, expectObject, expectString } from '../util/validate.js';
import { fitFold, prepareComparison, prepKey, type FoldData, type FoldFit, type PreparedComparison } from './compare.js';
import type { WalkForwardConfig } from './folds.js';
import { fitRefit, prepareRefit, refitKey, type RefitData, type RefitResult } from './run.js';
import { checkSource, readSource, sourceKey, type SourceReads, type UnitSource } from './source.js';

// Units of `mm compare`. Their parameters come from a job (another process, maybe another host), so
// each field is validated here before use; nothing in them names code or a file to write.

function encoding(x: unknown): 'none' | 'ordinal' | 'onehot' {
  if (x === 'none' || x === 'ordinal' || x === 'onehot') return x;
  throw new DataError(`unit: symbolEncoding must be none, ordinal or onehot, got ${JSON.stringify(x)}`);
}

function cvConfig(x: unknown): WalkForwardConfig {
  const o = expectObject(x, 'unit: cv');
  const mode = o['mode'];
  if (o['kind'] !== 'walk-forward' || (mode !== 'expanding' && mode !== 'rolling')) throw new DataError('unit: cv must be a walk-forward config');
  const int = (k: string): number => expectNumber(o[k], `unit: cv.${k}`, { int: true, min: 0 });
  return { kind: 'walk-forward', folds: int('folds'), mode, purge: int('purge'), embargo: int('embargo'), trainSize: o['trainSize'] === null ? null : int('trainSize') };
}

function reads(source: UnitSource, ctx: UnitContext): SourceReads {
  const key = sourceKey(source);
  const hit = ctx.cache.get(key) as SourceReads | undefined;
  if (hit !== undefined) return hit;
  const r = readSource(source);
  ctx.cache.set(key, r);
  return r;
}

function common(x: unknown): { raw: Record<string, unknown>; source: UnitSource; symbolEncoding: 'none' | 'ordinal' | 'onehot'; kind: string; params: Record<string, unknown>; seed: number } {
  const o = expectObject(x, 'unit parameters');
  const kind = expectString(o['kind'], 'unit: kind');
  return {
    raw: o,
    source: checkSource(o['source']),
    symbolEncoding: encoding(o['symbolEncoding']),
    kind,
    params: resolveModelParams(kind, expectObject(o['params'], 'unit: params')),
    seed: expectNumber(o['seed'], 'unit: seed', { int: true }),
  };
}

/** 'compare.fold': one candidate fitted on one walk-forward fold; out-of-fold probabilities back. */
export async function compareFoldUnit(x: unknown, ctx: UnitContext): Promise<FoldFit> {
  const c = common(x);
  const features = validateFeatureSpec(c.raw['features'], 'unit: features');
  const labels = validateLabelSpec(c.raw['labels'], 'unit: labels');
  const cv = cvConfig(c.raw['cv']);
  const fold = expectNumber(c.raw['fold'], 'unit: fold', { int: true, min: 0 });
  // keyed on the parameters as sent, exactly as the coordinator keyed what it prepared
  const key = prepKey({ source: c.raw['source'] as UnitSource, symbolEncoding: c.symbolEncoding, features: c.raw['features'] as typeof features, labels: c.raw['labels'] as typeof labels, cv: c.raw['cv'] as WalkForwardConfig });
  let prep = ctx.cache.get(key) as PreparedComparison | undefined;
  if (prep === undefined) {
    prep = prepareComparison(reads(c.source, ctx), c.symbolEncoding, features, labels, cv);
    ctx.cache.set(key, prep);
  }
  const d = prep.prepared[fold] as FoldData | undefined;
  if (d === undefined) throw new DataError(`unit: fold ${fold} does not exist (${prep.prepared.length} folds)`);
  return fitFold(d, c.kind, c.params, c.seed, ctx.clock);
}

/** 'compare.refit': one candidate refitted on every usable row; the model.json text back. */
export async function compareRefitUnit(x: unknown, ctx: UnitContext): Promise<RefitResult> {
  const c = common(x);
  const features = validateFeatureSpec(c.raw['features'], 'unit: features');
  const labels = validateLabelSpec(c.raw['labels'], 'unit: labels');
  const key = refitKey({ source: c.raw['source'] as UnitSource, symbolEncoding: c.symbolEncoding, features: c.raw['features'] as typeof features, labels: c.raw['labels'] as typeof labels });
  let d = ctx.cache.get(key) as RefitData | undefined;
  if (d === undefined) {
    d = prepareRefit(reads(c.source, ctx), c.symbolEncoding, features, labels);
    ctx.cache.set(key, d);
  }
  return fitRefit(d, c.kind, c.params, c.seed);
}

/** The most fits one 'compare.group' unit may carry (a group is an ensemble and its members). */
const MAX_GROUP = 16;

/**
 * 'compare.group': several 'compare.fold' or several 'compare.refit' units run one after the other
 * in one memo scope (an ensemble and its member candidates share their fits); their results in order.
 */
export async function compareGroupUnit(x: unknown, ctx: UnitContext): Promise<unknown[]> {
  const o = expectObject(x, 'unit parameters');
  const of = o['of'];
  if (of !== 'compare.fold' && of !== 'compare.refit') throw new DataError(`unit: a group holds compare.fold or compare.refit units, got ${JSON.stringify(of)}`);
  const list = o['units'];
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_GROUP) throw new DataError(`unit: units must be a list of 1 to ${MAX_GROUP} unit parameters`);
  const run = of === 'compare.fold' ? compareFoldUnit : compareRefitUnit;
  return withFitMemo(async () => {
    const out: unknown[] = [];
    for (const p of list) out.push(await run(p, ctx));
    return out;
  });
}
