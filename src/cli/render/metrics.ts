import { ACTIONS } from '../../core/labels/index.js';
import { isUncalibrated, type Metrics } from '../../core/evaluate/index.js';
import { num, renderTable, type TextTable } from './table.js';

/** One row per model on the same test rows: the comparison a user must see first. */
export function comparisonTable(entries: [string, Metrics][]): TextTable {
  return {
    columns: ['model', 'log_loss', 'brier', 'ece', 'macro_f1', 'bal_acc', 'accuracy', 'roc_auc', 'rank_ic'],
    rows: entries.map(([name, m]) => [
      name, num(m.logLoss), num(m.brier ?? null), num(m.ece ?? null), num(m.macroF1), num(m.balancedAccuracy), num(m.accuracy), num(m.macroRocAuc), num(m.rankIc),
    ]),
  };
}

export function perClassTable(m: Metrics): TextTable {
  return {
    columns: ['class', 'precision', 'recall', 'f1', 'support', 'roc_auc', 'pr_auc'],
    rows: m.perClass.map((c, k) => [ACTIONS[k] as string, num(c.precision), num(c.recall), num(c.f1), c.support, num(c.rocAuc), num(c.prAuc)]),
  };
}

/** Rows are true classes, columns predicted. */
export function confusionTable(m: Metrics): TextTable {
  return {
    columns: ['true \\ pred', ...ACTIONS],
    rows: m.confusion.map((row, k) => [ACTIONS[k] as string, ...row]),
  };
}

/** A recorded interval of "model minus baseline" in the metric's better direction, with its verdict. */
export interface IntervalView {
  delta: number;
  lo: number;
  hi: number;
  blocks: number;
  verdict: string;
}
export type VersusBaselines = Record<string, Record<string, IntervalView>>;

const METRIC_LABELS: Record<string, string> = { logLoss: 'log-loss', brier: 'Brier', macroF1: 'macro F1', balancedAccuracy: 'balanced accuracy' };
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${num(x, 4)}`;

/** Per headline metric and baseline: the difference with its 95% interval and the verdict read off it. */
export function intervalTable(vs: VersusBaselines): TextTable {
  const bases = Object.keys(vs);
  const metrics = [...new Set(bases.flatMap((b) => Object.keys(vs[b] ?? {})))];
  return {
    columns: ['model − baseline (better = +)', ...bases.flatMap((b) => [`vs ${b} (95% CI)`, 'verdict'])],
    rows: metrics.map((m) => [
      METRIC_LABELS[m] ?? m,
      ...bases.flatMap((b) => {
        const iv = vs[b]?.[m];
        return iv === undefined ? ['–', ''] : [`${signed(iv.delta)} [${signed(iv.lo)}, ${signed(iv.hi)}]`, iv.verdict];
      }),
    ]),
  };
}

/**
 * The verdict, read off the block-bootstrap intervals (real / worse / not significant), never off
 * point values: a run recorded without intervals gets none. Then whether its probabilities beat
 * the class frequencies.
 */
export function verdict(model: Metrics, baselines: [string, Metrics][], vs?: VersusBaselines): string {
  const majority = baselines.find(([n]) => n === 'majority')?.[1];
  const unc = isUncalibrated(model.logLoss, majority?.logLoss);
  const cal = unc === null ? '' : unc
    ? `\nprobabilities: UNCALIBRATED: log-loss ${num(model.logLoss, 4)} is not below the majority baseline's ${num(majority?.logLoss ?? null, 4)}`
    : `\nprobabilities: log-loss ${num(model.logLoss, 4)} below the majority baseline's ${num(majority?.logLoss ?? null, 4)} (better than the class frequencies)`;
  if (vs === undefined) return `verdict: none (this run was recorded without bootstrap intervals; point values are not a verdict)${cal}`;
  const on = Object.entries(vs).map(([b, per]) => {
    const iv = per['logLoss'];
    return iv === undefined ? `vs ${b} –` : `vs ${b} ${iv.verdict}`;
  });
  const blocks = Object.values(vs)[0]?.['logLoss']?.blocks;
  const few = blocks !== undefined && blocks < 10 ? ` (only ${blocks} sessions: too few for a trustworthy interval; use a longer test range)` : '';
  return `verdict on log-loss (95% block bootstrap over ${blocks ?? '?'} sessions, out of sample, same test rows): ${on.join(', ')}${few}${cal}`;
}

export function renderMetricsBlock(name: string, m: Metrics, baselines: [string, Metrics][], vs?: VersusBaselines): string {
  return [
    renderTable(comparisonTable([[name, m], ...baselines])),
    ...(vs === undefined ? [] : [renderTable(intervalTable(vs))]),
    verdict(m, baselines, vs),
    '',
    renderTable(perClassTable(m)),
    renderTable(confusionTable(m)),
  ].join('\n');
}
