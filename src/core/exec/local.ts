import { UsageError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { setThreadBudget, threadBudget } from '../util/threads.js';
import { batchWeight, makeUnitCache, unitWeight, type Executor, type Unit, type UnitProgress, type UnitTable } from './types.js';

/** Look a unit kind up in the whitelist. @throws UsageError for a kind the table does not name. */
export function handlerFor(table: UnitTable, kind: unknown): NonNullable<ReturnType<UnitTable['get']>> {
  const h = typeof kind === 'string' ? table.get(kind) : undefined;
  if (h === undefined) throw new UsageError(`unknown unit kind ${JSON.stringify(kind)}`, { hint: `this mm runs: ${[...table.keys()].join(', ')}` });
  return h;
}

/**
 * The default backend: every unit in this process, one after the other, in order. `budget` caps the
 * threads a unit's learner may start while the batch runs (`--threads 1` passes 1: one core in all,
 * forests included); without it the learners follow the machine's free cores.
 */
export function localExecutor(table: UnitTable, clock: Clock, registry = './runs', budget?: number): Executor {
  const cache = makeUnitCache();
  return {
    kind: 'local',
    width: 1,
    cache,
    async run(units: Unit[], onDone?: UnitProgress): Promise<unknown[]> {
      const out: unknown[] = [];
      const total = batchWeight(units);
      let done = 0;
      const before = threadBudget();
      if (budget !== undefined) setThreadBudget(Math.min(before, budget));
      try {
        for (const u of units) {
          out.push(await handlerFor(table, u.kind)(u.params, { cache, clock, registry }));
          done += unitWeight(u);
          onDone?.(done, total, u.label);
        }
      } finally {
        setThreadBudget(before);
      }
      return out;
    },
    async close() {},
  };
}
