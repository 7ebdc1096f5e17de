import { createHash } from 'node:crypto';
import type { Rng } from '../util/rng.js';
import type { Classifier, FitInput } from './types.js';
import { stableJson } from '../util/stable-json.js';

/**
 * A scope in which fitting the same kind, parameters and seed state on the same rows returns the
 * model already fitted instead of fitting it again. `mm compare` opens one around the candidates of
 * one fold that an ensemble shares with its members: the ensemble's member fits on the inner folds
 * and on all rows are then exactly the calibrated members' base fits (same rows, same parameters,
 * same generators), done once. Models are never changed after fitting, so sharing one is safe.
 * Outside a scope nothing is kept.
 */
let memo: Map<string, Promise<Classifier>> | null = null;
let depth = 0;

export async function withFitMemo<T>(fn: () => Promise<T>): Promise<T> {
  if (depth++ === 0) memo = new Map();
  try {
    return await fn();
  } finally {
    if (--depth === 0) memo = null;
  }
}

/** Fit through the open scope's memo, or just fit when no scope is open. */
export function memoFit(kind: string, params: Record<string, unknown>, input: FitInput, rng: Rng, fit: () => Promise<Classifier> | Classifier): Promise<Classifier> | Classifier {
  if (memo === null) return fit();
  const key = `${kind}|${stableJson(params)}|${rng.stateKey()}|${fingerprint(input)}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const p = Promise.resolve(fit());
  memo.set(key, p);
  return p;
}

/** sha256 of everything a fit reads: sizes, every feature value's bytes, the labels, times and horizon. */
function fingerprint(input: FitInput): string {
  const h = createHash('sha256');
  const n = input.n;
  h.update(`${n}|${input.nClasses}|${input.columns.length}|${input.horizon ?? ''}|${input.time === undefined ? 0 : 1}|`);
  for (const c of input.columns) h.update(new Uint8Array(c.buffer, c.byteOffset, n * 8));
  h.update(new Uint8Array(input.y.buffer, input.y.byteOffset, n));
  if (input.time !== undefined) h.update(new Uint8Array(input.time.buffer, input.time.byteOffset, n * 8));
  return h.digest('hex');
}
