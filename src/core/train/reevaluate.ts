import { readBarsFile } from '../data/index.js';
import { selectRows } from '../dataset/index.js';
import { scoreClassifier, type Metrics } from '../evaluate/index.js';
import { computeFeatures, type FeatureSpec } from '../features/index.js';
import { labelBars, N_CLASSES, NO_LABEL } from '../labels/index.js';
import { DataError } from '../errors.js';
import { fitModel, floorProba, MajorityModel, type Classifier } from '../models/index.js';
import type { RunRecord } from '../registry/index.js';
import { Rng } from '../util/rng.js';

export interface Contender {
  name: string;
  features: FeatureSpec;
  model: Classifier;
}

/** A contender given as a recipe: its kind and parameters are fitted on the basis run's training rows. */
export interface RefitContender {
  name: string;
  features: FeatureSpec;
  refit: { kind: string; params: Record<string, unknown>; seed: number };
}

/** Scores of several models on the same rows of one run's holdout, with what a bootstrap needs. */
export interface HoldoutEvaluation {
  metrics: Record<string, Metrics>;
  /** The majority baseline fitted on the basis run's training rows, scored on the same rows. */
  majority: Metrics;
  /** The rows scored: true classes, bar times, and each contender's probabilities (row-major). */
  y: Uint8Array;
  time: Float64Array;
  proba: Record<string, Float64Array>;
  /** Training rows a refitted contender was fitted on (0 when none was refitted). */
  refitRows: number;
}

function holdoutRange(basis: RunRecord, side: 'train' | 'test'): { start: number; end: number } {
  const range = (basis.split as Record<string, { start?: unknown; end?: unknown } | undefined>)[side];
  if (typeof range?.start !== 'number' || typeof range.end !== 'number') {
    throw new DataError(`run ${basis.id} has no holdout ${side} range to re-evaluate on`, {
      hint: 'gate it against a champion from the same evaluation, or promote with --force',
    });
  }
  return { start: range.start, end: range.end };
}

/**
 * Score several models on the test rows of one run's evaluation (its data file, its fitted label
 * thresholds, its test range), restricted to the rows every model can score, so the numbers are
 * comparable even when the models use different feature windows. A `RefitContender` is first
 * fitted, with its own kind, parameters, seed and feature spec, on the basis run's training rows
 * (the rows the basis model was fitted on), so it is never scored on rows it was fitted on.
 * @throws DataError when the run's data file changed since it was recorded or has no holdout
 *   range; NotFoundError when the file is gone.
 */
export async function evaluateOnRunHoldout(basis: RunRecord, contenders: (Contender | RefitContender)[], onProgress?: (done: number, total: number) => void): Promise<HoldoutEvaluation> {
  const path = basis.data.paths[0];
  if (path === undefined || basis.data.paths.length !== 1) {
    throw new DataError(`run ${basis.id} was trained on ${basis.data.paths.length} files; only a one-file holdout can be re-evaluated`, {
      hint: 'gate it against a champion from the same evaluation, or promote with --force',
    });
  }
  const test = holdoutRange(basis, 'test');
  const { bars, report } = readBarsFile(path);
  if (report.sha256 !== basis.data.sha256[0]) {
    throw new DataError(`${path} changed since run ${basis.id} was trained (sha256 differs), so its evaluation cannot be repeated`, {
      hint: 'restore the original file, or retrain both runs on the same data',
    });
  }
  const y = labelBars(bars.close, basis.labels);
  const own = computeFeatures(bars, basis.features);
  const frames = contenders.map((c) => computeFeatures(bars, c.features));
  const train = holdoutRange(basis, 'train');
  // The basis run's own training rows (its spec): what the majority baseline is fitted on.
  const basisTrain = selectRows(own.columns, y, train.start, train.end);
  let refitRows = 0;
  const models: Classifier[] = [];
  for (let i = 0; i < contenders.length; i++) {
    const c = contenders[i] as Contender | RefitContender;
    if ('model' in c) {
      models.push(c.model);
      continue;
    }
    const rows = selectRows((frames[i] as { columns: Float64Array[] }).columns, y, train.start, train.end);
    refitRows = rows.n;
    models.push(await fitModel(c.refit.kind, { columns: rows.columns, n: rows.n, y: rows.y, nClasses: N_CLASSES, ...(onProgress === undefined ? {} : { onProgress }) }, c.refit.params, new Rng(c.refit.seed)));
  }
  // Rows scoreable by every contender: a label and finite features under each one's spec.
  const mask = Uint8Array.from(y);
  for (const f of [own, ...frames]) {
    for (let t = test.start; t < test.end; t++) {
      for (const col of f.columns) {
        if (!Number.isFinite(col[t] as number)) {
          mask[t] = NO_LABEL;
          break;
        }
      }
    }
  }
  const metrics: Record<string, Metrics> = {};
  const proba: Record<string, Float64Array> = {};
  let rowsY: Uint8Array = new Uint8Array(0);
  let time = new Float64Array(0);
  contenders.forEach((c, i) => {
    const rows = selectRows((frames[i] as { columns: Float64Array[] }).columns, mask, test.start, test.end);
    // Scored exactly as mm train and mm predict write probabilities: none exactly 0 or 1.
    const p = floorProba((models[i] as Classifier).predictProba(rows.columns, rows.n), rows.n, N_CLASSES);
    metrics[c.name] = scoreClassifier(rows.y, p, N_CLASSES);
    proba[c.name] = p;
    rowsY = rows.y;
    time = Float64Array.from(rows.index, (t) => bars.time[t] as number);
  });
  const ownTest = selectRows(own.columns, mask, test.start, test.end);
  const majority = scoreClassifier(ownTest.y, MajorityModel.fit(basisTrain.y, N_CLASSES, own.columns.length).predictProba(ownTest.columns, ownTest.n), N_CLASSES);
  return { metrics, majority, y: rowsY, time, proba, refitRows };
}

/**
 * Score several fitted models on the test rows of one run's evaluation; see `evaluateOnRunHoldout`.
 * @throws DataError when the run's data file changed or has no holdout range.
 */
export async function scoreOnRunSplit(basis: RunRecord, contenders: Contender[]): Promise<Record<string, Metrics>> {
  return (await evaluateOnRunHoldout(basis, contenders)).metrics;
}
