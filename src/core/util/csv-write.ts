/** One CSV cell: empty for null, the plain string form otherwise. */
const cell = (v: string | number | null): string => (v === null ? '' : String(v));

/** RFC 4180 CSV: quotes only where a cell needs them. */
export function csvText(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const q = (v: string | number | null): string => {
    const s = cell(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(q).join(',')];
  for (const r of rows) lines.push(r.map(q).join(','));
  return `${lines.join('\n')}\n`;
}
