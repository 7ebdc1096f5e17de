import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One benchmark's result: a titled table. `npm run bench` prints every table; a `ratio` column
 * (ours / reference) makes the comparison the point, not the raw number.
 */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
  notes?: string[];
}

export interface Bench {
  name: string;
  run(): Promise<BenchTable[]>;
}

/**
 * Wall time of fn in seconds, best of `repeat` runs, and the process CPU time (user + system, all
 * threads) of that run: on a shared, loaded machine CPU time is the steadier measure of the work done.
 */
export async function timeIt<T>(fn: () => T | Promise<T>, repeat = 1): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  let best = Infinity;
  let cpu = Infinity;
  let value: T | undefined;
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    value = await fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    if (s < best) {
      best = s;
      cpu = (c.user + c.system) / 1e6;
    }
  }
  return { seconds: best, cpuSeconds: cpu, value: value as T };
}

/**
 * Debian's interpreter with scikit-learn, if installed (`apt-get install python3-sklearn`). It is not
 * always the first python3 on PATH, so try /usr/bin/python3 first. Returns null when unavailable.
 */
export function findSklearnPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

export function fmt(x: number | null, digits = 3): string {
  return x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** A train/test split as the scikit-learn scripts read it: X.f64 (rows × features, row-major, train then test) and y.u8 in dir. */
export function writeSplit(dir: string, train: { columns: Float64Array[]; n: number; y: Uint8Array }, test: { columns: Float64Array[]; n: number; y: Uint8Array }): { n: number; nf: number } {
  const n = train.n + test.n;
  const nf = train.columns.length;
  const X = new Float64Array(n * nf);
  for (let j = 0; j < nf; j++) {
    for (let i = 0; i < train.n; i++) X[i * nf + j] = (train.columns[j] as Float64Array)[i] as number;
    for (let i = 0; i < test.n; i++) X[(train.n + i) * nf + j] = (test.columns[j] as Float64Array)[i] as number;
  }
  writeFileSync(join(dir, 'X.f64'), Buffer.from(X.buffer));
  const yy = new Uint8Array(n);
  yy.set(train.y, 0);
  yy.set(test.y, train.n);
  writeFileSync(join(dir, 'y.u8'), yy);
  return { n, nf };
}
