import { availableParallelism } from 'node:os';

/**
 * How many threads a learner may start from this thread. A pool that already keeps every core busy
 * (the worker threads of `--threads`, or `mm worker --concurrency`) lowers it so that nested pools
 * (forest trees) do not oversubscribe the machine. Results never depend on it: every learner gives
 * the same model for any thread count.
 */
let budget = Number.POSITIVE_INFINITY;

export function threadBudget(): number {
  return budget;
}

export function setThreadBudget(n: number): void {
  budget = Math.max(1, Math.floor(n));
}

/** Cores this process may use (cgroup-aware where Node knows it). */
export function cores(): number {
  return availableParallelism();
}
