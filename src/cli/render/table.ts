import Table from 'cli-table3';
import { csvText } from '../../core/util/csv-write.js';

/** A rectangular table, cells already formatted; renderers turn it into text. */
export interface TextTable {
  columns: string[];
  rows: (string | number | null)[][];
}

const cell = (v: string | number | null): string => (v === null ? '' : String(v));

/**
 * Aligned, borderless table, one record per line (grep/awk friendly); numbers right-aligned.
 */
export function renderTable(t: TextTable, opts: { title?: string } = {}): string {
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => r[j] === null || typeof r[j] === 'number' || /^-?[\d.]+%?$|^–$/.test(cell(r[j] ?? null))));
  const table = new Table({
    head: t.columns,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: numeric.map((n) => (n ? 'right' : 'left')),
  });
  for (const r of t.rows) table.push(r.map(cell));
  const body = table.toString().split('\n').map((l) => l.trimEnd()).join('\n');
  return opts.title ? `${opts.title}\n${body}\n` : `${body}\n`;
}

/** RFC 4180 CSV: quotes only where a cell needs them. */
export function toCsv(t: TextTable): string {
  return csvText(t.columns, t.rows);
}

/** Fixed decimals, '–' for missing values (null, NaN). */
export function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}
