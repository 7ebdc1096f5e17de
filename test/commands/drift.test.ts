import { captureOutput } from '@oclif/test';
import { expect } from 'chai';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Drift from '../../src/commands/drift.js';
import Train from '../../src/commands/train.js';
import type { DriftResult } from '../../src/core/drift/index.js';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { checkHtml, externalRefs } from '../core/report/html-check.js';

const REF = fixture('drift', 'NVDA_ref.csv');
const CUR = fixture('drift', 'NVDA_cur.csv');
const VOLATILE = fixture('drift', 'NVDA_volatile.csv');

/**
 * Run a command class in process and collect its exit code (the base command sets process.exitCode
 * instead of throwing). Calling the class keeps the test independent of the build directory that
 * package.json points oclif at.
 */
async function run(cmd: { run(argv: string[], opts: string): Promise<unknown> }, args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  process.exitCode = undefined;
  const r = await captureOutput(() => cmd.run(args, repoRoot));
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : r.error ? 1 : 0;
  process.exitCode = undefined;
  return { stdout: r.stdout, stderr: r.stderr, exitCode };
}

describe('mm drift', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('compares the default features of two CSVs with KS (small reference) and prints one JSON document', async () => {
    const r = await run(Drift, ['--reference', REF, '--current', REF, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const out = JSON.parse(r.stdout) as DriftResult;
    expect(out.report.nColumns).to.equal(12);
    expect(out.report.columns.every((c) => c.method === 'ks' && !c.drifted)).to.equal(true); // same data: D = 0, p = 1
    expect(out.report.drifted).to.equal(false);
    expect(out.reference.kind).to.equal('csv');
    expect(out.model).to.equal(null);
  });

  it('--fail-on-drift exits 6 with a CHECK_FAILED document when the volatility regime changes', async () => {
    const r = await run(Drift, ['--reference', REF, '--current', VOLATILE, '--fail-on-drift', '--json']);
    expect(r.exitCode).to.equal(6);
    const e = JSON.parse(r.stdout) as { error: { code: string; details: { drifted: boolean; nDrifted: number } } };
    expect(e.error.code).to.equal('CHECK_FAILED');
    expect(e.error.details.drifted).to.equal(true);
    expect(e.error.details.nDrifted).to.be.at.least(6);
  });

  it('--fail-on-drift --json keeps the full per-column report in the document beside the error', async () => {
    const failing = await run(Drift, ['--reference', REF, '--current', VOLATILE, '--fail-on-drift', '--json']);
    const plain = await run(Drift, ['--reference', REF, '--current', VOLATILE, '--json']);
    expect(failing.exitCode).to.equal(6);
    const { error, ...report } = JSON.parse(failing.stdout) as { error: { code: string; exitCode: number }; report: { columns: unknown[]; drifted: boolean } };
    expect(error).to.include({ code: 'CHECK_FAILED', exitCode: 6 });
    // Exactly the report the same run prints without the gate.
    expect(report).to.deep.equal(JSON.parse(plain.stdout));
    expect(report.report.drifted).to.equal(true);
    expect(report.report.columns.length).to.be.above(6);
  });

  it('without --fail-on-drift a drifting dataset still exits 0 and marks the drifting columns', async () => {
    const r = await run(Drift, ['--reference', REF, '--current', VOLATILE]);
    expect(r.exitCode).to.equal(0);
    // Not a TTY under mocha: CSV on stdout, the verdict on stderr.
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal('column,method,value,threshold,drift,ref_rows,cur_rows,ks_p,wasserstein_norm,psi');
    expect(lines.find((l) => l.startsWith('atr_norm_14,'))).to.include(',DRIFT,');
    expect(r.stderr).to.include('DATASET DRIFT');
  });

  it('--out writes a self-contained HTML report with the table and verdict', async () => {
    const out = join(dir, 'drift.html');
    const r = await run(Drift, ['--reference', REF, '--current', VOLATILE, '--out', out, '--json']);
    expect(r.exitCode).to.equal(0);
    const html = readFileSync(out, 'utf8');
    const c = checkHtml(html);
    expect(c.problems).to.deep.equal([]);
    expect(c.scripts).to.equal(0);
    expect(externalRefs(html)).to.deep.equal([]);
    expect(html).to.include('DATASET DRIFT');
    expect(html).to.include('atr_norm_14');
  });

  it('forced method and thresholds come from flags', async () => {
    const r = await run(Drift, ['--reference', REF, '--current', CUR, '--method', 'wasserstein', '--wasserstein', '0.5', '--drift-share', '0.9', '--json']);
    const out = JSON.parse(r.stdout) as DriftResult;
    expect(out.report.columns.every((c) => c.method === 'wasserstein' && c.threshold === 0.5)).to.equal(true);
    expect(out.report.driftShare).to.equal(0.9);
  });

  it('rejects a threshold outside its range with exit 2 and an unknown reference with exit 4', async () => {
    expect((await run(Drift, ['--reference', REF, '--current', CUR, '--ks-p', '2', '--json'])).exitCode).to.equal(2);
    const r = await run(Drift, ['--reference', 'no-such-alias', '--current', CUR, '--registry', dir, '--json']);
    expect(r.exitCode).to.equal(4);
    expect(r.stdout).to.include('neither a CSV file nor a run');
  });

  describe('with a run as reference', () => {
    let data: string;
    let runId: string;
    beforeEach(async () => {
      data = join(dir, 'NVDA.csv');
      copyFileSync(REF, data);
      const t = await run(Train, [data, '--trees', '10', '--registry', join(dir, 'runs'), '--json']);
      expect(t.exitCode, t.stdout).to.equal(0);
      runId = (JSON.parse(t.stdout) as { runId: string }).runId;
    });

    it('re-reads the training file, keeps the training rows and compares the predicted-class mix of its test rows', async () => {
      const r = await run(Drift, ['--reference', runId, '--current', CUR, '--model', runId, '--registry', join(dir, 'runs'), '--json']);
      expect(r.exitCode, r.stdout).to.equal(0);
      const out = JSON.parse(r.stdout) as DriftResult;
      expect(out.reference).to.include({ kind: 'run', runId });
      expect(out.reference.bars).to.be.below(468); // the holdout's training part, not the whole file
      expect(out.reference.classMix?.from).to.be.a('string'); // class mix from the out-of-sample test rows
      expect(Date.parse(out.reference.classMix?.from as string)).to.be.above(Date.parse(out.reference.to));
      const mix = out.report.columns.find((c) => c.name === 'predicted_action');
      expect(mix?.kind).to.equal('categorical');
      expect(mix?.method).to.equal('chisquare');
      const shares = mix?.mix?.reference ?? [];
      expect(shares.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-9);
      expect(out.report.nColumns).to.equal(13);
    });

    it('refuses a training file that changed since the run (exit 3) or is gone (exit 4)', async () => {
      writeFileSync(data, readFileSync(data, 'utf8').replace(/\n$/, '') + '\n\n');
      const changed = await run(Drift, ['--reference', runId, '--current', CUR, '--registry', join(dir, 'runs'), '--json']);
      expect(changed.exitCode).to.equal(3);
      expect(changed.stdout).to.include('changed since the run');
      rmSync(data);
      expect(existsSync(data)).to.equal(false);
      const gone = await run(Drift, ['--reference', runId, '--current', CUR, '--registry', join(dir, 'runs'), '--json']);
      expect(gone.exitCode).to.equal(4);
      expect(gone.stdout).to.include('no longer exists');
    });
  });
});
