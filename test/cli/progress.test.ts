import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanup, repoRoot, tempDir } from '../helpers.js';

/**
 * The progress bar is drawn on stderr only when stderr is a terminal and --json is off. Run under
 * a real pseudo-terminal with util-linux `script`: stdout goes to a file, so what `script` records
 * is what the command wrote to the terminal through stderr.
 */
const run = resolve(repoRoot, 'bin/run.js');
const data = resolve(repoRoot, 'test/fixtures/cli/NVDA_train.csv');
const hasScript = spawnSync('script', ['--version']).status === 0;

function underPty(args: string, dir: string): { terminal: string; stdout: string } {
  const out = join(dir, 'stdout.txt');
  const r = spawnSync('script', ['-qec', `"${process.execPath}" "${run}" ${args} > "${out}"`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
  expect(r.status, r.stdout).to.equal(0);
  return { terminal: r.stdout, stdout: readFileSync(out, 'utf8') };
}

// A bar frame: "████░░░░ 12/40 30% | ETA 2s | fitting rf …"
const BAR = /[█░]{10,} \d+\/40 \d+% \| ETA \S+ \| fitting rf on \d+ rows: trees/;

describe('progress display', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = tempDir('mm-progress-'); });
  afterEach(() => cleanup(dir));

  it('a terminal sees a bar with counts and ETA on stderr while trees are grown, cleared at the end', function () {
    if (!hasScript) this.skip();
    const { terminal, stdout } = underPty(`train "${data}" --trees 40 --registry "${join(dir, 'runs')}"`, dir);
    expect(terminal).to.match(BAR);
    expect(terminal).to.include('40/40 100%');
    expect(stdout).to.not.match(/ETA/);
    expect(stdout).to.match(/macro/i);
  });

  it('nothing under --json on a terminal, and nothing when stderr is a pipe', function () {
    if (!hasScript) this.skip();
    const { terminal, stdout } = underPty(`train "${data}" --trees 40 --json --registry "${join(dir, 'runs')}"`, dir);
    expect(terminal).to.not.match(/ETA|█|░/);
    expect(() => JSON.parse(stdout)).to.not.throw();
    const piped = spawnSync(process.execPath, [run, 'train', data, '--trees', '40', '--registry', join(dir, 'runs2')], { encoding: 'utf8' });
    expect(piped.status).to.equal(0);
    expect(piped.stderr).to.not.match(/ETA|█|░|\r/);
  });

  it('mm pipeline draws a bar for its compare step on a terminal and keeps its log lines whole; a pipe gets plain lines', function () {
    if (!hasScript) this.skip();
    const cfg = join(dir, 'pipeline.json');
    writeFileSync(cfg, JSON.stringify({
      data: 'data',
      ingest: { from: [data] },
      compare: { models: ['rf', 'logreg'], folds: 2, params: { rf: { nTrees: 20, minSamplesLeaf: 40, calibrate: 'none' } } },
      gate: { alias: 'champion' },
    }));
    const { terminal } = underPty(`pipeline "${cfg}" --registry "${join(dir, 'runs')}"`, dir);
    // compare's units: 2 candidates × 2 folds, then the refits.
    expect(terminal).to.match(/[█░]{10,} \d+\/\d+ \d+% \| ETA/);
    // Every log line starts at the beginning of a line, not after a bar frame.
    // (What a terminal shows of a line is what follows its last carriage return and line clear.)
    const lines = terminal.split(/\r?\n/).filter((l) => l.includes(' mm pipeline '));
    expect(lines.length).to.be.above(2);
    for (const line of lines) expect((line.split('\r').pop() ?? '').replace(/^\u001b\[2K/, '')).to.match(/^\d{4}-\d\d-\d\dT[^ ]+ mm pipeline /);
    const piped = spawnSync(process.execPath, [run, 'pipeline', cfg, '--registry', join(dir, 'runs2')], { encoding: 'utf8', cwd: dir });
    expect(piped.status, piped.stderr).to.equal(0);
    expect(piped.stderr).to.match(/mm pipeline /);
    expect(piped.stderr).to.not.match(/ETA|█|░|\r/);
  });
});
