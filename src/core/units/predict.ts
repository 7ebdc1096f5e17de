import { checkSource, readSource, type UnitSource } from '../compare/index.js';
import type { Bars } from '../data/index.js';
import { DataError } from '../errors.js';
import type { UnitContext } from '../exec/index.js';
import { loadRunModel, predictBars, type LoadedModel, type PredictionTable } from '../predict/index.js';
import { expectNumber, expectObject, expectString } from '../util/validate.js';

/** Parameters of a 'predict.file' unit: one symbol's batch (and history) scored by a registry run. */
export interface PredictUnitParams {
  batch: UnitSource;
  history: UnitSource | null;
  runId: string;
  /** sha256 of the run's model.json as the coordinator loaded it: a worker whose registry differs refuses. */
  modelSha256: string;
  modelVersion: string;
  minConfidence: number;
  intervalMs: number;
}

function model(ctx: UnitContext, runId: string, sha: string): LoadedModel {
  const key = `model:${runId}:${sha}`;
  const hit = ctx.cache.get(key) as LoadedModel | undefined;
  if (hit !== undefined) return hit;
  if (!/^[\w.:-]{1,200}$/.test(runId) || runId.includes('..')) throw new DataError(`unit: bad run id ${JSON.stringify(runId)}`);
  const m = loadRunModel(ctx.registry, runId);
  if (m.run.model.sha256 !== sha) {
    throw new DataError(`run ${runId} in ${ctx.registry} has model sha256 ${m.run.model.sha256.slice(0, 12)}…, the job expects ${sha.slice(0, 12)}…`, {
      hint: 'coordinator and workers must share one registry folder',
    });
  }
  ctx.cache.set(key, m);
  return m;
}

/** 'predict.file': the prediction table of one symbol's batch (no market context: that needs every symbol at once). */
export async function predictFileUnit(x: unknown, ctx: UnitContext): Promise<PredictionTable> {
  const o = expectObject(x, 'unit parameters');
  const batch = checkSource(o['batch']);
  const history = o['history'] === null ? null : checkSource(o['history']);
  const m = model(ctx, expectString(o['runId'], 'unit: runId'), expectString(o['modelSha256'], 'unit: modelSha256'));
  const b = readSource(batch)[0] as { bars: Bars };
  const h = history === null ? undefined : (readSource(history)[0] as { bars: Bars }).bars;
  return predictBars(b.bars, m.run.features, m.model, {
    minConfidence: expectNumber(o['minConfidence'], 'unit: minConfidence', { min: 0, max: 1 }),
    modelVersion: expectString(o['modelVersion'], 'unit: modelVersion'),
    intervalMs: expectNumber(o['intervalMs'], 'unit: intervalMs', { min: 0 }),
    ...(h === undefined ? {} : { history: h }),
    ...(m.run.symbolFeature === undefined ? {} : { symbolEncoding: m.run.symbolFeature }),
  });
}
