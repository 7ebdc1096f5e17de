import type { ReliabilityBin } from '../../core/evaluate/index.js';
import type { CalibrationReport, CalibrationSide } from '../../core/train/index.js';
import { num, renderTable } from './table.js';

/** One text bar per bin: accuracy drawn as '#', the mean confidence marked with '|'. */
function bar(b: ReliabilityBin, width: number): string {
  if (b.count === 0 || b.accuracy === null || b.meanConfidence === null) return '';
  const acc = Math.round(b.accuracy * width);
  const conf = Math.min(width, Math.round(b.meanConfidence * width));
  const out: string[] = Array.from({ length: width + 1 }, (_, i) => (i < acc ? '#' : ' '));
  out[conf] = '|';
  return out.join('').trimEnd();
}

/**
 * The reliability diagram as text: per top-label confidence bin, rows, mean confidence and
 * accuracy before and after calibration, with bars (a calibrated bin has its '#'s end at its '|').
 */
export function reliabilityText(before: CalibrationSide, after: CalibrationSide, width = 30): string {
  const rows = before.bins.map((b, i) => {
    const a = after.bins[i] as ReliabilityBin;
    return [
      `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`,
      b.count, num(b.meanConfidence, 2), num(b.accuracy, 2),
      a.count, num(a.meanConfidence, 2), num(a.accuracy, 2),
      bar(a, width),
    ];
  }).filter((r) => (r[1] as number) > 0 || (r[4] as number) > 0);
  return renderTable({ columns: ['confidence', 'n_before', 'conf', 'acc', 'n_after', 'conf', 'acc', 'after: # accuracy, | confidence'], rows });
}

/** The calibration block of `mm train`: scores before/after on the inner folds and test rows, and the test rows' reliability diagram. */
export function renderCalibration(c: CalibrationReport): string {
  const line = (name: string, s: CalibrationSide): (string | number)[] => [name, s.rows, num(s.logLoss, 4), num(s.brier, 4), num(s.ece, 4), num(s.macroF1, 3)];
  const rows = [line('inner folds, before', c.inner.before), line('inner folds, after', c.inner.after)];
  if (c.test !== null) rows.push(line('test rows, before', c.test.before), line('test rows, after', c.test.after));
  const head = `calibration: ${c.method}, fitted on ${c.folds} chronological inner fold${c.folds === 1 ? '' : 's'} of the training rows ("inner after" uses calibrators fitted on the other inner folds)`;
  const shown = c.test ?? c.inner;
  return [
    renderTable({ columns: ['probabilities', 'rows', 'log_loss', 'brier', 'ece', 'macro_f1'], rows }, { title: head }),
    `reliability (${c.test === null ? 'inner folds' : 'test rows'}, top-label confidence bins)`,
    reliabilityText(shown.before, shown.after),
  ].join('\n');
}
