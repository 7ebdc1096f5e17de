import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DataError, NotFoundError } from '../errors.js';
import { expectArray, expectNumber, expectObject, expectString } from '../util/validate.js';
import { CALIBRATION_METHODS } from '../models/index.js';

/**
 * The cron pipeline's configuration (a small JSON file). Paths are relative to the file.
 * Steps run in order: ingest → compare → gate/promote → predict → drift; only `data` and
 * `compare` are required.
 */
export interface PipelineConfig {
  /** Directory of per-symbol CSVs the pipeline owns: ingest appends here, compare trains on it. */
  data: string;
  ingest: { from: string[] } | null;
  compare: { models: string[]; folds: number; scheme: string; window: number; seed: number; params: Record<string, unknown>; symbolFeature: string; marketContext: boolean; calibrate: string | null };
  gate: {
    alias: string;
    metric: string;
    minDelta: number;
    minRelDelta: number;
    /** Promote only a candidate whose score beats both naive baselines (majority, persistence). */
    requireBaselines: boolean;
    failOnReject: boolean;
  };
  predict: { input: string[]; out: string; minConfidence: number; weights: string | null; index: string | null } | null;
  drift: { current: string; failOnDrift: boolean } | null;
  /** Where compare's fits and predict's symbols run: a BullMQ queue URL (mm worker processes), else `threads` here. */
  queue: string | null;
  threads: number | null;
}

const KEYS: Record<string, string[] | null> = {
  data: null,
  ingest: ['from'],
  compare: ['models', 'folds', 'scheme', 'window', 'seed', 'params', 'symbolFeature', 'marketContext', 'calibrate'],
  gate: ['alias', 'metric', 'minDelta', 'minRelDelta', 'requireBaselines', 'failOnReject'],
  predict: ['input', 'out', 'minConfidence', 'weights', 'index'],
  drift: ['current', 'failOnDrift'],
  queue: null,
  threads: null,
};

/** A typo in a key must not silently fall back to a default. */
function checkKeys(o: Record<string, unknown>, known: string[], where: string): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new DataError(`${where}: unknown key "${k}"`, { hint: `known: ${known.join(', ')}` });
}

/**
 * Read and validate a pipeline config.
 * @throws NotFoundError for a missing file; DataError naming the field for anything malformed.
 */
export function readPipelineConfig(path: string): PipelineConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`pipeline config not found: ${path}`);
    throw new DataError(`${path} is not valid JSON (${(e as Error).message})`);
  }
  const o = expectObject(json, path);
  checkKeys(o, Object.keys(KEYS), path);
  for (const [k, sub] of Object.entries(KEYS)) {
    const v = o[k];
    if (sub !== null && v !== undefined && v !== null) checkKeys(expectObject(v, `${path}: ${k}`), sub, `${path}: ${k}`);
  }
  const base = dirname(path);
  const p = (x: string): string => (isAbsolute(x) ? x : resolve(base, x));
  const strs = (v: unknown, what: string): string[] => (typeof v === 'string' ? [v] : expectArray(v, what).map((x, i) => expectString(x, `${what}[${i}]`)));
  const opt = <T>(v: unknown, f: (x: Record<string, unknown>) => T): T | null => (v === undefined || v === null ? null : f(expectObject(v, path)));
  const c = expectObject(o['compare'], `${path}: compare`);
  const g = o['gate'] === undefined ? {} : expectObject(o['gate'], `${path}: gate`);
  const num = (x: Record<string, unknown>, k: string, d: number, what: string): number => (x[k] === undefined ? d : expectNumber(x[k], `${path}: ${what}.${k}`));
  return {
    queue: o['queue'] === undefined || o['queue'] === null ? null : expectString(o['queue'], `${path}: queue`),
    threads: o['threads'] === undefined || o['threads'] === null ? null : expectNumber(o['threads'], `${path}: threads`, { int: true, min: 1 }),
    data: p(expectString(o['data'], `${path}: data`)),
    ingest: opt(o['ingest'], (x) => ({ from: strs(x['from'], `${path}: ingest.from`).map(p) })),
    compare: {
      models: c['models'] === undefined ? ['rf'] : strs(c['models'], `${path}: compare.models`),
      folds: num(c, 'folds', 4, 'compare'),
      scheme: c['scheme'] === undefined ? 'quantile' : expectString(c['scheme'], `${path}: compare.scheme`),
      window: num(c, 'window', 20, 'compare'),
      seed: num(c, 'seed', 42, 'compare'),
      params: c['params'] === undefined ? {} : expectObject(c['params'], `${path}: compare.params`),
      symbolFeature: c['symbolFeature'] === undefined ? 'ordinal' : expectString(c['symbolFeature'], `${path}: compare.symbolFeature`),
      marketContext: c['marketContext'] === true,
      calibrate: c['calibrate'] === undefined ? null : calibrateValue(c['calibrate'], `${path}: compare.calibrate`),
    },
    gate: {
      alias: g['alias'] === undefined ? 'champion' : expectString(g['alias'], `${path}: gate.alias`),
      metric: g['metric'] === undefined ? 'logLoss' : expectString(g['metric'], `${path}: gate.metric`),
      minDelta: num(g, 'minDelta', 0, 'gate'),
      minRelDelta: num(g, 'minRelDelta', 0, 'gate'),
      requireBaselines: g['requireBaselines'] === true,
      failOnReject: g['failOnReject'] === true,
    },
    predict: opt(o['predict'], (x) => ({
      input: strs(x['input'], `${path}: predict.input`).map(p),
      out: p(expectString(x['out'], `${path}: predict.out`)),
      minConfidence: num(x, 'minConfidence', 0.6, 'predict'),
      weights: x['weights'] === undefined ? null : p(expectString(x['weights'], `${path}: predict.weights`)),
      index: x['index'] === undefined ? null : p(expectString(x['index'], `${path}: predict.index`)),
    })),
    drift: opt(o['drift'], (x) => ({ current: p(expectString(x['current'], `${path}: drift.current`)), failOnDrift: x['failOnDrift'] === true })),
  };
}

/** `compare.calibrate`: one of sigmoid, isotonic, none (absent: each kind's default). */
function calibrateValue(v: unknown, what: string): string {
  const s = expectString(v, what);
  if (!(CALIBRATION_METHODS as readonly string[]).includes(s)) throw new DataError(`${what} must be one of ${CALIBRATION_METHODS.join(', ')}, got "${s}"`);
  return s;
}
