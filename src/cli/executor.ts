import { Flags } from '@oclif/core';
import { autoExecutor, localExecutor, queueExecutor, threadExecutor, type Executor } from '../core/exec/index.js';
import { UsageError } from '../core/errors.js';
import { UNITS } from '../core/units/index.js';
import { systemClock } from '../core/util/clock.js';
import { freeCores } from '../core/util/threads.js';

/** Where a command's independent units run: `--threads N` on this machine, or `--queue URL` on `mm worker`s. */
export const executorFlags = {
  threads: Flags.integer({
    description: 'worker threads for the independent units (default: one per free core; 1 = in this process, one after the other)',
    helpGroup: 'EXECUTION',
  }),
  queue: Flags.string({
    description: 'redis://HOST:PORT: enqueue the units for `mm worker` processes (BullMQ) instead of running them here',
    helpGroup: 'EXECUTION',
  }),
};

/** The default width of `--threads`: one thread per free core (measured over a short sample of the machine's CPU counters, at least one). */
export function defaultThreads(): number {
  return freeCores();
}

/**
 * Build the executor the flags ask for. Without --threads (and no command default), the width is
 * measured when a batch of several units is about to run; a batch of one runs in this process.
 * @throws UsageError for --threads with --queue or a bad count; ConflictError (exit 5) when Redis cannot be reached.
 */
export async function makeExecutor(
  flags: { threads?: number | undefined; queue?: string | undefined },
  o: { registry: string; version: string; /** --threads when not given (default: one per core) */ defaultThreads?: number },
): Promise<Executor> {
  if (flags.queue !== undefined) {
    if (flags.threads !== undefined) throw new UsageError('--threads and --queue do not go together', { hint: 'the queue workers choose their own --concurrency' });
    return queueExecutor({ url: flags.queue, registry: o.registry, version: o.version });
  }
  // No width given: measure the free cores when a batch of several units is about to run, not now.
  if (flags.threads === undefined && o.defaultThreads === undefined) return autoExecutor(UNITS, systemClock, o.registry, defaultThreads);
  const n = flags.threads ?? o.defaultThreads ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--threads must be a whole number ≥ 1, got ${n}`);
  // --threads 1: one core in all, so a forest inside a unit does not start tree threads either
  return n === 1 ? localExecutor(UNITS, systemClock, o.registry, 1) : threadExecutor(n, o.registry);
}
