import { DataError } from '../errors.js';

/**
 * Small guards for validating JSON we load back (run.json, model.json, feature specs): a corrupted
 * or hand-edited file must give a clear DataError naming the field, never a crash deeper down.
 */
export function expectObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

export function expectNumber(v: unknown, what: string, opts: { int?: boolean; min?: number; max?: number } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError(`${what} must be a finite number, got ${JSON.stringify(v)}`);
  if (opts.int && !Number.isInteger(v)) throw new DataError(`${what} must be an integer, got ${v}`);
  if (opts.min !== undefined && v < opts.min) throw new DataError(`${what} must be ≥ ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new DataError(`${what} must be ≤ ${opts.max}, got ${v}`);
  return v;
}

export function expectString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new DataError(`${what} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function expectArray(v: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(v)) throw new DataError(`${what} must be an array`);
  if (length !== undefined && v.length !== length) throw new DataError(`${what} must have ${length} entries, got ${v.length}`);
  return v;
}

export function expectNumberArray(v: unknown, what: string, length?: number): number[] {
  const arr = expectArray(v, what, length);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DataError(`${what}[${i}] must be a finite number`);
  }
  return arr as number[];
}

/**
 * Finite numbers as a JSON array or a typed array (a model's binary node arrays), checked element
 * by element without copying.
 */
export function expectNumbers(v: unknown, what: string, length?: number): ArrayLike<number> {
  if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)))) {
    throw new DataError(`${what} must be an array`);
  }
  const arr = v as ArrayLike<unknown>;
  if (length !== undefined && arr.length !== length) throw new DataError(`${what} must have ${length} entries, got ${arr.length}`);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DataError(`${what}[${i}] must be a finite number`);
  }
  return arr as ArrayLike<number>;
}
