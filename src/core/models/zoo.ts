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
import { CALIBRATION_METHODS, type CalibrateOption } from './calibration/calibrators.js';
import { CalibratedModel, fitCalibrated } from './calibration/calibrated.js';
import { EnsembleModel, fitEnsemble } from './ensemble.js';
import { memoFit } from './fit-memo.js';

/** Model kinds `mm train --model` accepts. */
export const MODEL_KINDS = ['rf', 'et', 'gb', 'hgb', 'logreg', 'mlp', 'knn', 'svc', 'ens'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
type SingleKind = Exclude<ModelKind, 'ens'>;

/**
 * `--calibrate` when not given, per kind: chosen by measurement (README, "Calibration").
 * Every kind's parameters carry `calibrate` and `calibrationFolds` (chronological inner folds of
 * the training rows the calibrator is fitted on).
 */
export const DEFAULT_CALIBRATION: Record<ModelKind, CalibrateOption> = {
  rf: 'sigmoid',
  et: 'sigmoid',
  gb: 'sigmoid',
  hgb: 'sigmoid',
  logreg: 'none',
  mlp: 'none',
  knn: 'isotonic',
  svc: 'sigmoid',
  ens: 'none',
};
export const DEFAULT_CALIBRATION_FOLDS = 3;
/** Members of `ens` when `members` is not given. */
export const DEFAULT_ENSEMBLE_MEMBERS: SingleKind[] = ['rf', 'hgb', 'logreg'];

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

/**
 * Where mm's defaults differ from the learners' scikit-learn shapes (defaultForestParams,
 * defaultBoostParams): chosen by a walk-forward search of test log-loss on real 5-minute bars
 * (README, "Models": the command and the figures).
 */
export const SEARCHED_DEFAULTS = {
  rf: { nTrees: 200, minSamplesLeaf: 20 },
  et: { nTrees: 200, minSamplesLeaf: 20 },
  hgb: { earlyStopping: true, maxLeafNodes: 15, learningRate: 0.05 },
} as const;

const forestEntry = (kind: 'rf' | 'et'): KindEntry => ({
  defaults: () => ({ ...defaultForestParams(kind), ...SEARCHED_DEFAULTS[kind] }) as unknown as Record<string, unknown>,
  check: (p) => {
    checkForestParams(p as unknown as ForestParams);
    return p;
  },
  fit: (input, p, rng) => fitForest(input, { ...(p as unknown as ForestParams), kind }, rng),
  load: (state) => ForestModel.fromJSON(state),
});

const boostEntry = (kind: 'gb' | 'hgb'): KindEntry => ({
  defaults: () => ({ ...defaultBoostParams(kind), ...(kind === 'hgb' ? SEARCHED_DEFAULTS.hgb : {}) }) as unknown as Record<string, unknown>,
  check: (p) => ({ ...readBoostParams(p, kind) }) as unknown as Record<string, unknown>,
  fit: (input, p, rng) => fitBoost(input, p as unknown as BoostParams, rng),
  load: (state, where) => BoostModel.fromJSON(state, where),
});

const KINDS: Record<SingleKind, KindEntry> = {
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
  const { calibrate, calibrationFolds, ...rest } = given;
  const cal = {
    calibrate: readCalibrate(calibrate ?? DEFAULT_CALIBRATION[kind], kind),
    calibrationFolds: readFolds(calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS, `${kind}.calibrationFolds`),
  };
  if (kind === 'ens') return { ...resolveEnsembleParams(rest), ...cal };
  const entry = KINDS[kind];
  const defaults = entry.defaults();
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(rest)) {
    // Stored forest params carry their kind; accept it back when it agrees.
    if (k === 'kind' && v === kind) continue;
    if (!Object.hasOwn(defaults, k) || k === 'kind') {
      throw new UsageError(`unknown parameter "${k}" for model ${kind}`, {
        hint: `known: ${[...Object.keys(defaults).filter((x) => x !== 'kind'), 'calibrate', 'calibrationFolds'].join(', ')}`,
      });
    }
    out[k] = v;
  }
  return { ...entry.check(out), ...cal };
}

/**
 * The parameters of a RECORDED run, for refitting its model (the promotion gate): runs recorded
 * before calibration existed carry no `calibrate` key and were not calibrated, so they get
 * `calibrate: "none"` rather than today's default for their kind.
 */
export function storedModelParams(params: Record<string, unknown>): Record<string, unknown> {
  return 'calibrate' in params ? params : { ...params, calibrate: 'none' };
}

function readCalibrate(v: unknown, kind: string): CalibrateOption {
  if (typeof v !== 'string' || !(CALIBRATION_METHODS as readonly string[]).includes(v)) {
    throw new UsageError(`calibrate for ${kind} must be one of ${CALIBRATION_METHODS.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as CalibrateOption;
}

function readFolds(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 10) throw new UsageError(`${what} must be a whole number from 1 to 10, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * `ens` parameters: `members` (kinds, each once, no ens), `params` per member (resolved like
 * that kind's own; members are not calibrated unless their params say so), `folds` (inner folds
 * the blend weights are fitted on).
 */
function resolveEnsembleParams(given: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(given)) {
    if (k !== 'members' && k !== 'params' && k !== 'folds' && k !== 'kind') {
      throw new UsageError(`unknown parameter "${k}" for model ens`, { hint: 'known: members, params, folds, calibrate, calibrationFolds' });
    }
  }
  const membersIn = given['members'] ?? DEFAULT_ENSEMBLE_MEMBERS;
  if (!Array.isArray(membersIn) || membersIn.length === 0 || membersIn.some((m) => typeof m !== 'string')) {
    throw new UsageError('ens.members must be a non-empty list of model kinds', { hint: `e.g. {"members": ${JSON.stringify(DEFAULT_ENSEMBLE_MEMBERS)}}` });
  }
  const members = membersIn as string[];
  for (const [i, m] of members.entries()) {
    if (m === 'ens' || !isKind(m)) throw new UsageError(`ens.members[${i}]: "${m}" is not a model kind an ensemble can hold`, { hint: `use: ${MODEL_KINDS.filter((k) => k !== 'ens').join(', ')}` });
    if (members.indexOf(m) !== i) throw new UsageError(`ens.members: "${m}" is listed twice`);
  }
  const pIn = given['params'] ?? {};
  if (typeof pIn !== 'object' || pIn === null || Array.isArray(pIn)) throw new UsageError('ens.params must be an object of member kind → parameters');
  const pObj = pIn as Record<string, unknown>;
  for (const k of Object.keys(pObj)) if (!members.includes(k)) throw new UsageError(`ens.params: "${k}" is not a member`, { hint: `members: ${members.join(', ')}` });
  const params: Record<string, Record<string, unknown>> = {};
  for (const m of members) {
    const g = pObj[m] ?? {};
    if (typeof g !== 'object' || g === null || Array.isArray(g)) throw new UsageError(`ens.params.${m} must be an object`);
    params[m] = resolveModelParams(m, { calibrate: 'none', ...(g as Record<string, unknown>) });
  }
  return { members, params, folds: readFolds(given['folds'] ?? DEFAULT_CALIBRATION_FOLDS, 'ens.folds') };
}

/**
 * Fit a model of a kind with resolved parameters (see resolveModelParams).
 * @throws UsageError for an unknown kind.
 */
export async function fitModel(kind: string, input: FitInput, params: Record<string, unknown>, rng: Rng): Promise<Classifier> {
  if (!isKind(kind)) throw new UsageError(`unknown model kind "${kind}"`, { hint: `use one of: ${MODEL_KINDS.join(', ')}` });
  const { calibrate, calibrationFolds, ...base } = params;
  const fitBase = (inp: FitInput, r: Rng): Promise<Classifier> | Classifier => {
    if (kind !== 'ens') return memoFit(kind, base, inp, r, () => KINDS[kind].fit(inp, base, r));
    const members = base['members'] as SingleKind[];
    const mp = base['params'] as Record<string, Record<string, unknown>>;
    return fitEnsemble(inp, members, base['folds'] as number, (m, mi, mr) => fitModel(members[m] as SingleKind, mi, mp[members[m] as SingleKind] ?? {}, mr), r);
  };
  if (calibrate === undefined || calibrate === 'none') return fitBase(input, rng);
  if (calibrate !== 'sigmoid' && calibrate !== 'isotonic') throw new UsageError(`unknown calibration "${String(calibrate)}"`);
  return fitCalibrated(input, calibrate, (calibrationFolds as number | undefined) ?? DEFAULT_CALIBRATION_FOLDS, fitBase, rng);
}

/**
 * Rebuild a model from its stored state, validating it.
 * @throws DataError when the state is malformed or of an unknown kind.
 */
export function loadModel(state: unknown, where: string): Classifier {
  const o = expectObject(state, where);
  const kind = expectString(o['kind'], `${where}: kind`);
  if (kind === 'calibrated') return CalibratedModel.fromJSON(state, where, loadModel);
  if (kind === 'ens') return EnsembleModel.fromJSON(state, where, loadModel);
  if (isKind(kind) && kind !== 'ens') return KINDS[kind].load(state, where);
  if (kind === 'majority') return MajorityModel.fromJSON(state, where);
  throw new DataError(`${where}: unknown model kind "${kind}"`, { hint: 'the file was written by a newer mm or edited by hand' });
}
