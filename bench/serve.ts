import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBarsFile } from '../src/core/data/index.js';
import { defaultFeatureSpec } from '../src/core/features/index.js';
import { makeLabelSpec } from '../src/core/labels/index.js';
import { setAlias } from '../src/core/registry/index.js';
import { barsNeeded } from '../src/core/serve/index.js';
import { trainModel } from '../src/core/train/index.js';
import { fixedClock } from '../src/core/util/clock.js';
import { fmt, type Bench, type BenchTable } from './lib.js';

const SHARED = '../shared/data/a5m/NVDA.csv';
const FALLBACK = 'test/fixtures/cli/NVDA_train.csv';
const TRAIN_BARS = 5000;
const DURATION_S = Number(process.env['MM_BENCH_SERVE_SECONDS'] ?? 5);
const CONNECTIONS = 10;
const TARGET_P99_MS = 10;
const TARGET_RPS = 1000;

/** The subset of autocannon's programmatic API used here (the package ships no types). */
interface CannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (o: { url: string; method: string; headers: Record<string, string>; body: string; connections: number; duration: number }) => Promise<CannonResult>;

/**
 * `POST /predict` under load: the default random forest (100 trees, window 20) trained on the
 * last 5,000 bars of the real NVDA 5-minute file, served by `mm serve`'s app in a child process
 * (one Node thread, so "one core"), loaded by autocannon from this process on 127.0.0.1 for a
 * bounded time with a realistic body: the W + 1 bars one prediction needs.
 */
export const serveBench: Bench = {
  name: 'serve',
  async run(): Promise<BenchTable[]> {
    const source = existsSync(SHARED) ? SHARED : FALLBACK;
    const dir = mkdtempSync(join(tmpdir(), 'mm-bench-serve-'));
    try {
      const all = readBarsFile(source).bars;
      const from = Math.max(0, all.n - TRAIN_BARS);
      const csv = ['timestamp,open,high,low,close,volume'];
      for (let i = from; i < all.n; i++) csv.push([new Date(all.time[i] as number).toISOString(), all.open[i], all.high[i], all.low[i], all.close[i], all.volume[i]].join(','));
      const path = join(dir, 'NVDA.csv');
      writeFileSync(path, `${csv.join('\n')}\n`);
      const clock = fixedClock('2026-01-01T00:00:00Z');
      const features = defaultFeatureSpec(20);
      const trained = await trainModel(
        { path, features, labels: makeLabelSpec({}), model: { kind: 'rf', params: {} }, testFraction: 0.3, seed: 42, registry: dir, command: 'bench', mmVersion: 'bench' },
        { clock },
      );
      setAlias(dir, 'champion', trained.runId, { clock, lockTimeoutMs: 1000, forced: true, gate: () => null });
      // A second model (another seed) for the alias moves.
      const other = await trainModel(
        { path, features, labels: makeLabelSpec({}), model: { kind: 'rf', params: {} }, testFraction: 0.3, seed: 43, registry: dir, command: 'bench', mmVersion: 'bench' },
        { clock },
      );

      const need = barsNeeded(features);
      const bars = [];
      for (let i = all.n - need; i < all.n; i++) {
        bars.push({ timestamp: new Date(all.time[i] as number).toISOString(), open: all.open[i], high: all.high[i], low: all.low[i], close: all.close[i], volume: all.volume[i] });
      }
      const body = JSON.stringify({ symbol: 'NVDA', bars });

      const server = await startChild(dir);
      let r: CannonResult;
      let m: CannonResult;
      let moves = 0;
      let served: string[] = [];
      try {
        const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;
        const load = (): Promise<CannonResult> =>
          autocannon({ url: `${server.url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: DURATION_S });
        r = await load();
        // The same load while another process moves the alias between the two runs every MOVE_MS
        // (as `mm promote --force` would): the server must load and swap off the request path.
        const mover = startMover(dir, [other.runId, trained.runId]);
        try {
          m = await load();
        } finally {
          moves = await mover.stop();
        }
        served = [trained.runId, other.runId];
      } finally {
        server.stop();
      }
      const ok = r.requests.total - r.non2xx;
      const okMoving = m.requests.total - m.non2xx;
      const ms = (x: number): string => (x === 0 ? '< 1' : fmt(x, 0));
      return [
        {
          title: `mm serve: POST /predict with ${need} bars, ${CONNECTIONS} connections, ${DURATION_S} s (rf 100 trees)`,
          columns: ['metric', 'measured', 'target', 'ratio to target'],
          rows: [
            // autocannon's histogram has whole-millisecond buckets: 0 means under 1 ms.
            ['p50 latency (ms)', r.latency.p50 === 0 ? '< 1' : fmt(r.latency.p50, 0), '–', null],
            ['mean latency (ms)', fmt(r.latency.average, 2), '–', null],
            ['p99 latency (ms)', r.latency.p99 === 0 ? '< 1' : fmt(r.latency.p99, 0), `< ${TARGET_P99_MS}`, fmt(Math.max(r.latency.p99, 1) / TARGET_P99_MS, 2)],
            ['requests/s', fmt(r.requests.average, 0), `> ${TARGET_RPS}`, fmt(r.requests.average / TARGET_RPS, 2)],
            ['responses 2xx / total', `${ok} / ${r.requests.total}`, 'all', null],
          ],
          notes: [
            `body ${body.length} bytes from ${source}; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
            'server in a child process (one thread); load generator in this process on the same machine, so both share its cores',
            'latency percentiles are whole milliseconds (autocannon); the p99 ratio uses at least 1 ms',
            'p99 ratio: below 1 meets the target; requests/s ratio: above 1 meets it',
          ],
        },
        {
          title: `mm serve during alias moves: the same load while another process moves the alias every ${MOVE_MS} ms`,
          columns: ['metric', 'measured', 'target', 'ratio to target'],
          rows: [
            ['alias moves during the run', String(moves), '–', null],
            ['p50 latency (ms)', ms(m.latency.p50), '–', null],
            ['p99 latency (ms)', ms(m.latency.p99), `< ${TARGET_P99_MS}`, fmt(Math.max(m.latency.p99, 1) / TARGET_P99_MS, 2)],
            ['max latency (ms)', fmt(m.latency.max, 0), '–', null],
            ['requests/s', fmt(m.requests.average, 0), `> ${TARGET_RPS}`, fmt(m.requests.average / TARGET_RPS, 2)],
            ['responses 2xx / total', `${okMoving} / ${m.requests.total}`, 'all', null],
          ],
          notes: [
            `runs ${served.join(' and ')} (rf 100 trees each, seeds 42 and 43); errors ${m.errors}, timeouts ${m.timeouts}, non-2xx ${m.non2xx}`,
            'each move is picked up by the server\'s background poll, which reads and verifies the new model.json and swaps it in; requests never load a model',
            `baseline without moves: p99 ${ms(r.latency.p99)} ms, max ${fmt(r.latency.max, 0)} ms`,
          ],
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const MOVE_MS = 500;

/** A child process that moves alias `champion` between `runs` every MOVE_MS; stop() returns the moves made. */
function startMover(registry: string, runs: string[]): { stop: () => Promise<number> } {
  const mod = new URL('../src/core/registry/index.js', import.meta.url).href;
  const code =
    `const { setAlias } = await import(${JSON.stringify(mod)});` +
    `const runs = ${JSON.stringify(runs)}; let n = 0;` +
    `const clock = { now: () => new Date(), elapsed: () => performance.now() };` +
    `const t = setInterval(() => { setAlias(process.argv[1], 'champion', runs[n % runs.length], { clock, lockTimeoutMs: 5000, forced: true, gate: () => null }); n++; }, ${MOVE_MS});` +
    `process.on('SIGTERM', () => { clearInterval(t); process.stdout.write(String(n) + '\\n'); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, '--', registry], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return {
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve(Number(out.trim()) || 0));
        child.kill('SIGTERM');
      }),
  };
}

/** Start the scoring server in a child Node process and wait for its URL. */
function startChild(registry: string): Promise<{ url: string; stop: () => void }> {
  const mod = new URL('../src/core/serve/index.js', import.meta.url).href;
  const code =
    `const { startServer } = await import(${JSON.stringify(mod)});` +
    `const s = await startServer({ registry: process.argv[1], ref: 'champion', minConfidence: 0.6, clock: { now: () => new Date(), elapsed: () => performance.now() }, host: '127.0.0.1', port: 0 });` +
    `process.stdout.write(s.url + '\\n');` +
    `process.on('SIGTERM', () => s.app.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, '--', registry], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the serve bench server did not start within 30 s'));
    }, 30_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`the serve bench server exited with ${c}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve({ url: line.trim(), stop: () => child.kill('SIGTERM') });
      }
    });
  });
}
