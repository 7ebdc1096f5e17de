import { ACTIONS, NO_LABEL, type LabelSpec } from '../../core/labels/index.js';
import type { LabelFileResult } from '../../core/dataset/index.js';
import { isoUtc } from '../../core/data/index.js';
import type { Cell } from '../../core/util/csv-write.js';
import type { RowSource } from '../../core/util/table-stream.js';
import { num, renderTable, type TextTable } from './table.js';

/** Count and share of each class, one row per class. */
export function balanceTable(counts: readonly number[]): TextTable {
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    columns: ['class', 'bars', 'share'],
    rows: ACTIONS.map((a, k) => [a, counts[k] ?? 0, total > 0 ? `${num((100 * (counts[k] ?? 0)) / total, 1)}%` : '–']),
  };
}

/** The thresholds in words: the edges of docs/labels.md with the numbers filled in. */
export function describeThresholds(s: LabelSpec): string {
  const pct = (x: number | undefined): string => (x === undefined ? '?' : `${num(x * 100, 4)}%`);
  const h = `horizon ${s.horizon} bar${s.horizon > 1 ? 's' : ''}`;
  if (s.scheme === 'fixed') return `fixed thresholds t1 = ${pct(s.t1)}, t2 = ${pct(s.t2)} (${h})`;
  if (s.scheme === 'quantile') return `quantile thresholds q${s.q1}/q${s.q2} of |r| → t1 = ${pct(s.t1)}, t2 = ${pct(s.t2)} (${h})`;
  return `vol thresholds t1 = ${s.k1}·σ, t2 = ${s.k2}·σ over ${s.window} bars (${h})`;
}

export function renderLabelSummary(r: LabelFileResult): string {
  return `${describeThresholds(r.spec)}\nedges: r ≤ −t2 strong_sell, ≤ −t1 sell, |r| < t1 hold, ≥ t1 buy, ≥ t2 strong_buy\n\n${renderTable(balanceTable(r.counts))}`;
}

/** Per-bar labels: timestamp, close, forward return, thresholds in force, class ('' when unknown); exact numbers. */
export function labelRows(r: LabelFileResult): RowSource {
  const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    columns: ['timestamp', 'close', 'forward_return', 't1', 't2', 'label'],
    n: r.bars.n,
    row(t: number, out: Cell[]): void {
      const y = r.labels[t] as number;
      out[0] = isoUtc(r.bars.time[t] as number);
      out[1] = r.bars.close[t] as number;
      out[2] = fin(r.forward[t] as number);
      out[3] = fin(r.thresholds.t1[t] as number);
      out[4] = fin(r.thresholds.t2[t] as number);
      out[5] = y === NO_LABEL ? null : (ACTIONS[y] as string);
    },
  };
}
