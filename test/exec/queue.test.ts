import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { queueStatus } from '../../src/core/exec/index.js';
import { connectionOptions, QUEUE_NAME, QUEUE_PREFIX, waitFinished } from '../../src/core/exec/queue.js';
import { parseRedisUrl } from '../../src/core/exec/redis-url.js';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { startRedis, freePort, type RedisServer } from '../redis-server.js';
import net from 'node:net';

const BIN = join(repoRoot, 'bin', 'run.js');
const PASSWORD = 'sekrit-Pa55word';

interface Done { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

function start(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; done: Promise<Done>; out: () => string } {
  const t0 = Date.now();
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env: { ...process.env, ...env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<Done>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 })));
  return { proc, done, out: () => stdout + stderr };
}

const run = (args: string[]): Promise<Done> => start(args).done;

/** Everything of a comparison except what differs between two identical runs (ids, timings, paths of runs). */
function comparable(doc: string): string {
  return JSON.stringify(JSON.parse(doc), (k, v: unknown) => (['fitMs', 'predictMs', 'comparisonId', 'runs', 'createdAt'].includes(k) ? undefined : v));
}

/** sha256 of every model.json in a registry, by model kind, via the run records. */
function models(reg: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(reg)) {
    const p = join(reg, d, 'run.json');
    try {
      statSync(p);
    } catch {
      continue;
    }
    const r = JSON.parse(readFileSync(p, 'utf8')) as { model: { kind: string; sha256: string } };
    out[r.model.kind] = r.model.sha256;
  }
  return out;
}

function allText(dir: string): string {
  let s = '';
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) s += readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return s;
}

async function until(what: string, f: () => Promise<boolean>, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ens shares its members' fits with the rf and logreg candidates: each fold is one 'compare.group' job plus a knn job
const COMPARE_PARAMS = { rf: { nTrees: 10 }, ens: { members: ['rf', 'logreg'], params: { rf: { nTrees: 10 } } } };
const COMPARE = ['compare', fixture('pooled'), '--models', 'rf,logreg,knn,ens', '--params', JSON.stringify(COMPARE_PARAMS), '--folds', '3', '--resamples', '200', '--json'];
const FAST = ['--lock-duration', '1000', '--stalled-interval', '500'];

describe('BullMQ queue: real redis-server, real mm worker processes', function () {
  this.timeout(60000);
  let redis: RedisServer;
  let tmp: string;
  const workers: ChildProcess[] = [];
  const worker = (reg: string, extra: string[] = []): ReturnType<typeof start> => {
    const w = start(['worker', '--queue', redis.url, '--concurrency', '1', '--registry', reg, ...FAST, ...extra]);
    workers.push(w.proc);
    return w;
  };
  const stopWorkers = async (): Promise<void> => {
    await Promise.all(workers.splice(0).map((p) => new Promise<void>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('close', () => resolve());
      p.kill('SIGKILL');
    })));
  };
  const flush = async (): Promise<void> => {
    spawnSync('redis-cli', ['-p', String(redis.port), '--no-auth-warning', '-a', PASSWORD, 'flushall']);
  };

  let local: string;
  let localModels: Record<string, string>;
  before(async () => {
    redis = await startRedis(PASSWORD);
    tmp = tempDir('mm-queue-');
    const reg = join(tmp, 'local');
    const r = await run([...COMPARE, '--threads', '1', '--registry', reg]);
    expect(r.code, r.stderr).to.equal(0);
    local = comparable(r.stdout);
    localModels = models(reg);
  });
  afterEach(async () => {
    await stopWorkers();
    await flush();
  });
  after(() => {
    redis?.stop();
    if (tmp !== undefined) cleanup(tmp);
  });

  it('compare on two workers writes the same metrics, tables and model bytes as the local run; no password anywhere', async () => {
    const reg = join(tmp, 'q');
    const w1 = worker(reg);
    const w2 = worker(reg);
    // Both workers waiting before any job exists, so both take some (a slow start-up under load let one take all).
    await until('both workers connected', async () => (await queueStatus(redis.url)).workers.length === 2);
    const r = await run([...COMPARE, '--queue', redis.url, '--registry', reg]);
    expect(r.code, r.stderr + r.stdout.slice(0, 300)).to.equal(0);
    expect(comparable(r.stdout)).to.equal(local);
    expect(models(reg)).to.deep.equal(localModels);
    expect(Object.keys(localModels).sort()).to.deep.equal(['ens', 'knn', 'logreg', 'rf']);
    const status = await run(['workers', '--queue', redis.url, '--json']);
    const s = JSON.parse(status.stdout) as { workers: unknown[]; jobs: { completed: number; failed: number } };
    expect(s.workers).to.have.length(2);
    expect(s.jobs.completed).to.equal(8); // (1 group + knn) × 3 folds + (1 group + knn) refits
    expect(s.jobs.failed).to.equal(0);
    // both workers took jobs, one log line each
    const lines = (w: ReturnType<typeof start>): string[] => w.out().split('\n').filter((l) => / done in /.test(l));
    expect(lines(w1).length + lines(w2).length).to.equal(8);
    expect(lines(w1).length).to.be.greaterThan(0);
    expect(lines(w2).length).to.be.greaterThan(0);
    // the password is never printed, logged or recorded; the redacted URL is
    const run1 = JSON.parse(readFileSync(join(reg, Object.values(JSON.parse(r.stdout).runs as Record<string, string>)[0] as string, 'run.json'), 'utf8')) as { command: string };
    expect(run1.command).to.contain('redis://:***@127.0.0.1');
    for (const text of [r.stdout, r.stderr, status.stdout, w1.out(), w2.out(), allText(reg)]) expect(text).to.not.contain(PASSWORD);
    expect(w1.out()).to.contain(':***@');
  });

  it('a worker SIGKILLed mid-job: its job is taken over by another worker and the result is identical', async () => {
    const reg = join(tmp, 'kill');
    const a = worker(reg);
    const coord = start([...COMPARE, '--queue', redis.url, '--registry', reg]);
    await until('a job active on the first worker', async () => (await queueStatus(redis.url)).jobs.active > 0);
    a.proc.kill('SIGKILL');
    const b = worker(reg);
    const r = await coord.done;
    expect(r.code, r.stderr).to.equal(0);
    expect(comparable(r.stdout)).to.equal(local);
    expect(models(reg)).to.deep.equal(localModels);
    expect(b.out()).to.match(/ done in /);
    // the second worker found the dead worker's job stalled and ran it
    expect(b.out()).to.match(/ stalled \(its worker died\?\): back to the queue/);
  });

  it('the coordinator killed and restarted: finished jobs are not redone', async () => {
    const reg = join(tmp, 'restart');
    const w = worker(reg);
    const first = start([...COMPARE, '--queue', redis.url, '--registry', reg]);
    await until('two finished jobs', async () => (await queueStatus(redis.url)).jobs.completed >= 2);
    first.proc.kill('SIGKILL');
    const r = await run([...COMPARE, '--queue', redis.url, '--registry', reg]);
    expect(r.code, r.stderr).to.equal(0);
    expect(comparable(r.stdout)).to.equal(local);
    const done = w.out().split('\n').filter((l) => / done in /.test(l)).map((l) => l.split(' ')[1]);
    expect(done).to.have.length(8);
    expect(new Set(done).size).to.equal(8); // no job ran twice
  });

  it('a job whose input changed fails once, and the coordinator exits 3 with its message', async () => {
    const reg = join(tmp, 'bad');
    const data = join(tmp, 'bad-data');
    mkdirSync(data);
    for (const s of ['AAPL', 'MSFT', 'NVDA']) copyFileSync(fixture('pooled', `${s}.csv`), join(data, `${s}.csv`));
    const coord = start(['compare', data, '--models', 'logreg', '--folds', '3', '--resamples', '50', '--json', '--queue', redis.url, '--registry', reg]);
    await until('jobs waiting', async () => (await queueStatus(redis.url)).jobs.waiting > 0);
    // the file changes between the coordinator's read and the workers' (a valid CSV, different bytes)
    const p = join(data, 'MSFT.csv');
    writeFileSync(p, readFileSync(p, 'utf8').replace(/\n$/, '\r\n'));
    worker(reg);
    const r = await coord.done;
    expect(r.code, r.stdout).to.equal(3);
    expect(JSON.parse(r.stdout).error.message).to.match(/MSFT\.csv is not the file the job was made from: sha256/);
    const s = await queueStatus(redis.url);
    expect(s.jobs.failed).to.be.greaterThan(0);
    for (const f of s.recentFailures) {
      expect(f.reason).to.match(/^\[mm:BAD_INPUT\] .*MSFT\.csv is not the file/);
      expect(f.attempts).to.equal(1); // failed once, not retried
    }
  });

  it('predict <dir>, features <dir> (one job per symbol) and backtest --refit-every (one per window) through the queue: the same output as the local run', async () => {
    const reg = join(tmp, 'local'); // the workers share the coordinator's registry: they load the model from it
    worker(reg);
    worker(reg);
    const pred = ['predict', fixture('pooled'), '--model', 'latest', '--registry', reg, '--json'];
    const a = await run([...pred, '--threads', '1']);
    const b = await run([...pred, '--queue', redis.url]);
    expect(a.code, a.stderr + a.stdout.slice(0, 400)).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);
    expect(b.stdout).to.equal(a.stdout);
    const feat = ['features', fixture('pooled'), '--json', '--registry', reg];
    const c = await run(feat);
    const d = await run([...feat, '--queue', redis.url]);
    expect(c.code, c.stderr).to.equal(0);
    expect(d.code, d.stderr).to.equal(0);
    expect(d.stdout).to.equal(c.stdout);
    const bt = ['backtest', fixture('cli', 'NVDA_train.csv'), '--refit-every', '1d', '--train-window', '2d', '--model-kind', 'logreg', '--registry', join(tmp, 'bt'), '--json'];
    const e = await run([...bt, '--threads', '1']);
    const f = await run([...bt, '--queue', redis.url]);
    expect(e.code, e.stderr + e.stdout.slice(0, 300)).to.equal(0);
    expect(f.code, f.stderr).to.equal(0);
    const noId = (x: string): string => JSON.stringify(JSON.parse(x), (k, v: unknown) => (k === 'id' || k === 'createdAt' ? undefined : v));
    expect(noId(f.stdout)).to.equal(noId(e.stdout));
    const refits = (JSON.parse(e.stdout) as { refits: unknown[] }).refits.length;
    expect(refits).to.be.greaterThan(1);
    const s = await queueStatus(redis.url);
    expect(s.jobs.completed).to.equal(6 + refits); // 3 symbols predicted + 3 featurised + one job per refit window
  });

  it('mm pipeline with "queue" in its config: the same models and prediction files as with "threads": 1; the password stays out of the record', async () => {
    const cfg = (name: string, extra: Record<string, unknown>): string => {
      const dir = join(tmp, name);
      mkdirSync(dir);
      const p = join(dir, 'pipeline.json');
      writeFileSync(p, JSON.stringify({
        data: 'data',
        ingest: { from: [fixture('cli', 'NVDA_train.csv')] },
        compare: { models: ['rf', 'logreg'], folds: 2, params: { rf: { nTrees: 30, minSamplesLeaf: 40, calibrate: 'none' } } },
        gate: { alias: 'champion' },
        predict: { input: fixture('cli', 'NVDA_predict.csv'), out: 'out' },
        ...extra,
      }));
      return p;
    };
    const regA = join(tmp, 'pipe-local', 'runs');
    const regB = join(tmp, 'pipe-queue', 'runs');
    const a = await run(['pipeline', cfg('pipe-local', { threads: 1 }), '--registry', regA, '--json']);
    worker(regB);
    worker(regB);
    const b = await run(['pipeline', cfg('pipe-queue', { queue: redis.url }), '--registry', regB, '--json']);
    expect(a.code, a.stdout.slice(0, 400)).to.equal(0);
    expect(b.code, b.stdout.slice(0, 400)).to.equal(0);
    expect(models(regB)).to.deep.equal(models(regA));
    // the same table, but for model_version (run ids carry their creation time)
    const table = (dir: string): string => readFileSync(join(tmp, dir, 'out', 'NVDA.csv'), 'utf8').replace(/,[^,\n]*\(champion\)$/gm, '');
    expect(table('pipe-queue')).to.have.length.greaterThan(1000);
    expect(table('pipe-queue')).to.equal(table('pipe-local'));
    expect((await queueStatus(redis.url)).jobs.completed).to.be.greaterThan(4); // 2 candidates × 2 folds + refits + the predicted symbol
    for (const text of [b.stdout, b.stderr, allText(regB)]) expect(text).to.not.contain(PASSWORD);
  });

  it('Redis lost mid-run: the coordinator exits 5 within seconds instead of hanging', async () => {
    const other = await startRedis(PASSWORD);
    try {
      const coord = start([...COMPARE, '--queue', other.url, '--registry', join(tmp, 'lost')]);
      await until('jobs waiting', async () => (await queueStatus(other.url)).jobs.waiting > 0);
      other.stop();
      const t0 = Date.now();
      const r = await coord.done;
      expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).to.equal(5);
      expect(Date.now() - t0).to.be.below(15000);
      expect((JSON.parse(r.stdout) as { error: { message: string } }).error.message).to.equal(`lost the connection to Redis at redis://:***@127.0.0.1:${other.port}`);
      expect(r.stdout + r.stderr).to.not.contain(PASSWORD);
    } finally {
      other.stop();
    }
  });

  it('waiting for a job whose Redis is gone rejects (no unhandled rejection, no promise left hanging)', async () => {
    const other = await startRedis(PASSWORD);
    const { Queue, QueueEvents } = await import('bullmq');
    const conn = connectionOptions(parseRedisUrl(other.url), { blocking: false, giveUpAfterMs: 1000 });
    const queue = new Queue(QUEUE_NAME, { connection: conn, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection: { ...conn, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown): void => {
      unhandled.push(r);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      // a job in no list (cleaned away after finishing) is an error at once, not an endless wait
      const gone = await waitFinished(queue, events, 'never-added').then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(gone?.message).to.match(/no longer in the queue/);
      expect((gone as { exitCode?: number }).exitCode).to.equal(5);
      const job = await queue.add('x', {}, { jobId: 'never-run' });
      expect(job.id).to.equal('never-run');
      other.stop();
      const t0 = Date.now();
      const err = await waitFinished(queue, events, 'never-run').then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, 'a wait on a job whose Redis is gone must reject').to.be.instanceOf(Error);
      expect(Date.now() - t0).to.be.below(10000);
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled, String(unhandled[0])).to.deep.equal([]);
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
      other.stop();
      await Promise.race([Promise.allSettled([queue.close(), events.close()]), new Promise((r) => setTimeout(r, 2000))]);
    }
  });

  it('mm worker: SIGTERM while it is still connecting stops it cleanly once connected (no death by signal)', async () => {
    // A proxy in front of Redis holds the worker's first connection: when it arrives the worker is
    // surely inside its command (its modules are loaded), still starting. The signal goes then; the
    // connection is let through after it.
    const held: net.Socket[] = [];
    let release: (() => void) | null = null;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let arrived: () => void = () => undefined;
    const first = new Promise<void>((r) => {
      arrived = r;
    });
    const proxy = net.createServer((sock) => {
      held.push(sock);
      arrived();
      void released.then(() => {
        const up = net.connect(redis.port, '127.0.0.1');
        sock.pipe(up);
        up.pipe(sock);
        const end = (): void => {
          sock.destroy();
          up.destroy();
        };
        sock.on('error', end);
        up.on('error', end);
        sock.on('close', end);
        up.on('close', end);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as net.AddressInfo).port;
    try {
      const w = start(['worker', '--queue', `redis://:${PASSWORD}@127.0.0.1:${port}`, '--concurrency', '1', '--registry', join(tmp, 'early'), ...FAST]);
      await first;
      w.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      (release as unknown as () => void)();
      const r = await w.done;
      expect(r.signal, r.stderr).to.equal(null);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(/mm worker: SIGTERM: finishing the running jobs/);
      expect(r.stderr, r.stderr).to.match(/stopped \(SIGTERM\) after 0 jobs/);
    } finally {
      for (const h of held) h.destroy();
      proxy.close();
    }
  });

  it('Redis unreachable: exit 5 within seconds, the URL in the message without its password', async () => {
    const port = await freePort();
    const r = await run([...COMPARE, '--queue', `redis://:${PASSWORD}@127.0.0.1:${port}`, '--registry', join(tmp, 'none')]);
    expect(r.code).to.equal(5);
    expect(r.ms).to.be.below(10000);
    const msg = (JSON.parse(r.stdout) as { error: { message: string } }).error.message;
    expect(msg).to.contain(`redis://:***@127.0.0.1:${port}`);
    expect(r.stdout + r.stderr).to.not.contain(PASSWORD);
  });
});
