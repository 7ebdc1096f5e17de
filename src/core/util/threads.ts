import { availableParallelism, loadavg } from 'node:os';

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

/**
 * How many threads a parallel step should use when the user did not say: the machine's free cores,
 * measured when the step starts, not a constant.
 *
 * free = round(cores − (load1 − own)), at least 1 and at most cores, where cores is
 * os.availableParallelism(), load1 the 1-minute load average (os.loadavg: runnable threads of every
 * process) and own this process's share of it, estimated from its CPU time (a process busy at rate r
 * for t seconds adds r·(1 − e^(−t/60)) to the 1-minute average), so a long job does not count its own
 * idle-while-waiting main thread as someone else's load. Where no load average is reported (Windows
 * reports 0) every core counts as free.
 *
 * Why not a constant: on the shared 2-core development machine under load, RandomForest with 2 worker
 * threads took 0.33× scikit-learn's time against 0.28× with 1, ExtraTrees 1.42× against 1.15×; an
 * extra thread on a busy machine only adds contention.
 */
export function freeCores(cores = availableParallelism(), load1 = loadavg()[0] ?? 0, own = ownLoad()): number {
  const others = Number.isFinite(load1) && load1 > 0 ? Math.max(0, load1 - Math.max(0, own)) : 0;
  return Math.max(1, Math.min(cores, Math.round(cores - others)));
}

/** This process's estimated contribution to the 1-minute load average (see freeCores). */
export function ownLoad(): number {
  const t = process.uptime();
  if (!(t > 0)) return 0;
  const u = process.cpuUsage();
  const rate = (u.user + u.system) / 1e6 / t;
  return rate * (1 - Math.exp(-t / 60));
}

/** A thread count option: a whole number ≥ 1, or 'auto' for freeCores() at the time of use. */
export type Threads = number | 'auto';

export function resolveThreads(t: Threads): number {
  return t === 'auto' ? freeCores() : t;
}
