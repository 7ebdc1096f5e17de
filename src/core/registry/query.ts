import { UsageError } from '../errors.js';
import type { RunSummary } from './list.js';

const FIELDS = ['macroF1', 'logLoss', 'brier', 'ece', 'baselineMacroF1', 'rows', 'createdAt', 'id', 'kind'] as const;
type Field = (typeof FIELDS)[number];

export interface RunFilter {
  kind?: string;
  /** `key` or `key=value`. */
  tags?: string[];
  /** Conditions such as `macroF1>0.3` or `logLoss<=1.2`. */
  where?: string[];
  sort?: string;
  desc?: boolean;
}

interface Condition {
  field: Field;
  op: '<' | '<=' | '>' | '>=' | '=' | '!=';
  value: number | string;
}

function isField(f: string): f is Field {
  return (FIELDS as readonly string[]).includes(f);
}

/**
 * Parse `field op value`.
 * @throws UsageError naming the known fields for anything else.
 */
export function parseCondition(expr: string): Condition {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(<=|>=|!=|<|>|=)\s*(.+?)\s*$/.exec(expr);
  if (m === null || !isField(m[1] as string)) {
    throw new UsageError(`cannot read the condition "${expr}"`, { hint: `write field<op>value with a field of ${FIELDS.join(', ')}, e.g. 'macroF1>0.3'` });
  }
  const raw = m[3] as string;
  const value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { field: m[1] as Field, op: m[2] as Condition['op'], value };
}

function holds(r: RunSummary, c: Condition): boolean {
  const v = r[c.field];
  if (v === null || v === undefined) return false;
  const a = typeof c.value === 'number' ? Number(v) : String(v);
  const b = c.value;
  switch (c.op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '=': return a === b;
    default: return a !== b;
  }
}

/** Filter and sort run summaries for `mm runs list`. Runs that fail a condition's field (null) drop out. */
export function queryRuns(runs: RunSummary[], f: RunFilter): RunSummary[] {
  const conds = (f.where ?? []).map(parseCondition);
  let out = runs.filter(
    (r) =>
      (f.kind === undefined || r.kind === f.kind) &&
      (f.tags ?? []).every((t) => {
        const i = t.indexOf('=');
        return i < 0 ? t in r.tags : r.tags[t.slice(0, i)] === t.slice(i + 1);
      }) &&
      conds.every((c) => holds(r, c)),
  );
  if (f.sort !== undefined) {
    if (!isField(f.sort)) throw new UsageError(`cannot sort by "${f.sort}"`, { hint: `use one of ${FIELDS.join(', ')}` });
    const key = f.sort;
    const dir = f.desc ? -1 : 1;
    out = [...out].sort((x, y) => {
      const a = x[key];
      const b = y[key];
      if (a === null) return 1;
      if (b === null) return -1;
      return (a < b ? -1 : a > b ? 1 : 0) * dir;
    });
  }
  return out;
}
