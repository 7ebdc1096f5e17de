import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { cleanup, repoRoot, tempDir } from '../helpers.js';

const run = resolve(repoRoot, 'bin/run.js');
const data = resolve(repoRoot, 'test/fixtures/cli/NVDA_train.csv');

function mm(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [run, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** stderr is exactly "error <message>" and "hint  <hint>": one line each, no oclif boilerplate. */
function oneLine(r: { stderr: string }): { message: string; hint: string } {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).to.have.length(2);
  expect(lines[0]).to.match(/^error \S/);
  expect(lines[1]).to.match(/^hint {2}\S/);
  expect(r.stderr).to.not.match(/The following error|See more help|Note: |allows multiple values|›/);
  return { message: (lines[0] as string).slice(6), hint: (lines[1] as string).slice(6) };
}

describe('usage errors: one line with a hint, exit 2, JSON under --json', function () {
  this.timeout(60_000);

  it('a missing argument names it and shows a runnable example (not oclif\'s paragraph about --tag)', () => {
    const r = mm(['train']);
    expect(r.status).to.equal(2);
    const e = oneLine(r);
    expect(e.message).to.match(/^missing argument <csv>/);
    expect(e.hint).to.include('e.g. mm train data/NVDA_5m_train.csv');
  });

  it('a missing required flag says which, without "The following error occurred::"', () => {
    const r = mm(['predict', data]);
    expect(r.status).to.equal(2);
    const e = oneLine(r);
    expect(e.message).to.equal('missing required flag --model');
    expect(e.hint).to.match(/--model: .*e\.g\. mm predict .*--model latest/);
  });

  it('a mistyped flag gets "did you mean", also under --json', () => {
    const r = mm(['train', data, '--modle', 'rf']);
    expect(r.status).to.equal(2);
    expect(oneLine(r)).to.deep.equal({ message: 'unknown flag --modle', hint: 'did you mean --model? (mm train --help lists every flag)' });
    const j = mm(['train', data, '--modle', 'rf', '--json']);
    expect(j.status).to.equal(2);
    expect(JSON.parse(j.stdout)).to.deep.equal({ error: { code: 'USAGE', message: 'unknown flag --modle', exitCode: 2, hint: 'did you mean --model? (mm train --help lists every flag)' } });
    expect(j.stderr).to.equal('');
  });

  it('a mistyped option value and a non-number get hints', () => {
    const a = mm(['train', data, '--scheme', 'quantle']);
    expect(a.status).to.equal(2);
    expect(oneLine(a)).to.deep.equal({ message: '--scheme must be one of fixed, quantile, vol; got "quantle"', hint: 'did you mean --scheme quantile?' });
    const b = mm(['train', data, '--trees', 'abc']);
    expect(b.status).to.equal(2);
    const e = oneLine(b);
    expect(e.message).to.equal('--trees: expected a whole number, got "abc"');
    expect(e.hint).to.match(/^e\.g\. mm train .*--trees \d+/);
  });

  it('exclusive flags and extra arguments are one line each', () => {
    const a = mm(['backtest', data, '--model', 'latest', '--predictions', 'x.csv']);
    expect(a.status).to.equal(2);
    expect(oneLine(a).message).to.equal('--predictions cannot be used together with --model');
    const b = mm(['runs', 'show', 'a', 'b']);
    expect(b.status).to.equal(2);
    expect(oneLine(b).message).to.equal('unexpected argument: b');
  });

  it('an unknown command suggests the one meant, with its arguments, as text or JSON', () => {
    const r = mm(['trian', data]);
    expect(r.status).to.equal(2);
    expect(oneLine(r)).to.deep.equal({ message: '"trian" is not an mm command', hint: `did you mean: mm train ${data}` });
    const t = mm(['runs', 'lst']);
    expect(t.status).to.equal(2);
    expect(oneLine(t).hint).to.equal('did you mean: mm runs list');
    const j = mm(['trian', data, '--json']);
    expect(j.status).to.equal(2);
    expect(JSON.parse(j.stdout).error).to.include({ code: 'USAGE', exitCode: 2, message: '"trian" is not an mm command' });
    const x = mm(['xyzzy']);
    expect(x.status).to.equal(2);
    expect(oneLine(x).hint).to.equal('mm help lists the commands');
  });

  it('mm help, mm help <command>, and help for an unknown command', () => {
    const a = mm(['help']);
    expect(a.status).to.equal(0);
    expect(a.stdout).to.match(/COMMANDS[\s\S]*train/);
    const b = mm(['help', 'train']);
    expect(b.status).to.equal(0);
    expect(b.stdout).to.include('EXAMPLES');
    const c = mm(['help', 'trian']);
    expect(c.status).to.equal(2);
    oneLine(c);
  });

  it('shell completion: mm autocomplete prints a bash script that completes the commands', () => {
    const home = tempDir('mm-ac-');
    try {
      const r = mm(['autocomplete', 'script', 'bash'], { HOME: home, XDG_CACHE_HOME: resolve(home, '.cache') });
      expect(r.status).to.equal(0);
      expect(r.stdout).to.include('complete');
      const s = mm(['autocomplete', 'bash'], { HOME: home, XDG_CACHE_HOME: resolve(home, '.cache') });
      expect(s.status).to.equal(0);
      const cache = spawnSync('grep', ['-rl', 'compare', resolve(home, '.cache')], { encoding: 'utf8' });
      expect(cache.stdout, 'the completion cache lists mm\'s commands').to.not.equal('');
    } finally {
      cleanup(home);
    }
  });

  it('a reader that goes away early (mm help | head -1) is not an error', () => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${run}" help | head -1`], { encoding: 'utf8' });
    expect(r.status).to.equal(0);
  });
});
