import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');

describe('mm train --calibrate, ens and the written probabilities', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('the demo\'s prediction table (bundled data, a fully grown uncalibrated forest) has no probability of exactly 0 or 1', async () => {
    // The demo's train → predict on data/, with the forest that gave 70 exact zeros in 3,900 probabilities.
    const reg = join(dir, 'runs');
    const out = join(dir, 'NVDA_predictions.csv');
    const t = await mm(['train', join(repoRoot, 'data/NVDA_5m_train.csv'), '--trees', '30', '--min-samples-leaf', '1', '--calibrate', 'none', '--registry', reg]);
    expect(t.exitCode, t.stderr).to.equal(0);
    const p = await mm(['predict', join(repoRoot, 'data/NVDA_5m_predict.csv'), '--model', 'latest', '--history', join(repoRoot, 'data/NVDA_5m_train.csv'), '--out', out, '--registry', reg]);
    expect(p.exitCode, p.stderr).to.equal(0);
    const [head, ...lines] = readFileSync(out, 'utf8').trimEnd().split('\n');
    const cols = (head as string).split(',');
    const idx = ['p_strong_sell', 'p_sell', 'p_hold', 'p_buy', 'p_strong_buy'].map((c) => cols.indexOf(c));
    expect(idx.every((i) => i >= 0)).to.equal(true);
    expect(lines.length).to.be.above(700);
    let logLossTerms = 0;
    for (const l of lines) {
      const f = l.split(',');
      const ps = idx.map((i) => Number(f[i]));
      for (const v of ps) {
        expect(v).to.be.above(0);
        expect(v).to.be.below(1);
        logLossTerms += -Math.log(v);
      }
      expect(ps.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
    }
    expect(Number.isFinite(logLossTerms)).to.equal(true);
  });

  it('--calibrate sigmoid prints the calibration block with the reliability diagram and stores the calibrators', async () => {
    const reg = join(dir, 'runs');
    const r = await mm(['train', TRAIN, '--trees', '10', '--calibrate', 'sigmoid', '--registry', reg]);
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/calibration: sigmoid, fitted on \d chronological inner folds? of the training rows/);
    expect(r.stdout).to.match(/test rows, after/);
    expect(r.stdout).to.match(/reliability \(test rows, top-label confidence bins\)/);
    const j = json<{ run: { model: { params: Record<string, unknown> } } }>(await mm(['runs', 'show', 'latest', '--registry', reg, '--json']));
    expect(JSON.stringify(j)).to.contain('"calibrate":"sigmoid"');
    // mm report draws the reliability diagram of the calibrated run (and none for an uncalibrated one).
    await mm(['train', TRAIN, '--trees', '10', '--calibrate', 'none', '--registry', reg]);
    const html = join(dir, 'report.html');
    expect((await mm(['report', '--out', html, '--registry', reg])).exitCode).to.equal(0);
    const text = readFileSync(html, 'utf8');
    expect(text).to.match(/Reliability \(test rows, calibrators from \d inner folds? of the training rows\)/);
    expect(text).to.contain('after (sigmoid)');
  });

  it('--calibrate refuses an unknown method with exit 2', async () => {
    const r = await mm(['train', TRAIN, '--calibrate', 'platt', '--registry', join(dir, 'runs')]);
    expect(r.exitCode).to.equal(2);
  });

  it('mm compare --models logreg,ens --calibrate isotonic records an ens run that mm predict serves from', async () => {
    const reg = join(dir, 'runs');
    const r = await mm(['compare', TRAIN, '--models', 'logreg,ens', '--params', '{"ens":{"members":["logreg","knn"]}}', '--folds', '2', '--calibrate', 'isotonic', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const out = json<{ runs: Record<string, string> }>(r);
    expect(Object.keys(out.runs).sort()).to.deep.equal(['ens', 'logreg']);
    const model = JSON.parse(readFileSync(join(reg, out.runs['ens'] as string, 'model.json'), 'utf8')) as { kind: string; base: { kind: string; names: string[]; weights: number[] } };
    expect(model.kind).to.equal('calibrated');
    expect(model.base.kind).to.equal('ens');
    expect(model.base.names).to.deep.equal(['logreg', 'knn']);
    expect(model.base.weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    const p = await mm(['predict', fixture('cli', 'NVDA_predict.csv'), '--model', out.runs['ens'] as string, '--registry', reg, '--json']);
    expect(p.exitCode, p.stderr).to.equal(0);
    // Promoted (promote loads and verifies the model first) and backtested like any other run.
    const pr = await mm(['promote', out.runs['ens'] as string, '--alias', 'champion', '--force', '--registry', reg]);
    expect(pr.exitCode, pr.stderr).to.equal(0);
    const bt = await mm(['backtest', fixture('cli', 'NVDA_predict.csv'), '--model', 'champion', '--registry', reg, '--json']);
    expect(bt.exitCode, bt.stdout).to.equal(0);
  });

  it('mm train --test-from tests on the bars from that date on', async () => {
    const r = await mm(['train', TRAIN, '--trees', '10', '--test-from', '2023-04-28', '--registry', join(dir, 'runs'), '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const out = json<{ split: { testFrom: string; trainTo: string } }>(r);
    expect(out.split.testFrom.startsWith('2023-04-28T13:30')).to.equal(true);
    expect(out.split.trainTo < '2023-04-28').to.equal(true);
    const bad = await mm(['train', TRAIN, '--test-from', 'yesterday', '--registry', join(dir, 'runs')]);
    expect(bad.exitCode).to.equal(2);
  });
});
