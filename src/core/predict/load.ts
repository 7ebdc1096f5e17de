import { symbolFeatureNames } from '../dataset/index.js';
import { DataError } from '../errors.js';
import { loadModel, type Classifier } from '../models/index.js';
import { asDataError, readRun, readRunModel, resolveRef, type RunRecord } from '../registry/index.js';

export interface LoadedModel {
  run: RunRecord;
  model: Classifier;
  alias: string | null;
  /** `model_version` of the prediction table: the run id, with the alias when one was used. */
  version: string;
}

/**
 * Resolve `<ref>` (run id, alias or `latest`), read the run and its validated model.
 * @throws NotFoundError for an unknown ref; DataError for corrupted run files, a model file whose
 *   hash differs from run.json, or a model of another kind or feature count than its run.
 */
export function loadRunModel(registry: string, ref: string): LoadedModel {
  const { id, alias } = resolveRef(registry, ref);
  const run = readRun(registry, id);
  const model = asDataError(() => loadModel(readRunModel(registry, run), `${id}/model.json`));
  if (model.kind !== run.model.kind) {
    throw new DataError(`${id}: run.json says the model is ${JSON.stringify(run.model.kind)} but model.json holds ${JSON.stringify(model.kind)}`, {
      hint: 'the run files do not belong together; retrain',
    });
  }
  const expected = run.features.features.length + (run.symbolFeature === undefined ? 0 : symbolFeatureNames(run.symbolFeature).length);
  if (model.nFeatures !== expected) {
    throw new DataError(`${id}: model expects ${model.nFeatures} features but the run's spec gives ${expected}`, {
      hint: 'the run files do not belong together; retrain',
    });
  }
  return { run, model, alias, version: alias === null ? id : `${id} (${alias})` };
}
