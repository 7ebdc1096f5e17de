import { DataError, UsageError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import { expectObject, expectString } from '../util/validate.js';
import { MajorityModel } from './baselines.js';
import { checkForestParams, defaultForestParams, fitForest, ForestModel, type ForestParams } from './forest.js';
import type { Classifier, FitInput } from './types.js';
import { BoostModel, defaultBoostParams, fitBoost, readBoostParams, type BoostParams } from './boost.js';
import { defaultKnnParams, fitKnn, KnnModel, readKnnParams, type KnnParams } from './knn.js';
import { defaultLogRegParams, fitLogReg, LogRegModel, readLogRegParams, type LogRegParams } from './logreg.js';
import { defaultMlpParams, fitMlp, MlpModel, readMlpParams, type MlpParams } from './mlp.js';
import { defaultSvcParams, fitSvc, readSvcParams, SvcModel, type SvcParams } from './svc.js';

/** Model kinds `mm train --model` accepts. */
export const MODEL_KINDS = ['rf', 'et', 'gb', 'hgb', 'logreg', 'mlp', 'knn', 'svc'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

function isKind(k: string): k is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(k);
}

/** Per kind: its defaults, a validator filling them in, a fitter and a loader. */
interface KindEntry {
  defaults: () => Record<string, unknown>;
  check: (p: Record<string, unknown>) => Record<string, unknown>;
  fit: (input: FitInput, p: Record<string, unknown>, rng: Rng) => Promise<Classifier> | Classifier;
  load: (state: unknown, where: string) => Classifier;
}

const forestEntry = (kind: 'rf' | 'et'): KindEntry => ({
  defaults: () => ({ ...defaultForestParams(kind) }) as unknown as Record<string, unknown>,
  check: (p) => {
    checkForestParams(p as unknown as ForestParams);
    return p;
  },
  fit: (input, p, rng) => fitForest(input, { ...(p as unknown as ForestParams), kind }, rng),
  load: (state) => ForestModel.fromJSON(state),
});

const boostEntry = (kind: 'gb' | 'hgb'): KindEntry => ({
  defaults: () => ({ ...defaultBoostParams(kind) }) as unknown as Record<string, unknown>,
  check: (p) => ({ ...readBoostParams(p, kind) }) as unknown as Record<string, unknown>,
  fit: (input, p, rng) => fitBoost(input, p as unknown as BoostParams, rng),
  load: (state, where) => BoostModel.fromJSON(state, where),
});

const KINDS: Record<ModelKind, KindEntry> = {
  rf: forestEntry('rf'),
  et: forestEntry('et'),
  gb: boostEntry('gb'),
  hgb: boostEntry('hgb'),
  logreg: {
    defaults: () => ({ ...defaultLogRegParams() }),
    check: (p) => ({ ...readLogRegParams(p) }),
    fit: (input, p, rng) => fitLogReg(input, p as unknown as LogRegParams, rng),
    load: (state, where) => LogRegModel.fromJSON(state, where),
  },
  mlp: {
    defaults: () => ({ ...defaultMlpParams() }),
    check: (p) => ({ ...readMlpParams(p) }),
    fit: (input, p, rng) => fitMlp(input, p as unknown as MlpParams, rng),
    load: (state, where) => MlpModel.fromJSON(state, where),
  },
  knn: {
    defaults: () => ({ ...defaultKnnParams() }),
    check: (p) => ({ ...readKnnParams(p) }),
    fit: (input, p, rng) => fitKnn(input, p as unknown as KnnParams, rng),
    load: (state, where) => KnnModel.fromJSON(state, where),
  },
  svc: {
    defaults: () => ({ ...defaultSvcParams() }),
    check: (p) => ({ ...readSvcParams(p) }),
    fit: (input, p, rng) => fitSvc(input, p as unknown as SvcParams, rng),
    load: (state, where) => SvcModel.fromJSON(state, where),
  },
};

/**
 * The full parameter set of a kind: its defaults overridden by the given keys, each checked.
 * @throws UsageError for an unknown kind, an unknown key or a value of the wrong type or range.
 */
export function resolveModelParams(kind: string, given: Record<string, unknown>): Record<string, unknown> {
  if (!isKind(kind)) throw new UsageError(`unknown model kind "${kind}"`, { hint: `use one of: ${MODEL_KINDS.join(', ')}` });
  const entry = KINDS[kind];
  const defaults = entry.defaults();
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    // Stored forest params carry their kind; accept it back when it agrees.
    if (k === 'kind' && v === kind) continue;
    if (!(k in defaults) || k === 'kind') {
      throw new UsageError(`unknown parameter "${k}" for model ${kind}`, {
        hint: `known: ${Object.keys(defaults).filter((x) => x !== 'kind').join(', ')}`,
      });
    }
    out[k] = v;
  }
  return entry.check(out);
}


/**
 * Fit a model of a kind with resolved parameters (see resolveModelParams).
 * @throws UsageError for an unknown kind.
 */
export async function fitModel(kind: string, input: FitInput, params: Record<string, unknown>, rng: Rng): Promise<Classifier> {
  if (!isKind(kind)) throw new UsageError(`unknown model kind "${kind}"`, { hint: `use one of: ${MODEL_KINDS.join(', ')}` });
  return KINDS[kind].fit(input, params, rng);
}

/**
 * Rebuild a model from its stored state, validating it.
 * @throws DataError when the state is malformed or of an unknown kind.
 */
export function loadModel(state: unknown, where: string): Classifier {
  const o = expectObject(state, where);
  const kind = expectString(o['kind'], `${where}: kind`);
  if (isKind(kind)) return KINDS[kind].load(state, where);
  if (kind === 'majority') return MajorityModel.fromJSON(state, where);
  throw new DataError(`${where}: unknown model kind "${kind}"`, { hint: 'the file was written by a newer mm or edited by hand' });
}
