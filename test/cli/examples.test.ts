import { Config } from '@oclif/core';
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanup, repoRoot, tempDir } from '../helpers.js';
import { startRedis, type RedisServer } from '../redis-server.js';

/**
 * Every example in every command's `--help` and every `mm …` line of the README's shell blocks is
 * run as written, through bash, from a copy of the repository's `data/` and `examples/` (so the
 * registry `./runs` and every `--out` land in a temporary directory), and must exit 0 — or the exit
 * code the example documents with "(exits N)" in its comment or description.
 */

interface Example {
  source: string;
  command: string;
  expectExit: number;
  /** Commands run while this one (a server) is up; README curl lines after `mm serve`. */
  whileRunning: string[];
  /** A README line ending in `&`: started, awaited until ready, and left running for the lines after it. */
  background?: boolean;
}

const BIN = '<%= config.bin %>';

async function helpExamples(): Promise<Example[]> {
  const config = await Config.load(repoRoot);
  const out: Example[] = [];
  const seen = new Set<string>();
  for (const c of config.commands) {
    const cmd = await c.load();
    for (const e of cmd.examples ?? []) {
      // Plugins (help, autocomplete) write their examples with a leading "$ ".
      const text = (typeof e === 'string' ? e : e.command).replace(/^\$\s+/, '');
      const description = typeof e === 'string' ? '' : e.description;
      if (seen.has(`${c.id} ${text}`)) continue;
      seen.add(`${c.id} ${text}`);
      out.push({
        source: `mm ${c.id.replaceAll(':', ' ')} --help`,
        command: text.replaceAll(BIN, 'mm'),
        expectExit: documentedExit(`${description} ${text}`),
        whileRunning: [],
      });
    }
  }
  return out;
}

/** Shell lines of the README's ```sh blocks (continuations joined) that run mm or talk to it. */
export function readmeExamples(readme: string): Example[] {
  const out: Example[] = [];
  const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  for (const block of blocks) {
    const lines = block.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    for (const line of lines) {
      const bg = /&\s*(#.*)?$/.test(line) && !/&&\s*(#.*)?$/.test(line);
      if (line.startsWith('mm ')) {
        out.push({ source: 'README', command: bg ? line.replace(/\s*&\s*(#.*)?$/, '') : line, expectExit: documentedExit(line), whileRunning: [], ...(bg ? { background: true } : {}) });
      }
      else if (line.startsWith('curl ')) {
        const server = out[out.length - 1];
        if (server === undefined || !/^mm serve\b/.test(server.command)) throw new Error(`README curl line without an mm serve before it: ${line}`);
        server.whileRunning.push(line);
      }
    }
  }
  return out;
}

function documentedExit(text: string): number {
  const m = /\(exits (\d)\b/.exec(text);
  return m === null ? 0 : Number(m[1]);
}

/**
 * The order the examples run in: data commands, Phase A training, everything that reads the
 * registry, comparisons, Phase B (hourly pooled models and the WSS), pipelines last. Within a stage,
 * the README's own order, after the help examples.
 */
function stage(e: Example): number {
  const c = e.command;
  const sub = c.split(/\s+/)[1] ?? '';
  if (['features', 'label', 'resample'].includes(sub)) return 0;
  if (/data\/h1|pipeline-nasdaq/.test(c)) return sub === 'pipeline' ? 7 : 6;
  if (sub === 'train') return 1;
  if (sub === 'promote') return 2;
  if (sub === 'predict') return 3;
  if (sub === 'compare') return 5;
  if (sub === 'pipeline') return 7;
  return 4;
}

/**
 * Queue examples name redis://127.0.0.1:6379; they run against a private redis-server on a free
 * port instead, so a test never joins (or takes jobs from) someone else's queue on this machine.
 */
let redis: RedisServer | null = null;
const withQueue = (command: string): string =>
  redis === null ? command : command.replaceAll('redis://127.0.0.1:6379', redis.url);
const LONG_RUNNING = /^mm (serve|worker)\b/;

function bash(command: string, cwd: string, env: NodeJS.ProcessEnv): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', withQueue(command)], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Processes started by README lines ending in `&`; stopped when their README run ends. */
const background: ChildProcess[] = [];

async function startBackground(e: Example, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string }> {
  const child = spawn('bash', ['-c', `exec ${withQueue(e.command)}`], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  background.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const deadline = Date.now() + 20_000;
  while (!/listening on|worker \S+ on /.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) return { status: child.exitCode ?? -1, stderr };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { status: 0, stderr };
}

async function runServer(e: Example, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string; outputs: string[] }> {
  const child = spawn('bash', ['-c', `exec ${withQueue(e.command)}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number>((res) => child.on('exit', (code, signal) => res(code ?? (signal === null ? -1 : 128 + (constants.signals[signal] ?? 0)))));
  const deadline = Date.now() + 20_000;
  // `mm serve` says where it listens; `mm worker` names itself and its queue once connected.
  while (!/listening on|worker \S+ on /.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      return { status: await exited, stderr, outputs: [] };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const outputs: string[] = [];
  for (const line of e.whileRunning) {
    const r = bash(line.replace(/^curl /, 'curl --fail-with-body '), cwd, env);
    outputs.push(`${line}\n→ ${r.status} ${r.stdout}`);
    if (r.status !== 0) {
      child.kill('SIGTERM');
      await exited;
      return { status: 100 + r.status, stderr: `${stderr}\n${outputs.join('\n')}`, outputs };
    }
  }
  child.kill('SIGTERM');
  return { status: await exited, stderr, outputs };
}

// ESM spec files may await at the top level: the lists must exist before mocha collects the tests.
const help = await helpExamples();
const fromReadme = readmeExamples(readFileSync(resolve(repoRoot, 'README.md'), 'utf8'));
/** Help examples in stage order (each command's own order within a stage). */
const helpOrdered = help.map((e, i) => ({ e, i })).sort((a, b) => stage(a.e) - stage(b.e) || a.i - b.i).map((t) => t.e);

/** A scratch working directory with data/ and examples/ and `mm` on PATH; the registry is ./runs there. */
function sandbox(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('mm-examples-');
  cpSync(resolve(repoRoot, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(resolve(repoRoot, 'examples'), join(dir, 'examples'), { recursive: true });
  const binDir = join(dir, '.bin');
  mkdirSync(binDir);
  writeFileSync(join(binDir, 'mm'), `#!/bin/sh\nexec "${process.execPath}" "${resolve(repoRoot, 'bin/run.js')}" "$@"\n`);
  chmodSync(join(binDir, 'mm'), 0o755);
  // HOME and the cache in the sandbox: `mm autocomplete` writes its completion cache there.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}`, HOME: dir, XDG_CACHE_HOME: join(dir, '.cache'), SHELL: '/bin/bash' };
  delete env['MM_REGISTRY'];
  return { dir, env };
}

function runAll(title: string, examples: Example[]): void {
  describe(title, function () {
    // Generous: on a loaded 2-core machine one compare example has taken 95 s.
    this.timeout(600_000);
    let box: { dir: string; env: NodeJS.ProcessEnv };
    before(async () => {
      box = sandbox();
      if (examples.some((e) => e.command.includes('redis://'))) redis = await startRedis('mm-examples');
    });
    after(async () => {
      for (const c of background.splice(0)) {
        if (c.exitCode === null) {
          const gone = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
          if (c.exitCode === null) c.kill('SIGKILL');
        }
      }
      cleanup(box.dir);
      redis?.stop();
      redis = null;
    });
    for (const e of examples) {
      it(`[${e.source}] ${e.command}`, async () => {
        const t0 = Date.now();
        const r = e.background === true ? await startBackground(e, box.dir, box.env) : LONG_RUNNING.test(e.command) ? await runServer(e, box.dir, box.env) : bash(e.command, box.dir, box.env);
        if (process.env['MM_EXAMPLES_VERBOSE']) process.stderr.write(`TIMING ${Date.now() - t0} ms exit ${r.status}: ${e.command}\n`);
        expect(r.status, `exit ${r.status}, expected ${e.expectExit}\n${r.stderr.trim().split('\n').slice(-4).join('\n')}`).to.equal(e.expectExit);
        const jqNull = /\|\s*jq\b[^>]*$/.test(e.command) && 'stdout' in r && /^(null\s*)+$|^\s*$/.test(String(r.stdout));
        expect(jqNull, 'jq printed null or nothing: the JSON path in the example is wrong').to.equal(false);
      });
    }
  });
}

describe('examples', () => {
  it('every command has --help examples and the README has shell blocks with mm commands', async () => {
    const config = await Config.load(repoRoot);
    // mm's own commands (plugins' hidden helpers such as autocomplete:create have none).
    for (const c of config.commands.filter((x) => x.pluginName === config.name && x.hidden !== true)) {
      expect(help.some((e) => e.source === `mm ${c.id.replaceAll(':', ' ')} --help`), `${c.id} has no example`).to.equal(true);
    }
    expect(fromReadme.length).to.be.greaterThan(15);
    expect(fromReadme.some((e) => e.whileRunning.length > 0)).to.equal(true);
  });

  runAll(`each of the ${help.length} --help examples runs as written (a fresh registry, data commands → train → promote → … → pipelines)`, helpOrdered);
  runAll(`each of the ${fromReadme.length} README commands runs as written, top to bottom in a fresh registry`, fromReadme);
});
