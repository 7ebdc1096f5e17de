import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tolerant readers for registry JSON: a report shows what a record holds and leaves out (or marks)
 * what it does not, so records written by older versions of mm still render.
 */
export type Obj = Record<string, unknown>;

export const obj = (x: unknown): Obj => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});
export const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
export const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** A numeric series; null entries (how records store gaps) and non-numbers become NaN. Null when not an array. */
export function numbers(x: unknown): number[] | null {
  return Array.isArray(x) ? x.map((v) => (typeof v === 'number' ? v : NaN)) : null;
}

/** An array of strings; null when not an array or any item is not a string. */
export function strings(x: unknown): string[] | null {
  return Array.isArray(x) && x.every((v) => typeof v === 'string') ? (x as string[]) : null;
}

/** The numeric (or null) fields of an object. */
export function scalars(x: unknown): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(obj(x))) if (typeof v === 'number' || v === null) out[k] = num(v);
  return out;
}

/** JSON records of a registry subfolder (comparisons/, backtests/, wss/), oldest first; unreadable ones carry an error. */
export function records(dir: string): { id: string; value: Obj | null; error: string | null }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const id = f.slice(0, -5);
    try {
      return { id, value: obj(JSON.parse(readFileSync(join(dir, f), 'utf8'))), error: null };
    } catch (e) {
      return { id, value: null, error: `cannot read ${join(dir, f)}: ${(e as Error).message}` };
    }
  });
}
