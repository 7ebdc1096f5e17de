import { DataError, UsageError } from '../errors.js';
import { expectArray, expectNumber, expectObject, expectString } from '../util/validate.js';
import { validateFeatureSpec, type FeatureSpec } from '../features/index.js';
import { validateLabelSpec, type LabelSpec } from '../labels/index.js';
import { validateSymbolEncoding, type SymbolEncoding } from '../dataset/index.js';

/** Where a run's data came from: enough to tell whether two runs saw the same bars. */
export interface DataRef {
  paths: string[];
  sha256: string[];
  symbols: string[];
  rows: number;
  from: string;
  to: string;
  intervalMs: number;
}

/** run.json (docs/registry.md). Sections a later command adds (comparisons, backtests) go under `extra`. */
export interface RunRecord {
  schemaVersion: number;
  id: string;
  createdAt: string;
  mmVersion: string;
  command: string;
  seed: number;
  data: DataRef;
  features: FeatureSpec;
  labels: LabelSpec;
  model: { kind: string; params: Record<string, unknown>; file: string; sha256: string };
  split: Record<string, unknown>;
  metrics: Record<string, unknown>;
  timings: Record<string, number>;
  tags: Record<string, string>;
  /** Pooled runs: how the symbol is encoded as a feature (absent = no symbol feature). */
  symbolFeature?: SymbolEncoding;
  /** Calibrated models: scores and reliability bins before/after calibration (inner folds, test rows). */
  calibration?: Record<string, unknown>;
}

/**
 * Validate a run.json read from disk. Only the parts later commands rely on are checked in depth
 * (specs, model reference, data reference); metrics are carried as they are.
 * @throws DataError naming the file and field when the record is malformed or hand-edited wrongly.
 */
export function validateRunRecord(x: unknown, where: string): RunRecord {
  return asDataError(() => validateRecord(x, where));
}

/**
 * Run `f` on data read from disk: the spec validators it calls report a window or feature name out
 * of range as a usage error (right for a flag), but in a stored file it is bad data (exit 3).
 */
export function asDataError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw new DataError(e.message, { ...(e.hint === undefined ? {} : { hint: e.hint }), cause: e });
    throw e;
  }
}

function validateRecord(x: unknown, where: string): RunRecord {
  const o = expectObject(x, where);
  const str = (k: string): string => expectString(o[k], `${where}: ${k}`);
  const data = expectObject(o['data'], `${where}: data`);
  const model = expectObject(o['model'], `${where}: model`);
  const strings = (v: unknown, what: string): string[] => expectArray(v, what).map((s, i) => expectString(s, `${what}[${i}]`));
  const record: RunRecord = {
    schemaVersion: expectNumber(o['schemaVersion'], `${where}: schemaVersion`, { int: true }),
    id: str('id'),
    createdAt: str('createdAt'),
    mmVersion: str('mmVersion'),
    command: str('command'),
    seed: expectNumber(o['seed'], `${where}: seed`, { int: true }),
    data: {
      paths: strings(data['paths'], `${where}: data.paths`),
      sha256: strings(data['sha256'], `${where}: data.sha256`),
      symbols: strings(data['symbols'], `${where}: data.symbols`),
      rows: expectNumber(data['rows'], `${where}: data.rows`, { int: true, min: 0 }),
      from: expectString(data['from'], `${where}: data.from`),
      to: expectString(data['to'], `${where}: data.to`),
      intervalMs: expectNumber(data['intervalMs'], `${where}: data.intervalMs`, { min: 0 }),
    },
    features: validateFeatureSpec(o['features'], `${where}: features`),
    labels: validateLabelSpec(o['labels'], where),
    model: {
      kind: expectString(model['kind'], `${where}: model.kind`),
      params: expectObject(model['params'], `${where}: model.params`),
      file: expectString(model['file'], `${where}: model.file`),
      sha256: expectString(model['sha256'], `${where}: model.sha256`),
    },
    split: expectObject(o['split'], `${where}: split`),
    metrics: expectObject(o['metrics'], `${where}: metrics`),
    timings: expectObject(o['timings'] ?? {}, `${where}: timings`) as Record<string, number>,
    tags: expectObject(o['tags'] ?? {}, `${where}: tags`) as Record<string, string>,
  };
  if (o['calibration'] !== undefined) record.calibration = expectObject(o['calibration'], `${where}: calibration`);
  if (o['symbolFeature'] !== undefined) record.symbolFeature = validateSymbolEncoding(o['symbolFeature'], where);
  if (!/^[\w./-]+$/.test(record.model.file) || record.model.file.includes('..')) {
    throw new DataError(`${where}: model.file "${record.model.file}" must be a plain file name inside the run`);
  }
  return record;
}
