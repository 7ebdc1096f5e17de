import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeValue, encodeValue, localExecutor, redactArgv, redactUrl, parseRedisUrl, threadExecutor, type UnitHandler } from '../../src/core/exec/index.js';
import { UNIT_KINDS } from '../../src/core/units/index.js';
import { fixedClock } from '../../src/core/util/clock.js';
import { threadBudget } from '../../src/core/util/threads.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from '../commands/run-cli.js';

function modelHashes(reg: string): string[] {
  return readdirSync(reg)
    .filter((d) => d !== 'comparisons' && !d.endsWith('.json'))
    .flatMap((d) => {
      try {
        return [(JSON.parse(readFileSync(join(reg, d, 'run.json'), 'utf8')) as { model: { sha256: string } }).model.sha256];
      } catch {
        return [];
      }
    })
    .sort();
}

describe('executor: worker threads', () => {
  let tmp: string;
  before(() => {
    tmp = tempDir();
  });
  after(() => cleanup(tmp));

  it('compare on 2 threads gives the sequential run\'s metrics, tables and model bytes', async () => {
    // ens shares its members' fits with the rf and logreg candidates (one 'compare.group' unit per fold)
    const params = { rf: { nTrees: 10 }, ens: { members: ['rf', 'logreg'], params: { rf: { nTrees: 10 } } } };
    const args = ['compare', fixture('pooled'), '--models', 'rf,logreg,knn,ens', '--params', JSON.stringify(params), '--folds', '3', '--resamples', '200', '--json'];
    const seq = await mm([...args, '--threads', '1', '--registry', join(tmp, 'seq')]);
    const par = await mm([...args, '--threads', '2', '--registry', join(tmp, 'par')]);
    expect(seq.exitCode, seq.stdout.slice(0, 300)).to.equal(0);
    expect(par.exitCode, par.stdout.slice(0, 300)).to.equal(0);
    const strip = (s: string): string => JSON.stringify(json(s === seq.stdout ? seq : par), (k, v: unknown) => (['fitMs', 'predictMs', 'comparisonId', 'runs'].includes(k) ? undefined : v));
    expect(strip(par.stdout)).to.equal(strip(seq.stdout));
    const a = modelHashes(join(tmp, 'seq'));
    expect(a).to.have.length(4);
    expect(modelHashes(join(tmp, 'par'))).to.deep.equal(a);
  });

  it('backtest --refit-every on 2 threads gives the sequential refits and statistics', async () => {
    const args = ['backtest', fixture('cli', 'NVDA_train.csv'), '--refit-every', '1d', '--train-window', '2d', '--model-kind', 'rf', '--params', '{"nTrees":10}', '--json'];
    const seq = await mm([...args, '--threads', '1', '--registry', join(tmp, 'bt1')]);
    const par = await mm([...args, '--threads', '2', '--registry', join(tmp, 'bt2')]);
    expect(seq.exitCode, seq.stdout.slice(0, 300)).to.equal(0);
    expect(par.exitCode, par.stdout.slice(0, 300)).to.equal(0);
    const noId = (x: string): string => JSON.stringify(JSON.parse(x), (k, v: unknown) => (k === 'id' || k === 'createdAt' ? undefined : v));
    expect(noId(par.stdout)).to.equal(noId(seq.stdout));
    expect((JSON.parse(seq.stdout) as { refits: unknown[] }).refits.length).to.be.greaterThan(1);
  });

  it('a unit that throws bad input keeps its exit code across the thread boundary', async () => {
    const ex = threadExecutor(2);
    try {
      const units = [{ kind: 'compare.fold', params: { source: { inputs: [{ path: '/nonexistent/x.csv', sha256: '0'.repeat(64) }], read: { minRows: 10 } } }, label: 'bad' }];
      const err = await ex.run(units).then(() => null, (e: unknown) => e as { exitCode?: number; message: string });
      expect(err?.exitCode, err?.message).to.equal(3);
    } finally {
      await ex.close();
    }
  });

  it('runs only whitelisted kinds, and returns results in unit order whatever finishes first', async () => {
    const slowFirst: UnitHandler = async (p) => {
      const n = p as number;
      await new Promise((r) => setTimeout(r, n === 0 ? 30 : 0));
      return n * 10;
    };
    const ex = localExecutor(new Map([['t.echo', slowFirst]]), fixedClock('2026-01-01T00:00:00Z'));
    const seen: number[] = [];
    expect(await ex.run([0, 1, 2].map((i) => ({ kind: 't.echo', params: i, label: `#${i}` })), (done) => seen.push(done))).to.deep.equal([0, 10, 20]);
    expect(seen).to.deep.equal([1, 2, 3]);
    const bad = await ex.run([{ kind: 'constructor', params: null, label: 'x' }]).then(() => null, (e: { exitCode: number }) => e.exitCode);
    expect(bad).to.equal(2);
    expect(UNIT_KINDS).to.include('compare.fold');
  });

  it('caps the learners\' own threads while a batch runs when given a budget (--threads 1), and restores it', async () => {
    const outer = threadBudget();
    const seen: number[] = [];
    const probe: UnitHandler = async () => {
      seen.push(threadBudget());
      return null;
    };
    const table = new Map([['t.probe', probe]]);
    const clock = fixedClock('2026-01-01T00:00:00Z');
    await localExecutor(table, clock, './runs', 1).run([{ kind: 't.probe', params: null, label: 'a' }]);
    await localExecutor(table, clock).run([{ kind: 't.probe', params: null, label: 'b' }]);
    // a failing unit restores the budget too
    const failing = new Map<string, UnitHandler>([['t.fail', async () => Promise.reject(new Error('boom'))]]);
    await localExecutor(failing, clock, './runs', 1).run([{ kind: 't.fail', params: null, label: 'c' }]).catch(() => null);
    expect(seen).to.deep.equal([1, outer]);
    expect(threadBudget()).to.equal(outer);
  });
});

describe('executor: result codec and queue URLs', () => {
  it('round-trips typed arrays bit for bit, non-finite numbers and nested objects', () => {
    const f = new Float64Array([0.1, 1 / 3, -0, 5e-324, NaN]);
    const v = { a: f, b: [new Uint8Array([1, 255]), new Int32Array([-7])], c: 'x', d: Infinity, e: null };
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v)))) as typeof v;
    expect(Buffer.from(back.a.buffer).equals(Buffer.from(f.buffer))).to.equal(true);
    expect(Array.from(back.b[0] as Uint8Array)).to.deep.equal([1, 255]);
    expect(Array.from(back.b[1] as Int32Array)).to.deep.equal([-7]);
    expect(back.d).to.equal(Infinity);
    const polluted = decodeValue(JSON.parse('{"__proto__": {"polluted": 1}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.getPrototypeOf(polluted)).to.equal(Object.prototype);
  });

  it('never shows a password: URLs, argv and parse errors are redacted', () => {
    expect(redactUrl('redis://:s3cret@host:6379')).to.equal('redis://:***@host:6379');
    expect(redactUrl('redis://user:p@ss/w@host/2')).to.equal('redis://user:***@host/2');
    expect(redactUrl('redis://host:6379')).to.equal('redis://host:6379');
    expect(redactArgv(['a', '--queue', 'redis://:s3cret@h:1', '--queue=redis://:s3cret@h:2'])).to.deep.equal(['a', '--queue', 'redis://:***@h:1', '--queue=redis://:***@h:2']);
    const t = parseRedisUrl('redis://:s%40cret@10.0.0.5:6380/3');
    expect([t.host, t.port, t.db, t.password, t.safe]).to.deep.equal(['10.0.0.5', 6380, 3, 's@cret', 'redis://:***@10.0.0.5:6380/3']);
    let msg = '';
    try {
      parseRedisUrl('http://:s3cret@h');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).to.contain('http://:***@h');
    expect(msg).to.not.contain('s3cret');
  });
});

describe('executor: default thread count', () => {
  it('is the free cores (measured from the machine\'s CPU counters, at least one)', async () => {
    const { freeCoresFromSample } = await import('../../src/core/util/threads.js');
    const { defaultThreads } = await import('../../src/cli/executor.js');
    expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 1, total: 20 }, 0)).to.equal(2);
    expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 19, total: 20 }, 0)).to.equal(1);
    expect(defaultThreads()).to.be.within(1, (await import('node:os')).availableParallelism());
  });
});
