import type { WssBatchResult } from '../../core/wss/index.js';
import type { CorrelationStats, HitStats, Interval } from '../../core/wss/index.js';
import { terminalChart } from './chart.js';
import { num, renderTable } from './table.js';
import { formatPercent } from '../../core/backtest/index.js';

const ci = (c: Interval | null, d = 2): string => (c === null ? '' : ` [${num(c.lo, d)}, ${num(c.hi, d)}]`);
const hit = (h: HitStats): string => (h.n === 0 ? '0 signals' : `${h.hits}/${h.n} = ${num(h.hitRate, 3)}${ci(h.ci)}`);
const pValue = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${num(p, 3)}`);
const corr = (c: CorrelationStats): string =>
  c.pearson === null ? `– (${c.n} h)` : `${num(c.pearson, 3)}${ci(c.pearsonCi)}${c.pearsonCi === null ? '' : ` ${pValue(c.pearsonCi.p)}`} (${c.n} h, ${c.sessions} sessions)`;
const plural = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;

/** One line per fact about the weights: which snapshot weighted which hours, and who was left out. */
function weightLines(r: WssBatchResult): string[] {
  const w = r.wss;
  const lines: string[] = [];
  if (r.weights.pointInTime) {
    const used = w.snapshots.filter((u) => u.hours > 0).map((u) => `${u.date} (${plural(u.hours, 'hour')})`);
    lines.push(`weights: ${r.weights.snapshots.length} dated snapshots in ${r.weights.source}, each hour weighted by the latest on or before it: ${used.join(', ') || 'none applies'}`);
    if (w.noSnapshot > 0) lines.push(`${plural(w.noSnapshot, 'hour')} before the first snapshot (${r.weights.snapshots[0]?.date}) have no weights: HOLD`);
    for (const u of w.snapshots) {
      if (u.hours === 0) continue;
      if (u.unweighted.length > 0) lines.push(`without a weight in ${u.date} (not scored in its hours): ${u.unweighted.join(' ')}`);
      if (u.missingData.length > 0) lines.push(`weighted in ${u.date} but without data: ${u.missingData.join(' ')}`);
    }
    return lines;
  }
  const snap = r.weights.snapshots[0];
  const date = snap?.date ?? null;
  lines.push(`weights from ${r.weights.source} (${snap?.column ?? 'weight'}), one snapshot for every hour`);
  if (date !== null && w.n > 0 && new Date(w.times[0] as number).toISOString().slice(0, 10) < date) {
    lines.push(`note: the weights are dated ${date}, after the first hour: later weights are applied to earlier hours; pass a folder of dated snapshots (--weights DIR) for point-in-time weights`);
  }
  if (w.unweighted.length > 0) lines.push(`without a weight (not scored): ${w.unweighted.join(' ')}`);
  if (w.missingData.length > 0) lines.push(`weighted but without data: ${w.missingData.join(' ')}`);
  return lines;
}

export function renderWss(r: WssBatchResult, opts: { chart: boolean; width: number }): string {
  const w = r.wss;
  let minCov = 1;
  for (let i = 0; i < w.n; i++) minCov = Math.min(minCov, w.coverage[i] as number);
  const lines = [
    `${r.predictions.results.length} symbols predicted by ${r.predictions.model.version}`,
    ...weightLines(r),
    `${w.n} hours; WSS scored by ${w.options.use}; BUY ≥ ${w.options.buy}, SELL ≤ ${w.options.sell}; coverage min ${num(minCov, 3)}${w.flaggedLowCoverage > 0 ? `, ${w.flaggedLowCoverage} hours below --min-coverage forced to HOLD` : ''}`,
  ];
  const rows: (string | number)[][] = [
    ['model', r.counts.BUY, r.counts.SELL, r.counts.HOLD],
    ['persistence baseline', r.baseline.counts.BUY, r.baseline.counts.SELL, r.baseline.counts.HOLD],
  ];
  const cols = ['signals from', 'BUY', 'SELL', 'HOLD'];
  if (r.evaluation !== null) {
    cols.push('BUY hits [95% CI]', 'SELL hits [95% CI]', 'corr with next return [95% CI]');
    const ev = [r.evaluation.model, r.evaluation.baseline];
    rows.forEach((row, i) => {
      const e = ev[i];
      if (e !== undefined) row.push(hit(e.buy), hit(e.sell), corr(e.correlation));
    });
  }
  lines.push('', renderTable({ columns: cols, rows }));
  if (r.evaluation !== null) {
    const ev = r.evaluation;
    lines.push(`index up-hour share (the hit rate of always BUY): ${num(ev.model.upShare, 3)}${ci(ev.model.upShareCi)} over ${plural(ev.model.measured, 'hour')}`);
    const ex = ev.model.excluded;
    if (ex.noNextBar + ex.indexGap > 0) {
      const parts = [];
      if (ex.noNextBar > 0) parts.push(`${plural(ex.noNextBar, 'hour')} whose next index bar does not exist yet (the last hour)`);
      if (ex.indexGap > 0) parts.push(`${plural(ex.indexGap, 'hour')} in gaps of the index feed`);
      lines.push(`excluded from every count above: ${parts.join(', ')}`);
    }
    lines.push('hit-rate intervals: Wilson 95%; correlation: Pearson with a 95% bootstrap interval over whole sessions and its two-sided p-value');
    const pct = formatPercent;
    const t = (name: string, x: typeof ev.trade.model): (string | number)[] => [name, pct(x.stats.totalReturn), num(x.stats.sharpe, 2), pct(x.stats.maxDrawdown), x.stats.trades, pct(x.stats.feesPaid)];
    lines.push('', `trading the index on the signal (close fill, ${ev.trade.model.rows} hours, ${ev.trade.model.periodsPerYear} periods/year):`);
    lines.push(renderTable({
      columns: ['strategy', 'total return', 'Sharpe', 'max DD', 'trades', 'costs'],
      rows: [t('model signal', ev.trade.model), t('persistence signal', ev.trade.baseline), ['buy & hold index', pct(ev.trade.model.stats.benchmark.totalReturn), num(ev.trade.model.stats.benchmark.sharpe, 2), pct(ev.trade.model.stats.benchmark.maxDrawdown), 1, '0.00%']],
    }));
    if (ev.sweep !== null) {
      const sw = ev.sweep;
      lines.push(`threshold sweep on ${sw.validation.from} → ${sw.validation.to} (${sw.validation.hours} hours) by Sharpe: best ±${sw.best ?? 'none'}`);
      lines.push(renderTable({ columns: ['threshold', 'signals', 'sharpe'], rows: sw.rows.map((x) => [x.threshold, x.signals, num(x.sharpe, 2)]) }));
      lines.push(`test ${sw.test.from} → ${sw.test.to} with ±${sw.test.threshold}: total return ${pct(sw.test.stats.totalReturn)}, Sharpe ${num(sw.test.stats.sharpe, 2)}, trades ${sw.test.stats.trades} (buy & hold ${pct(sw.test.stats.benchmark.totalReturn)})`);
    }
  }
  if (opts.chart && w.n > 1) lines.push('', terminalChart([{ name: 'WSS', values: w.wss }], { width: opts.width, height: 10, bands: [w.options.buy, w.options.sell] }));
  return lines.join('\n');
}
