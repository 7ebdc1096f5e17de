import { readFileSync } from 'node:fs';
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
 * How long freeCores samples the machine when it has no recent reading, how long it keeps a result,
 * and the longest span between two readings it still uses without sampling again.
 */
export const SAMPLE_MS = 100;
export const CACHE_MS = 1000;
export const MAX_SPAN_MS = 10_000;
let cached: { at: number; value: number } | null = null;
/** The last reading of the machine's and this process's CPU time, and when it was taken. */
let last: { at: number; times: CpuTimes; own: NodeJS.CpuUsage } | null = null;

/** CPU time counters of the machine (all CPUs together), in the same unit for both. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * How many threads a parallel step should use when the user did not say: the machine's free cores,
 * measured when the step starts, not a constant.
 *
 * On Linux the measurement is direct: the machine's busy CPU time (/proc/stat) is sampled over
 * SAMPLE_MS, this process's own CPU time over the same span is taken out, and
 * free = round(cores × (1 − others' busy share)), at least 1 and at most cores (cores is
 * os.availableParallelism(), cgroup- and affinity-aware where Node knows it). The result is kept
 * for CACHE_MS; a later call measures the span since the previous reading instead of waiting again
 * (see measureFreeCores), so a command that starts many fits sleeps once.
 *
 * Where /proc/stat cannot be read, the 1-minute load average stands in (freeCoresFromLoad). It
 * lags: a machine that went idle a minute ago still reports a load near 1, which on 2 cores made
 * `mm compare` run on one thread of an idle machine (156 s instead of the 2-thread time); the
 * sample has no memory beyond its SAMPLE_MS.
 *
 * Why not a constant: on the shared 2-core development machine under load, RandomForest with 2 worker
 * threads took 0.33× scikit-learn's time against 0.28× with 1, ExtraTrees 1.42× against 1.15×; an
 * extra thread on a busy machine only adds contention.
 */
export function freeCores(): number {
  const now = performance.now();
  if (cached !== null && now - cached.at < CACHE_MS) return cached.value;
  const value = measureFreeCores(now) ?? freeCoresFromLoad(cores(), loadavg()[0] ?? 0, ownLoad());
  cached = { at: now, value };
  return value;
}

/**
 * From the span since the last reading when it is between SAMPLE_MS and MAX_SPAN_MS old (no wait:
 * a command that starts many fits pays for one sample), else from a fresh SAMPLE_MS sample.
 */
function measureFreeCores(now: number): number | null {
  const times = readCpuTimes();
  if (times === null) return null;
  const own = process.cpuUsage();
  const prev = last;
  last = { at: now, times, own };
  if (prev !== null && now - prev.at >= SAMPLE_MS && now - prev.at <= MAX_SPAN_MS) return freeCoresFromSample(cores(), prev.times, times, ticks(process.cpuUsage(prev.own)));
  const v = sampleFreeCores(cores(), SAMPLE_MS);
  const after = readCpuTimes();
  if (after !== null) last = { at: performance.now(), times: after, own: process.cpuUsage() };
  return v;
}

let sleeps = 0;
/** How many times this process has waited for a sample (tests). */
export function sampleWaits(): number {
  return sleeps;
}

/** Forget the kept measurement and reading (tests). */
export function forgetFreeCores(): void {
  cached = null;
  last = null;
}

const ticks = (u: NodeJS.CpuUsage): number => ((u.user + u.system) / 1e6) * USER_HZ;

/**
 * Sample the machine's CPU counters `ms` apart (this thread sleeps meanwhile) and turn them into
 * free cores; null where /proc/stat cannot be read or parsed.
 */
export function sampleFreeCores(n: number, ms: number): number | null {
  sleeps++;
  const a = readCpuTimes();
  if (a === null) return null;
  const own0 = process.cpuUsage();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const b = readCpuTimes();
  if (b === null) return null;
  return freeCoresFromSample(n, a, b, ticks(process.cpuUsage(own0)));
}

/** /proc/stat's clock ticks per second (USER_HZ, 100 on every Linux ABI Node runs on). */
const USER_HZ = 100;

/** The aggregate `cpu` line of /proc/stat: busy = user+nice+system+irq+softirq+steal, total = busy+idle+iowait. */
export function readCpuTimes(text?: string): CpuTimes | null {
  let s = text;
  if (s === undefined) {
    try {
      s = readFileSync('/proc/stat', 'latin1');
    } catch {
      return null;
    }
  }
  const m = /^cpu\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(?:\s+(\d+))?/m.exec(s);
  if (m === null) return null;
  const v = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * Free cores from two samples of the machine's CPU counters and this process's own CPU time between
 * them (same unit): others' busy share = (Δbusy − own) / Δtotal, free = round(n × (1 − share)),
 * within 1..n. No elapsed time (a counter that did not move) counts every core as free.
 */
export function freeCoresFromSample(n: number, a: CpuTimes, b: CpuTimes, own: number): number {
  const dt = b.total - a.total;
  if (!(dt > 0)) return Math.max(1, n);
  const others = Math.min(1, Math.max(0, (b.busy - a.busy - Math.max(0, own)) / dt));
  return Math.max(1, Math.min(n, Math.round(n * (1 - others))));
}

/**
 * The fallback: free = round(cores − (load1 − own)), at least 1 and at most cores, where load1 is the
 * 1-minute load average (runnable threads of every process) and own this process's share of it,
 * estimated from its CPU time (a process busy at rate r for t seconds adds r·(1 − e^(−t/60)) to the
 * 1-minute average). Where no load average is reported (Windows reports 0) every core counts as free.
 */
export function freeCoresFromLoad(n: number, load1: number, own: number): number {
  const others = Number.isFinite(load1) && load1 > 0 ? Math.max(0, load1 - Math.max(0, own)) : 0;
  return Math.max(1, Math.min(n, Math.round(n - others)));
}

/** This process's estimated contribution to the 1-minute load average (see freeCoresFromLoad). */
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
