import { arrayRows, csvChunks, writeChunks, writeCsvFile, type RowSource } from '../core/util/table-stream.js';
import { renderTable, toCsv, type TextTable } from './render/table.js';

/**
 * Where a table goes: `--out` → CSV file (atomic); a terminal → aligned table; a pipe → CSV.
 * Returns the text for stdout ('' when written to a file). For small tables; big ones stream
 * through writeTable.
 */
export function tableOutput(t: TextTable, out: string | undefined, isTty = process.stdout.isTTY === true): string {
  if (out !== undefined) {
    writeCsvFile(out, arrayRows(t.columns, t.rows));
    return '';
  }
  return isTty ? renderTable(t) : toCsv(t);
}

/** Numbers on a terminal: six significant digits are enough to read (files keep every digit). */
const screen = (v: string | number | null): string | number | null => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/** The rows of a RowSource in memory for the terminal renderer, numbers rounded for reading. */
export function materialise(src: RowSource): TextTable {
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < src.n; i++) {
    const r = new Array<string | number | null>(src.columns.length).fill(null);
    src.row(i, r);
    rows.push(r.map(screen));
  }
  return { columns: [...src.columns], rows };
}

/**
 * A table of any size: `--out` → CSV file written chunk by chunk (atomic); a pipe → CSV streamed
 * to stdout with backpressure; a terminal → the aligned table. Never the whole CSV text at once.
 */
export async function writeTable(src: RowSource, out: string | undefined, isTty = process.stdout.isTTY === true): Promise<void> {
  if (out !== undefined) writeCsvFile(out, src);
  else if (isTty) process.stdout.write(renderTable(materialise(src)));
  else await writeChunks(process.stdout, csvChunks(src));
}
