import type { Clock } from '../util/clock.js';
import { localExecutor } from './local.js';
import { threadExecutor } from './threads.js';
import type { Executor, Unit, UnitProgress, UnitTable } from './types.js';

/**
 * The default when the user names no width: each batch decides when it runs. A batch of one unit,
 * or a machine with one free core at that moment (`freeCores`, measured over a short sample), runs in
 * this process; otherwise a pool of min(free cores, units) worker threads, kept for later batches.
 * The results are those of any other backend: in unit order, independent of the width.
 */
export function autoExecutor(table: UnitTable, clock: Clock, registry: string, measure: () => number): Executor {
  const local = localExecutor(table, clock, registry);
  let pool: Executor | null = null;
  return {
    kind: 'threads',
    width: 0,
    cache: local.cache,
    async run(units: Unit[], onDone?: UnitProgress): Promise<unknown[]> {
      if (pool === null) {
        if (units.length <= 1) return local.run(units, onDone);
        const n = Math.min(measure(), units.length);
        if (n <= 1) return local.run(units, onDone);
        pool = threadExecutor(n, registry);
      }
      return pool.run(units, onDone);
    },
    async close() {
      await pool?.close();
    },
  };
}
