import { ACTIONS, NO_LABEL, type LabelSpec } from '../../core/labels/index.js';
import type { LabelFileResult } from '../../core/dataset/index.js';
import { num, renderTable, type TextTable } from './table.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

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

/** Per-bar labels: timestamp, close, forward return, thresholds in force, class ('' when unknown). */
export function labelTable(r: LabelFileResult): TextTable {
  const rows: (string | number | null)[][] = [];
  for (let t = 0; t < r.bars.n; t++) {
    const f = r.forward[t] as number;
    const a = r.thresholds.t1[t] as number;
    const b = r.thresholds.t2[t] as number;
    const y = r.labels[t] as number;
    rows.push([
      iso(r.bars.time[t] as number),
      r.bars.close[t] as number,
      Number.isFinite(f) ? Number(f.toPrecision(8)) : null,
      Number.isFinite(a) ? Number(a.toPrecision(8)) : null,
      Number.isFinite(b) ? Number(b.toPrecision(8)) : null,
      y === NO_LABEL ? null : (ACTIONS[y] as string),
    ]);
  }
  return { columns: ['timestamp', 'close', 'forward_return', 't1', 't2', 'label'], rows };
}
