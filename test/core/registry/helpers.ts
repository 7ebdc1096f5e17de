import { defaultFeatureSpec } from '../../../src/core/features/index.js';
import { makeLabelSpec } from '../../../src/core/labels/index.js';
import { makeRunId, writeRun, type RunRecord } from '../../../src/core/registry/index.js';

/** A majority-class model.json: the smallest model a run can hold. */
export const MODEL = JSON.stringify({ kind: 'majority', version: 1, nClasses: 5, nFeatures: 0, priors: [0.2, 0.2, 0.2, 0.2, 0.2] });

/** Write a minimal run whose id ends in `hex` into the registry `dir`; returns its id. */
export function addRun(dir: string, hex: string): string {
  const id = makeRunId(new Date('2026-01-02T03:04:05Z'), 'majority', hex);
  const rec: RunRecord = {
    schemaVersion: 1, id, createdAt: '2026-01-02T03:04:05.000Z', mmVersion: 't', command: 't', seed: 1,
    data: { paths: [], sha256: [], symbols: [], rows: 0, from: '', to: '', intervalMs: 0 },
    features: defaultFeatureSpec(20), labels: makeLabelSpec({ scheme: 'fixed' }),
    model: { kind: 'majority', params: {}, file: 'model.json', sha256: '' }, split: {}, metrics: {}, timings: {}, tags: {},
  };
  return writeRun(dir, rec, MODEL).id;
}
