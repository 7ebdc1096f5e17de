import type { CandidateResult, ComparisonResult } from '../../core/compare/index.js';
import { ECE_BINS } from '../../core/evaluate/index.js';
import { num, renderTable, type TextTable } from './table.js';

const pm = (s: { mean: number | null; std: number | null }, d = 3): string => (s.mean === null ? '–' : `${num(s.mean, d)} ± ${num(s.std, d)}`);

/** Difference to the best baseline in the rank metric's better direction, with its 95% interval. */
function edge(c: CandidateResult): string {
  const b = c.vsBestBaseline;
  if (b === null) return '';
  return `${b.delta >= 0 ? '+' : ''}${num(b.delta, 3)} [${num(b.lo, 3)}, ${num(b.hi, 3)}]`;
}

/** The verdict read off the interval, and the calibration mark. */
export function candidateVerdict(c: CandidateResult): string {
  if (c.isBaseline) return '';
  return [c.verdict ?? '', c.uncalibrated === true ? 'uncalibrated' : ''].filter((x) => x !== '').join('; ');
}

/** The ranked table: mean ± std across folds, the bootstrap edge over the best baseline, a verdict. */
export function compareTable(r: ComparisonResult): TextTable {
  const on = r.metric === 'accuracy' ? 'macroF1' : r.metric;
  return {
    columns: ['rank', 'model', 'log_loss', 'brier', 'ece', 'macro_f1', 'bal_acc', 'fit_s', `${on} vs ${r.bestBaseline} (95% CI)`, 'verdict'],
    rows: r.candidates.map((c) => [
      c.rank,
      c.isBaseline ? `${c.name} (baseline)` : c.name,
      pm(c.summary.logLoss),
      pm(c.summary.brier),
      pm(c.summary.ece),
      pm(c.summary.macroF1),
      pm(c.summary.balancedAccuracy),
      c.summary.fitMs.mean === null ? '–' : num(c.summary.fitMs.mean / 1000, 2),
      edge(c),
      candidateVerdict(c),
    ]),
    dropFirst: ['fit_s', 'bal_acc', 'brier', 'ece', 'rank'],
  };
}

export function renderCompare(r: ComparisonResult): string {
  const f = r.folds;
  const head = [
    `${r.data.length > 1 ? `${r.data.length} symbols pooled; ` : ''}labels ${r.labels.scheme}; walk-forward ${r.cv.mode}, ${r.cv.folds} folds, purge ${r.cv.purge}, embargo ${r.cv.embargo}; test ${f[0]?.test.from} → ${f[f.length - 1]?.test.to}`,
    `ranked by mean ${r.metric} across folds; CI = block bootstrap over sessions of the pooled out-of-fold difference to ${r.bestBaseline} (positive = better); verdict real / worse / not significant from that interval`,
    `uncalibrated = pooled out-of-fold log-loss not below the majority baseline's; ece = top-label expected calibration error, ${ECE_BINS} equal-width bins`,
    '',
  ].join('\n');
  const schemes = r.schemes.length > 1
    ? `threshold schemes (edge of the best candidate over the best baseline on ${r.metric}):\n${renderTable({ columns: ['scheme', 'best_candidate', 'edge', 'chosen'], rows: r.schemes.map((x) => [x.scheme, x.bestCandidate ?? '–', num(x.edge, 4), x.chosen ? 'yes' : '']) })}\n`
    : '';
  const runs = Object.entries(r.runs).map(([k, id]) => `${k}: ${id}`).join('\n');
  return `${head}${schemes}${renderTable(compareTable(r))}\ncomparison ${r.comparisonId}\n${runs}`;
}
