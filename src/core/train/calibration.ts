import { reliabilityBins, scoreClassifier, type ReliabilityBin } from '../evaluate/index.js';
import { N_CLASSES } from '../labels/index.js';
import { CalibratedModel, floorProba, type Classifier } from '../models/index.js';

/** Proper scores and the reliability diagram of one set of probabilities. */
export type CalibrationSide = {
  rows: number;
  logLoss: number;
  macroF1: number;
  brier: number;
  ece: number;
  bins: ReliabilityBin[];
};

/**
 * What calibration did, recorded with a run: on the inner folds of the training rows (the model's
 * out-of-fold probabilities before, and after calibrators fitted on the other inner folds), and,
 * when the run has test rows, on them (the base model's probabilities against the calibrated ones).
 */
export type CalibrationReport = {
  method: 'sigmoid' | 'isotonic';
  folds: number;
  inner: { before: CalibrationSide; after: CalibrationSide };
  test: { before: CalibrationSide; after: CalibrationSide } | null;
};

function side(y: Uint8Array, proba: Float64Array): CalibrationSide {
  const m = scoreClassifier(y, proba, N_CLASSES);
  return { rows: y.length, logLoss: m.logLoss, macroF1: m.macroF1, brier: m.brier as number, ece: m.ece as number, bins: reliabilityBins(y, proba, N_CLASSES) };
}

/** The calibration report of a freshly fitted model, or null when it is not calibrated. */
export function calibrationReport(model: Classifier, test?: { columns: readonly Float64Array[]; n: number; y: Uint8Array }): CalibrationReport | null {
  if (!(model instanceof CalibratedModel) || model.diagnostics === null) return null;
  const d = model.diagnostics;
  let t: CalibrationReport['test'] = null;
  if (test !== undefined && test.n > 0) {
    const raw = floorProba(model.predictRaw(test.columns, test.n), test.n, N_CLASSES);
    const cal = floorProba(model.predictProba(test.columns, test.n), test.n, N_CLASSES);
    t = { before: side(test.y, raw), after: side(test.y, cal) };
  }
  return { method: d.method, folds: d.folds, inner: { before: side(d.y, d.before), after: side(d.y, d.after) }, test: t };
}
