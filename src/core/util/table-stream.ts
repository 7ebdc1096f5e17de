import { once } from 'node:events';
import { csvCell, exactNumber, type Cell } from './csv-write.js';
import { writeFileAtomic } from './fs-atomic.js';

/**
 * A table read one row at a time from columns (typed arrays), so writing it never builds a row
 * object per line nor the whole text at once. `row(i, out)` fills `out` (reused by the caller)
 * with the cells of row i.
 */
export interface RowSource {
  readonly columns: readonly string[];
  readonly n: number;
  row(i: number, out: Cell[]): void;
}

/** A RowSource over rows already in memory (small tables: summaries, trades). */
export function arrayRows(columns: readonly string[], rows: readonly (readonly Cell[])[]): RowSource {
  return {
    columns,
    n: rows.length,
    row(i, out) {
      const r = rows[i] as readonly Cell[];
      for (let j = 0; j < r.length; j++) out[j] = r[j] as Cell;
    },
  };
}

/**
 * Several tables with the same columns one after the other, each row led by its part's `key` in a
 * column named `keyColumn` (the long table of several symbols).
 */
export function concatRows(keyColumn: string, parts: readonly { key: string; rows: RowSource }[]): RowSource {
  const first = parts[0]?.rows.columns ?? [];
  const starts: number[] = [];
  let n = 0;
  for (const p of parts) {
    starts.push(n);
    n += p.rows.n;
  }
  let tmp: Cell[] = [];
  let part = 0;
  return {
    columns: [keyColumn, ...first],
    n,
    row(i, out) {
      // Rows are read in order almost always: move the part cursor instead of searching.
      if (i < (starts[part] as number) || (part + 1 < parts.length && i >= (starts[part + 1] as number))) {
        part = 0;
        while (part + 1 < parts.length && i >= (starts[part + 1] as number)) part++;
      }
      const p = parts[part] as { key: string; rows: RowSource };
      if (tmp.length !== first.length) tmp = new Array<Cell>(first.length).fill(null);
      p.rows.row(i - (starts[part] as number), tmp);
      out[0] = p.key;
      for (let j = 0; j < tmp.length; j++) out[j + 1] = tmp[j] as Cell;
    },
  };
}

/** Chunks of about this many characters are handed to the file or stream at a time. */
const CHUNK = 1 << 16;

/** The CSV text of a table in chunks: header, then one line per row. */
export function* csvChunks(src: RowSource): Generator<string> {
  const w = src.columns.length;
  const cells = new Array<Cell>(w).fill(null);
  let s = src.columns.map(csvCell).join(',') + '\n';
  for (let i = 0; i < src.n; i++) {
    src.row(i, cells);
    let line = '';
    for (let j = 0; j < w; j++) line += (j === 0 ? '' : ',') + csvCell(cells[j] as Cell);
    s += line + '\n';
    if (s.length >= CHUNK) {
      yield s;
      s = '';
    }
  }
  if (s !== '') yield s;
}

/** Write a table as a CSV file atomically, chunk by chunk (never the whole text in memory). */
export function writeCsvFile(path: string, src: RowSource): void {
  writeFileAtomic(path, csvChunks(src));
}

/** Rows that a JSON document carries as an array of records, written one record at a time. */
export class JsonRows {
  constructor(readonly src: RowSource) {}

  /** The records in memory, for the rare caller that wants the objects (not used for output). */
  toJSON(): Record<string, Cell>[] {
    const cols = this.src.columns;
    const cells = new Array<Cell>(cols.length).fill(null);
    const out: Record<string, Cell>[] = [];
    for (let i = 0; i < this.src.n; i++) {
      this.src.row(i, cells);
      const o: Record<string, Cell> = {};
      cols.forEach((c, j) => (o[c] = cells[j] as Cell));
      out.push(o);
    }
    return out;
  }
}

/** Several named row sets as one JSON object (`{"NVDA": [...], "AAPL": [...]}`), streamed. */
export class JsonRowsByKey {
  constructor(readonly parts: readonly { key: string; rows: RowSource }[]) {}

  toJSON(): Record<string, Record<string, Cell>[]> {
    return Object.fromEntries(this.parts.map((p) => [p.key, new JsonRows(p.rows).toJSON()]));
  }
}

const isStreamed = (v: unknown): boolean => v instanceof JsonRows || v instanceof JsonRowsByKey;

function containsStream(v: unknown): boolean {
  if (isStreamed(v)) return true;
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return false;
  if (Array.isArray(v)) return v.some(containsStream);
  return Object.values(v as Record<string, unknown>).some(containsStream);
}

/** A JSON number that parses back to the same float64 (-0 included); null when not finite. */
const jsonNumber = (x: number): string => (Number.isFinite(x) ? exactNumber(x) : 'null');

function* recordChunks(src: RowSource, indent: string): Generator<string> {
  const keys = src.columns.map((c) => `${JSON.stringify(c)}: `);
  const cells = new Array<Cell>(src.columns.length).fill(null);
  if (src.n === 0) {
    yield '[]';
    return;
  }
  let s = '[';
  for (let i = 0; i < src.n; i++) {
    src.row(i, cells);
    let rec = '{';
    for (let j = 0; j < keys.length; j++) {
      const v = cells[j] as Cell;
      rec += (j === 0 ? '' : ', ') + keys[j] + (v === null ? 'null' : typeof v === 'number' ? jsonNumber(v) : JSON.stringify(v));
    }
    s += `${i === 0 ? '' : ','}\n${indent}  ${rec}}`;
    if (s.length >= CHUNK) {
      yield s;
      s = '';
    }
  }
  yield `${s}\n${indent}]`;
}

function* valueChunks(v: unknown, indent: string): Generator<string> {
  if (v instanceof JsonRows) {
    yield* recordChunks(v.src, indent);
    return;
  }
  if (v instanceof JsonRowsByKey) {
    if (v.parts.length === 0) {
      yield '{}';
      return;
    }
    yield '{';
    for (let k = 0; k < v.parts.length; k++) {
      const p = v.parts[k] as { key: string; rows: RowSource };
      yield `${k === 0 ? '' : ','}\n${indent}  ${JSON.stringify(p.key)}: `;
      yield* recordChunks(p.rows, `${indent}  `);
    }
    yield `\n${indent}}`;
    return;
  }
  if (!containsStream(v)) {
    const text = JSON.stringify(v, null, 2) ?? 'null';
    yield indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
    return;
  }
  if (Array.isArray(v)) {
    yield '[';
    for (let k = 0; k < v.length; k++) {
      yield `${k === 0 ? '' : ','}\n${indent}  `;
      yield* valueChunks(v[k], `${indent}  `);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && typeof x !== 'function');
  yield '{';
  for (let k = 0; k < entries.length; k++) {
    const [key, x] = entries[k] as [string, unknown];
    yield `${k === 0 ? '' : ','}\n${indent}  ${JSON.stringify(key)}: `;
    yield* valueChunks(x, `${indent}  `);
  }
  yield `\n${indent}}`;
}

/**
 * A JSON document in chunks, indented by two spaces like JSON.stringify(v, null, 2), except that
 * JsonRows/JsonRowsByKey are streamed one compact record per line with exact numbers.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  let s = '';
  for (const c of valueChunks(value, '')) {
    s += c;
    if (s.length >= CHUNK) {
      yield s;
      s = '';
    }
  }
  yield `${s}\n`;
}

/**
 * Write chunks to a stream honouring backpressure: wait for 'drain' whenever the stream's buffer
 * is full, so a slow reader (a pipe into `head`, a slow disk) never makes mm buffer the output.
 * A reader that goes away (EPIPE) ends the output quietly.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  };
  stream.on('error', onError);
  try {
    for (const c of chunks) {
      if (closed) break;
      if (!stream.write(c)) await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
    }
  } finally {
    stream.off('error', onError);
  }
}
