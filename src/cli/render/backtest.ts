import { formatPercent as pct, formatStat, STAT_ROWS, type BacktestRunResult } from '../../core/backtest/index.js';
import { terminalChart } from './chart.js';
import { num, renderTable, type TextTable } from './table.js';

/** Strategy and buy-and-hold side by side, one statistic per row (the report shows the same rows). */
export function statsTable(r: BacktestRunResult): TextTable {
  const s = r.stats;
  const b = r.stats.benchmark;
  return {
    columns: ['statistic', 'strategy', 'buy & hold'],
    rows: STAT_ROWS.map((row) => [row.label, formatStat(s[row.key], row.format), formatStat(b[row.key], row.format)]),
  };
}

export function renderBacktest(r: BacktestRunResult, opts: { chart: boolean; width: number }): string {
  const e = r.execution;
  const lines: string[] = [];
  if (r.overlap !== null) {
    lines.push(`WARNING: the model was trained on ${r.overlap.bars} of these bars (${r.overlap.from} → ${r.overlap.to}); those statistics are in-sample and flattering. Use --refit-every for walk-forward, or bars after the training range.`, '');
  }
  lines.push(
    `backtest ${r.id}: ${r.symbol ?? ''} ${r.range.from} → ${r.range.to} (${r.range.bars} bars), ${r.source.model ?? r.source.kind}`,
    `fill ${e.fill}; fee ${e.feeBps} bps + slippage ${e.slippageBps} bps per unit turnover; min confidence ${e.minConfidence}; sizes strong ${e.sizes.strong} / weak ${e.sizes.weak}${e.longOnly ? '; long only' : ''}${e.flatAtClose ? '; flat at close' : ''}; ${r.periodsPerYear} periods/year`,
  );
  if (r.refits !== null) lines.push(`${r.refits.length} walk-forward refits, first at ${r.refits[0]?.at}`);
  if (r.sweep !== null) {
    lines.push(`min-confidence sweep on ${r.sweep.validation.from} → ${r.sweep.validation.to} by ${r.sweep.metric}: best ${r.sweep.best?.value ?? 'none'}; the table below is the later test range only`);
    lines.push(renderTable({ columns: ['min_confidence', r.sweep.metric], rows: r.sweep.rows.map((x) => [x.value, num(x.score, 4)]) }));
  }
  lines.push('', renderTable(statsTable(r)));
  lines.push(`excess return ${pct(r.stats.excessReturn)}; IC of expected score vs next return: ${num(r.stats.ic?.pearson ?? null, 4)} (rank ${num(r.stats.ic?.spearman ?? null, 4)}, n ${r.stats.ic?.n ?? 0})`);
  if (opts.chart) {
    const c0 = r.bars.close[0] as number;
    const bh = Float64Array.from(r.bars.close, (c) => c / c0);
    lines.push('', terminalChart([{ name: 'strategy', values: r.series.equity }, { name: 'buy & hold', values: bh }], { width: opts.width, height: 12 }));
  }
  return lines.join('\n');
}
