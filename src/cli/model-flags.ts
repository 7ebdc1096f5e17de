import { Flags } from '@oclif/core';
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { CALIBRATION_METHODS, MODEL_KINDS, type ModelKind } from '../core/models/index.js';
import { defined } from './defined.js';

export const modelFlags = {
  model: Flags.string({ char: 'm', description: 'model kind', options: [...MODEL_KINDS], default: 'rf', helpGroup: 'MODEL' }),
  trees: Flags.integer({ description: 'trees in the forest (default 200)', helpGroup: 'MODEL' }),
  'max-depth': Flags.integer({ description: 'maximum tree depth (default unlimited)', helpGroup: 'MODEL' }),
  'min-samples-leaf': Flags.integer({ description: 'minimum rows in a leaf (default 20)', helpGroup: 'MODEL' }),
  'max-features': Flags.string({ description: 'features tried per split: sqrt, log2, a count or a fraction', helpGroup: 'MODEL' }),
  jobs: Flags.integer({ description: 'worker threads for ≥ 5,000 rows (default: free cores = cores − 1-minute load average, at least 1); results do not depend on it', helpGroup: 'MODEL' }),
  params: Flags.string({ description: 'model parameters as JSON text or a JSON file (flags win)', helpGroup: 'MODEL' }),
  calibrate: calibrateFlag(),
};

/** `--calibrate`: per-class calibrators fitted on chronological inner folds of the training rows. */
export function calibrateFlag() {
  return Flags.string({
    description: 'calibrate probabilities on chronological inner folds of the training rows (default per kind, see README)',
    options: [...CALIBRATION_METHODS],
    helpGroup: 'MODEL',
  });
}

type ModelFlagValues = {
  trees?: number | undefined;
  'max-depth'?: number | undefined;
  'min-samples-leaf'?: number | undefined;
  'max-features'?: string | undefined;
  jobs?: number | undefined;
  params?: string | undefined;
  calibrate?: string | undefined;
};

/**
 * Merge `--params` (inline JSON or a file) with the individual flags; the core validates the keys.
 * @throws UsageError when --params is neither valid JSON nor a readable JSON file.
 */
export function modelParamsFrom(f: ModelFlagValues): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  if (f.params !== undefined) {
    const text = existsSync(f.params) ? readFileSync(f.params, 'utf8') : f.params;
    try {
      const v: unknown = JSON.parse(text);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      base = v as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`--params must be a JSON object or a file holding one (${(e as Error).message})`, {
        hint: `e.g. --params '{"nTrees": 200, "maxDepth": 12}'`,
      });
    }
  }
  const mf = f['max-features'];
  const maxFeatures = mf === undefined ? undefined : /^(sqrt|log2)$/.test(mf) ? mf : Number(mf);
  return {
    ...base,
    ...defined({ nTrees: f.trees, maxDepth: f['max-depth'], minSamplesLeaf: f['min-samples-leaf'], maxFeatures, nJobs: f.jobs, calibrate: f.calibrate }),
  };
}

/**
 * Candidates for `mm compare`: the listed kinds (default all) with their `--params` entries.
 * @throws UsageError for an unknown kind or params that are not an object of objects.
 */
export function parseCandidates(models: string | undefined, params: string | undefined, calibrate?: string): { kind: ModelKind; params: Record<string, unknown> }[] {
  const kinds = models === undefined ? [...MODEL_KINDS] : models.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const k of kinds) {
    if (!(MODEL_KINDS as readonly string[]).includes(k)) throw new UsageError(`unknown model kind "${k}"`, { hint: `use any of: ${MODEL_KINDS.join(', ')}` });
  }
  if (new Set(kinds).size !== kinds.length) throw new UsageError('each model kind may be listed once in --models');
  const all = params === undefined ? {} : modelParamsFrom({ params });
  for (const [k, v] of Object.entries(all)) {
    if (!kinds.includes(k)) throw new UsageError(`--params has an entry for "${k}", which is not among --models`);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`--params.${k} must be an object of parameters`);
  }
  // --calibrate applies to every candidate whose own --params entry does not choose.
  return kinds.map((k) => ({ kind: k as ModelKind, params: { ...(calibrate === undefined ? {} : { calibrate }), ...((all[k] as Record<string, unknown> | undefined) ?? {}) } }));
}
