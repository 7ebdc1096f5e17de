import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConflictError } from '../../../src/core/errors.js';
import { acquireLock, cleanStaleStaging, readAliases, setAlias } from '../../../src/core/registry/index.js';
import { OWNERLESS_STALE_MS } from '../../../src/core/registry/lock.js';
import { fixedClock, systemClock } from '../../../src/core/util/clock.js';
import { cleanup, tempDir } from '../../helpers.js';
import { addRun } from './helpers.js';

const registryModule = resolve('dist/src/core/registry/index.js');
const clockModule = resolve('dist/src/core/util/clock.js');


/** Run a node script in a child process that SIGKILLs itself at the end; returns its pid. */
function runAndKillItself(script: string): number {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${script}\nprocess.kill(process.pid, 'SIGKILL');`], { encoding: 'utf8' });
  expect(r.signal, r.stderr).to.equal('SIGKILL');
  return Number(r.stdout.trim());
}

const backdate = (path: string, ms: number): void => {
  const t = new Date(Date.now() - ms);
  utimesSync(path, t, t);
};

describe('registry crash consistency (real killed processes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('a zero-byte lock left by a kill between create and pid write is respected while young and reclaimed by age', () => {
    const lock = join(dir, 'aliases.lock');
    runAndKillItself(`import { openSync } from 'node:fs'; openSync(${JSON.stringify(lock)}, 'wx'); console.log(process.pid);`);
    expect(statSync(lock).size).to.equal(0);
    // Young: another process may be writing its pid right now, so it is not taken.
    expect(() => acquireLock(lock, { clock: systemClock, timeoutMs: 100, pollMs: 20 })).to.throw(ConflictError);
    backdate(lock, 60_000);
    const release = acquireLock(lock, { clock: systemClock, timeoutMs: 100, pollMs: 20 });
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).to.equal(process.pid);
    release();
    expect(existsSync(lock)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it("a killed run's staging folder is cleaned when its process is gone, and only then", () => {
    addRun(dir, 'aaaaaa');
    // A real writer killed mid-run: its staging folder holds a half-written model.
    const deadPid = runAndKillItself(`
      import { mkdirSync, writeFileSync } from 'node:fs';
      const d = ${JSON.stringify(dir)} + '/.staging-20260102T030405Z-rf-bbbbbb-' + process.pid;
      mkdirSync(d); writeFileSync(d + '/model.json', '{"kind": "rf", "tre');
      console.log(process.pid);`);
    const dead = `.staging-20260102T030405Z-rf-bbbbbb-${deadPid}`;
    expect(existsSync(join(dir, dead))).to.equal(true);
    // A live writer (another process, still running) and a dead one that is too young to judge.
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const alive = `.staging-20260102T030405Z-rf-cccccc-${live.pid}`;
      const young = `.staging-20260102T030405Z-rf-dddddd-${deadPid}`;
      for (const d of [alive, young]) mkdirSync(join(dir, d));
      backdate(join(dir, dead), 3_600_000);
      backdate(join(dir, alive), 3_600_000);
      addRun(dir, 'eeeeee'); // writing a run cleans up first
      const left = readdirSync(dir).filter((n) => n.startsWith('.staging-')).sort();
      expect(left).to.deep.equal([alive, young].sort());
      expect(cleanStaleStaging(dir, 0)).to.deep.equal([young]);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('the log line is written before the alias file: when the log cannot be written, the alias does not move', () => {
    const a = addRun(dir, 'aaaaaa');
    const b = addRun(dir, 'bbbbbb');
    const clock = fixedClock('2026-02-01T00:00:00Z');
    setAlias(dir, 'champion', a, { clock, lockTimeoutMs: 1000, forced: false, gate: () => null });
    // The log becomes unwritable (a directory stands in its place, as good as a full or broken disk).
    const log = join(dir, 'aliases.log.jsonl');
    const kept = readFileSync(log, 'utf8');
    rmSync(log);
    mkdirSync(log);
    expect(() => setAlias(dir, 'champion', b, { clock, lockTimeoutMs: 1000, forced: false, gate: () => null })).to.throw();
    expect(Object.fromEntries(readAliases(dir))).to.deep.equal({ champion: a });
    rmSync(log, { recursive: true });
    writeFileSync(log, kept);
  });

  it('under repeated SIGKILLs of a process moving aliases, every alias state on disk has its log line and no lock is lost', async function () {
    this.timeout(60_000);
    const runs = ['111111', '222222', '333333'].map((h) => addRun(dir, h));
    const script = `
      import { setAlias } from ${JSON.stringify(registryModule)};
      import { systemClock } from ${JSON.stringify(clockModule)};
      const runs = ${JSON.stringify(runs)};
      for (let i = 0; ; i++) setAlias(${JSON.stringify(dir)}, 'a' + (i % 2), runs[i % 3], { clock: systemClock, lockTimeoutMs: 30000, forced: false, gate: () => null });`;
    let kills = 0;
    for (let k = 0; k < 12; k++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      // Wait until this child has moved aliases (node start-up varies with load), then kill it mid-flight.
      const logPath = join(dir, 'aliases.log.jsonl');
      const before = existsSync(logPath) ? statSync(logPath).size : 0;
      for (let t = 0; t < 400 && (existsSync(logPath) ? statSync(logPath).size : 0) <= before; t++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, (k * 7) % 30));
      child.kill('SIGKILL');
      const sig = await new Promise((r) => child.on('exit', (_c, s) => r(s)));
      expect(sig, err).to.equal('SIGKILL');
      kills++;
      const lines = readFileSync(join(dir, 'aliases.log.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const logged = new Set(lines.map((l) => { const e = JSON.parse(l) as { alias: string; to: string }; return `${e.alias}=${e.to}`; }));
      for (const [alias, to] of readAliases(dir)) expect(logged.has(`${alias}=${to}`), `${alias}=${to} has no log line`).to.equal(true);
    }
    expect(kills).to.equal(12);
    // Whatever lock the last kill left behind belongs to a dead process: reclaimed at once when it
    // names its pid, after OWNERLESS_STALE_MS when the kill fell between creating it and writing the pid.
    setAlias(dir, 'final', runs[0] as string, { clock: systemClock, lockTimeoutMs: OWNERLESS_STALE_MS + 5000, forced: false, gate: () => null });
    expect(readAliases(dir).get('final')).to.equal(runs[0]);
  });
});
