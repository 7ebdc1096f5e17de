import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ConflictError, NotFoundError, UsageError } from '../../../src/core/errors.js';
import { makeRunId, readAliases, resolveRef, setAlias, validateAliasName, withLock } from '../../../src/core/registry/index.js';
import { fixedClock, systemClock } from '../../../src/core/util/clock.js';
import { cleanup, tempDir } from '../../helpers.js';
import { addRun } from './helpers.js';


const clock = fixedClock('2026-02-01T00:00:00Z');
const pass = (): { passed: boolean } => ({ passed: true });

describe('aliases', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('follows MLflow naming rules', () => {
    expect(validateAliasName('champion_2-b')).to.equal('champion_2-b');
    for (const bad of ['latest', 'v3', 'has space', 'a/b', '']) expect(() => validateAliasName(bad)).to.throw(/alias/);
  });

  it('refuses names MLflow reserves, case-insensitively, and prototype-shaped, over-long or run-id-shaped names (exit 2)', () => {
    for (const bad of ['LATEST', 'Latest', 'V3', 'v012', '__proto__', '_x', '-x', 'a'.repeat(65), makeRunId(new Date('2026-01-02T03:04:05Z'), 'rf', 'abcdef')]) {
      const err = (() => { try { validateAliasName(bad); } catch (e) { return e as UsageError; } return null; })();
      expect(err, bad).to.be.instanceOf(UsageError);
      expect(err?.exitCode).to.equal(2);
      expect(err?.message.length, bad).to.be.below(160);
    }
    for (const ok of ['a'.repeat(64), 'v3a', 'latest2', 'constructor', 'toString', 'hasOwnProperty']) expect(validateAliasName(ok)).to.equal(ok);
  });

  it('looks aliases up as own entries only: built-in property names are ordinary aliases or not found', () => {
    const a = addRun(dir, 'dddddd');
    expect(() => resolveRef(dir, 'constructor')).to.throw(NotFoundError, /"constructor" is neither a run id, an alias nor "latest"/);
    expect(() => resolveRef(dir, 'toString')).to.throw(NotFoundError);
    expect(() => resolveRef(dir, '__proto__')).to.throw(NotFoundError);
    for (const name of ['toString', 'hasOwnProperty', 'constructor']) {
      setAlias(dir, name, a, { clock, lockTimeoutMs: 1000, forced: false, gate: pass });
      expect(resolveRef(dir, name)).to.deep.equal({ id: a, alias: name });
    }
    expect(Object.fromEntries(readAliases(dir))).to.deep.equal({ toString: a, hasOwnProperty: a, constructor: a });
  });

  it('a hand-written __proto__ key in aliases.json is an entry like any other, not a prototype', () => {
    const a = addRun(dir, 'eeeeee');
    writeFileSync(join(dir, 'aliases.json'), `{"__proto__": "${a}"}`);
    const m = readAliases(dir);
    expect(m.get('__proto__')).to.equal(a);
    expect(m.get('champion')).to.equal(undefined);
    expect(() => resolveRef(dir, 'champion')).to.throw(NotFoundError);
  });

  it('moves an alias and appends who/when/from/to to the audit log', () => {
    const a = addRun(dir, 'aaaaaa');
    const b = addRun(dir, 'bbbbbb');
    setAlias(dir, 'champion', a, { clock, lockTimeoutMs: 1000, forced: false, gate: pass });
    setAlias(dir, 'champion', b, { clock, lockTimeoutMs: 1000, forced: true, gate: (cur) => ({ passed: false, cur }) });
    expect(Object.fromEntries(readAliases(dir))).to.deep.equal({ champion: b });
    const log = readFileSync(join(dir, 'aliases.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((e) => [e.from, e.to, e.forced])).to.deep.equal([[null, a, false], [a, b, true]]);
    expect(log[1].gate).to.deep.equal({ passed: false, cur: a });
    expect(log[0].time).to.equal('2026-02-01T00:00:00.000Z');
  });

  it('changes nothing when the gate throws', () => {
    const a = addRun(dir, 'cccccc');
    expect(() => setAlias(dir, 'champion', a, { clock, lockTimeoutMs: 1000, forced: false, gate: () => { throw new Error('gate failed'); } })).to.throw(/gate failed/);
    expect(Object.fromEntries(readAliases(dir))).to.deep.equal({});
    expect(existsSync(join(dir, 'aliases.log.jsonl'))).to.equal(false);
    expect(existsSync(join(dir, 'aliases.lock'))).to.equal(false);
  });

  it('a lock held by a live process times out with a ConflictError (exit 5)', () => {
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    let err: unknown;
    try {
      withLock(lock, { clock: systemClock, timeoutMs: 100, pollMs: 10 }, () => 1);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConflictError);
    expect((err as ConflictError).exitCode).to.equal(5);
    expect((err as Error).message).to.match(new RegExp(`process ${process.pid}`));
  });

  it('reclaims a lock whose owner process is gone', () => {
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'long ago' }));
    expect(withLock(lock, { clock: systemClock, timeoutMs: 100 }, () => 7)).to.equal(7);
    expect(existsSync(lock)).to.equal(false);
  });

  it('parallel processes setting aliases never lose an update', async () => {
    const runs = ['111111', '222222', '333333', '444444', '555555', '666666'].map((h) => addRun(dir, h));
    const mod = resolve('dist/src/core/registry/index.js');
    const clockMod = resolve('dist/src/core/util/clock.js');
    const script = (alias: string, id: string): string =>
      `const r = await import(${JSON.stringify(mod)}); const c = await import(${JSON.stringify(clockMod)});` +
      `for (let i = 0; i < 5; i++) r.setAlias(${JSON.stringify(dir)}, ${JSON.stringify(alias)}, ${JSON.stringify(id)}, { clock: c.systemClock, lockTimeoutMs: 20000, forced: false, gate: () => ({ i }) });`;
    const procs = runs.map(
      (id, k) =>
        new Promise<number | null>((done) => {
          const p = spawn(process.execPath, ['--input-type=module', '-e', script(`alias${k}`, id)], { stdio: 'inherit' });
          p.on('exit', done);
        }),
    );
    expect(await Promise.all(procs)).to.deep.equal(runs.map(() => 0));
    const aliases = readAliases(dir);
    expect([...aliases.keys()].sort()).to.deep.equal(runs.map((_, k) => `alias${k}`).sort());
    runs.forEach((id, k) => expect(aliases.get(`alias${k}`)).to.equal(id));
    expect(readFileSync(join(dir, 'aliases.log.jsonl'), 'utf8').trim().split('\n')).to.have.length(30);
  });
});
