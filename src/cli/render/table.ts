import Table from 'cli-table3';
import { csvText } from '../../core/util/csv-write.js';

/** A rectangular table, cells already formatted; renderers turn it into text. */
export interface TextTable {
  columns: string[];
  rows: (string | number | null)[][];
  /** On a narrow terminal, columns to leave out first (then from the right); the first column always stays. */
  dropFirst?: string[];
}

/** The terminal a table is drawn on: its width, and how many rows to show before head … tail. */
export interface TerminalFit {
  width: number;
  maxRows: number;
}

let terminal: TerminalFit | null = null;

/**
 * Set (or clear) the terminal that tables fit: the CLI does this when stdout is a terminal, so
 * pipes and files always get every column and row.
 */
export function setTerminalFit(fit: TerminalFit | null): void {
  terminal = fit;
}

/** The width and rows of stdout when it is a terminal (COLUMNS overrides the width), else null. */
export function terminalFitFromStdout(stdout: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): TerminalFit | null {
  if (stdout.isTTY !== true) return null;
  const cols = Number(env['COLUMNS']);
  const width = Number.isInteger(cols) && cols > 0 ? cols : stdout.columns ?? 80;
  const rows = stdout.rows ?? 24;
  return { width: Math.max(40, width), maxRows: Math.max(20, rows - 6) };
}

const HEAD_TAIL = 8;

/** Word-wrap a note to the terminal width. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/**
 * Cut a table to the terminal: keep head and tail rows when there are more than fit, and leave
 * out columns (the `dropFirst` ones first, then from the right) until the widest line fits. Returns
 * the table to draw and a note that says what was left out and how to get everything.
 */
export function fitTable(t: TextTable, fit: TerminalFit): { table: TextTable; note: string | null } {
  const notes: string[] = [];
  let rows = t.rows;
  let gap: number | null = null;
  if (rows.length > fit.maxRows) {
    gap = rows.length - 2 * HEAD_TAIL;
    rows = [...rows.slice(0, HEAD_TAIL), ...rows.slice(rows.length - HEAD_TAIL)];
    notes.push(`${t.rows.length.toLocaleString('en-US')} rows, ${gap.toLocaleString('en-US')} not shown`);
  }
  const widths = t.columns.map((c, j) => Math.max(c.length, ...rows.map((r) => cell(r[j] ?? null).length)));
  const keep = t.columns.map(() => true);
  const total = (): number => widths.reduce((a, w, j) => a + (keep[j] ? w + 2 : 0), -2);
  const order = [...(t.dropFirst ?? []).map((c) => t.columns.indexOf(c)).filter((j) => j > 0), ...t.columns.map((_, j) => t.columns.length - 1 - j).filter((j) => j > 0)];
  const dropped: string[] = [];
  for (const j of order) {
    if (total() <= fit.width) break;
    if (!keep[j]) continue;
    keep[j] = false;
    dropped.push(t.columns[j] as string);
  }
  if (dropped.length > 0) notes.push(`${t.columns.length - dropped.length} of ${t.columns.length} columns shown (left out: ${dropped.join(', ')})`);
  const idx = t.columns.map((_, j) => j).filter((j) => keep[j]);
  const pick = (r: (string | number | null)[]): (string | number | null)[] => idx.map((j) => r[j] ?? null);
  const table: TextTable = { columns: idx.map((j) => t.columns[j] as string), rows: rows.map(pick) };
  if (gap !== null) {
    const marker = idx.map((_, k) => (k === 0 ? '…' : ''));
    table.rows = [...table.rows.slice(0, HEAD_TAIL), marker, ...table.rows.slice(HEAD_TAIL)];
  }
  return { table, note: notes.length === 0 ? null : wrap(`(${notes.join('; ')}: a pipe, --out FILE or --json gets everything)`, fit.width) };
}

const cell = (v: string | number | null): string => (v === null ? '' : String(v));

/**
 * Aligned, borderless table, one record per line (grep/awk friendly); numbers right-aligned.
 */
export function renderTable(full: TextTable, opts: { title?: string; fit?: TerminalFit | null } = {}): string {
  const fit = opts.fit === undefined ? terminal : opts.fit;
  const fitted = fit === null ? { table: full, note: null } : fitTable(full, fit);
  const t = fitted.table;
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => r[j] === null || typeof r[j] === 'number' || /^-?[\d.]+%?$|^[–…]?$/.test(cell(r[j] ?? null))));
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
  const body = table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + (fitted.note === null ? '' : `\n${fitted.note}`);
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
