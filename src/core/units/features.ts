import { checkSource, readSource, type UnitSource } from '../compare/index.js';
import { computeFeatures, validateFeatureSpec, type FeatureFrame, type FeatureSpec } from '../features/index.js';
import type { Bars, ReadReport } from '../data/index.js';
import type { UnitContext } from '../exec/index.js';
import { expectString } from '../util/validate.js';
import { DataError } from '../errors.js';

/** Parameters of a 'features.file' unit: one CSV (path + sha256) and the spec. */
export interface FeaturesUnitParams {
  source: UnitSource;
  /** The path as the user gave it: what the result reports as its source. */
  display: string;
  spec: FeatureSpec;
}

export interface FeaturesUnitResult {
  bars: Bars;
  report: ReadReport;
  frame: FeatureFrame;
}

/** 'features.file': one file's features (as `mm features` computes them for each input). */
export async function featuresFileUnit(x: unknown, _ctx: UnitContext): Promise<FeaturesUnitResult> {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  const source = checkSource(o['source']);
  if (source.inputs.length !== 1) throw new DataError('a features.file unit reads exactly one file');
  const display = expectString(o['display'], 'unit: display');
  const spec = validateFeatureSpec(o['spec'], 'unit: spec');
  const r = readSource(source)[0] as { bars: Bars; report: ReadReport };
  return { bars: { ...r.bars, source: display }, report: { ...r.report, source: display }, frame: computeFeatures(r.bars, spec) };
}
