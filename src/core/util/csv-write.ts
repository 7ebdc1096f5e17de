/** A table cell: text, a number, or missing (null → empty cell). */
export type Cell = string | number | null;

/**
 * A float64 as text that parses back to the same bits: JavaScript's shortest round-trip form,
 * except that -0 keeps its sign. NaN is '' (a missing value); ±Infinity reads back via Number().
 */
export function exactNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Text a spreadsheet would run as a formula: the OWASP list of leading characters. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number written as text (e.g. a pre-formatted `-0.500`): harmless, left alone. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$/;

/**
 * A text cell made safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, tab or carriage
 * return gets a leading single quote, so Excel/LibreOffice/Sheets show it instead of evaluating it.
 * Numbers (and text that is a plain number) are never changed.
 */
export function neutraliseText(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell, the only way mm turns a value into CSV text: null → empty, numbers in their exact
 * round-trip form, text neutralised against formula injection and RFC 4180-quoted where needed.
 */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return exactNumber(v);
  const s = neutraliseText(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without the newline). */
export function csvLine(cells: readonly Cell[]): string {
  let s = '';
  for (let j = 0; j < cells.length; j++) s += (j === 0 ? '' : ',') + csvCell(cells[j] as Cell);
  return s;
}

/** RFC 4180 CSV of a small in-memory table (big tables stream through writeCsv in table-stream). */
export function csvText(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [csvLine(columns)];
  for (const r of rows) lines.push(csvLine(r));
  return `${lines.join('\n')}\n`;
}
