import type { Clock } from '../util/clock.js';

/**
 * A unit of work is data, never code: a kind from a fixed table (see `core/units`) plus plain JSON
 * parameters (file paths with their sha256, seeds, fold indices, model kind and parameters). The
 * same unit gives the same result on every backend: in this process, on a worker thread, or on an
 * `mm worker` anywhere that sees the same files.
 */
export interface Unit {
  kind: string;
  params: unknown;
  /** Short human label for progress and worker logs ("rf fold 2/5"). */
  label: string;
  /**
   * Rough relative cost (any unit, larger = longer): a pool starts the costliest units first so
   * that no thread is left with a long unit at the end. Never changes a result.
   */
  cost?: number;
  /** How many steps of the progress display this unit is (a group of fits: one per fit); default 1. */
  weight?: number;
}

/** Progress weight of a unit (see Unit.weight). */
export function unitWeight(u: Unit): number {
  return u.weight !== undefined && Number.isInteger(u.weight) && u.weight > 0 ? u.weight : 1;
}

/** Total progress weight of a batch. */
export function batchWeight(units: readonly Unit[]): number {
  return units.reduce((a, u) => a + unitWeight(u), 0);
}

/** Per-process memo for what many units of one command share (parsed inputs, prepared folds). */
export interface UnitCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface UnitContext {
  cache: UnitCache;
  clock: Clock;
  /** This process's registry (shared by coordinator and workers): where units load models by run id. */
  registry: string;
}

/** Runs one unit; throws AppError subclasses for bad input (exit-code semantics travel with the error). */
export type UnitHandler = (params: unknown, ctx: UnitContext) => Promise<unknown>;

/** The whitelist: unit kind → handler. Lookups go through Map.get, never a plain-object key. */
export type UnitTable = ReadonlyMap<string, UnitHandler>;

/** Called once per finished unit: steps done so far, steps in the batch (a unit's weight, 1 unless it groups several fits), the unit's label. */
export type UnitProgress = (done: number, total: number, label: string) => void;

export interface Executor {
  readonly kind: 'local' | 'threads' | 'queue';
  /** Units that can run at once (1 for local; threads; the queue's live worker slots are unknown: 0). */
  readonly width: number;
  /** This process's memo: the local backend runs units here, so a caller may seed it with what it already computed. */
  readonly cache: UnitCache | null;
  /** Results in the order of `units`. Rejects with the first unit's error (AppError exit codes kept). */
  run(units: Unit[], onDone?: UnitProgress): Promise<unknown[]>;
  close(): Promise<void>;
}

/** A small LRU memo: the few most recent entries (inputs of one or two commands), never unbounded. */
export function makeUnitCache(max = 4): UnitCache {
  const m = new Map<string, unknown>();
  return {
    get(key) {
      if (!m.has(key)) return undefined;
      const v = m.get(key);
      m.delete(key);
      m.set(key, v);
      return v;
    },
    set(key, value) {
      m.delete(key);
      m.set(key, value);
      while (m.size > max) m.delete(m.keys().next().value as string);
    },
  };
}
