import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBarsFile } from '../../src/core/data/index.js';
import { forwardReturns, quantileSorted } from '../../src/core/labels/index.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');

interface Cand {
  name: string; isBaseline: boolean; rank: number; folds: { testRows: number }[]; vsBestBaseline: { lo: number; hi: number; delta: number } | null; beatsBaselines: boolean | null;
  verdict: string | null; uncalibrated: boolean | null; pooled: { logLoss: number; brier: number; ece: number }; summary: { macroF1: { mean: number }; logLoss: { mean: number } };
}
interface Gate {
  evaluation: string; reason: string; metric: string; passed: boolean; challenger: number; champion: number; rows: number;
  calibration: { uncalibrated: boolean | null }; interval: { delta: number; lo: number; hi: number } | null; verdict: string | null;
}
interface Out { comparisonId: string; runs: Record<string, string>; candidates: Cand[]; bestBaseline: string; folds: { train: { from: string; to: string }; test: { from: string; to: string }; labels: { t1: number; t2: number } }[] }

describe('mm compare', () => {
  let reg: string;
  before(() => {
    reg = tempDir();
  });
  after(() => cleanup(reg));

  let out: Out;
  it('ranks candidates and both baselines on the same folds and records a run per candidate', async () => {
    const r = await mm(['compare', TRAIN, '--models', 'rf,logreg', '--params', '{"rf":{"nTrees":30,"minSamplesLeaf":40,"calibrate":"none"}}', '--folds', '3', '--embargo', '0', '--resamples', '200', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 400)).to.equal(0);
    out = json<Out>(r);
    expect(out.candidates.map((c) => c.name).sort()).to.deep.equal(['logreg', 'majority', 'persistence', 'rf']);
    expect(out.candidates.map((c) => c.rank)).to.deep.equal([1, 2, 3, 4]);
    // Ranked by mean log-loss across folds by default (lower first).
    const means = out.candidates.map((c) => c.summary.logLoss.mean);
    expect(means).to.deep.equal([...means].sort((a, b) => a - b));
    // Same test rows for everyone, fold by fold.
    const rows = out.candidates.map((c) => c.folds.map((f) => f.testRows).join(','));
    expect(new Set(rows).size).to.equal(1);
    for (const c of out.candidates.filter((x) => !x.isBaseline)) {
      expect(c.vsBestBaseline?.delta).to.be.within(c.vsBestBaseline?.lo ?? 0, c.vsBestBaseline?.hi ?? 0);
      const bestBase = out.candidates.find((x) => x.name === out.bestBaseline);
      // One verdict vocabulary, read off the interval: never "beats" while the interval holds zero.
      const iv = c.vsBestBaseline as { lo: number; hi: number };
      expect(c.verdict).to.equal(iv.lo > 0 ? 'real' : iv.hi < 0 ? 'worse' : 'not significant');
      expect(c.beatsBaselines).to.equal(iv.lo > 0);
      const majority = out.candidates.find((x) => x.name === 'majority') as Cand;
      expect(c.uncalibrated).to.equal(!(c.pooled.logLoss < majority.pooled.logLoss));
      expect(bestBase?.isBaseline).to.equal(true);
    }
    expect(Object.keys(out.runs).sort()).to.deep.equal(['logreg', 'rf']);
    for (const id of Object.values(out.runs)) expect(existsSync(join(reg, id, 'model.json'))).to.equal(true);
    const record = JSON.parse(readFileSync(join(reg, 'comparisons', `${out.comparisonId}.json`), 'utf8')) as { runs: Record<string, string>; candidates: { pooled: Record<string, unknown> }[] };
    expect(record.runs).to.deep.equal(out.runs);
    // Each candidate run keeps its out-of-fold ROC/PR curves for mm report; the comparison record does not repeat them.
    for (const id of Object.values(out.runs)) {
      const run = JSON.parse(readFileSync(join(reg, id, 'run.json'), 'utf8')) as { metrics: Record<string, { curves?: { roc: unknown[]; pr: unknown[] } }> };
      expect(run.metrics['model']?.curves?.roc).to.have.length(5);
      expect(run.metrics['model']?.curves?.pr).to.have.length(5);
      expect(run.metrics['majority']).to.not.have.property('curves');
    }
    for (const c of record.candidates) expect(c.pooled).to.not.have.property('curves');
  });

  it('refits quantile thresholds on each fold\'s training rows only', () => {
    const bars = readBarsFile(TRAIN).bars;
    const fwd = forwardReturns(bars.close, 1);
    for (const f of out.folds) {
      // Independent recomputation: |r| over the fold's training bars (no embargo here), numpy-style quantile.
      const from = Date.parse(f.train.from);
      const to = Date.parse(f.train.to);
      const inTrain = Array.from(fwd).filter((_, t) => (bars.time[t] as number) >= from && (bars.time[t] as number) <= to);
      const abs = Float64Array.from(inTrain.map(Math.abs)).sort();
      expect(f.labels.t1).to.be.closeTo(quantileSorted(abs, 0.4), 1e-15);
      expect(f.labels.t2).to.be.closeTo(quantileSorted(abs, 0.8), 1e-15);
    }
    expect(out.folds[0]?.labels.t1).to.not.equal(out.folds[2]?.labels.t1);
  });

  it('runs from one comparison are promoted on their recorded out-of-fold metrics', async () => {
    const rf = out.candidates.find((c) => c.name === 'rf') as Cand;
    const logreg = out.candidates.find((c) => c.name === 'logreg') as Cand;
    const first = await mm(['promote', out.runs['rf'] as string, '--alias', 'champion', '--registry', reg, '--json']);
    // The first holder has nothing to beat; only its calibration (as compare marked it) can stop it.
    expect(first.exitCode).to.equal(rf.uncalibrated ? 6 : 0);
    if (first.exitCode !== 0) await mm(['promote', out.runs['rf'] as string, '--alias', 'champion', '--force', '--registry', reg]);
    const r = await mm(['promote', out.runs['logreg'] as string, '--alias', 'champion', '--registry', reg, '--json']);
    const doc = JSON.parse(r.stdout) as { gate?: Gate; error?: { details: { gate: Gate } } };
    const gate = doc.gate ?? doc.error?.details.gate;
    expect(gate?.evaluation).to.equal('recorded');
    expect(gate?.metric).to.equal('logLoss');
    expect(gate?.challenger).to.equal(logreg.pooled.logLoss);
    expect(gate?.champion).to.equal(rf.pooled.logLoss);
    // The gate's calibration check agrees with the comparison's mark on the same out-of-fold rows.
    expect(gate?.calibration.uncalibrated).to.equal(logreg.uncalibrated);
    expect(gate?.passed).to.equal(!logreg.uncalibrated && logreg.pooled.logLoss < rf.pooled.logLoss);
    expect(r.exitCode).to.equal(gate?.passed ? 0 : 6);
  });

  it('a walk-forward challenger against a holdout champion refits the champion inside its folds', async () => {
    const champ = JSON.parse((await mm(['train', TRAIN, '--model', 'logreg', '--registry', reg, '--json'])).stdout) as { runId: string };
    // --force: this test is about how the next challenger is judged, not whether logreg was fit to hold the alias.
    await mm(['promote', champ.runId, '--alias', 'prod', '--force', '--registry', reg]);
    const r = await mm(['promote', out.runs['rf'] as string, '--alias', 'prod', '--registry', reg, '--json']);
    const doc = JSON.parse(r.stdout) as { gate?: Gate; error?: { details: { gate: Gate } } };
    const gate = doc.gate ?? doc.error?.details.gate;
    expect(gate?.evaluation).to.equal('refit-folds');
    expect(gate?.reason).to.match(/refitted inside its 3 expanding folds/);
    // The champion was refitted on the same folds with the same seed, so its score equals the
    // logreg candidate of the comparison (same kind, same default parameters), and the challenger's its own.
    const logreg = out.candidates.find((c) => c.name === 'logreg') as Cand;
    const rf = out.candidates.find((c) => c.name === 'rf') as Cand;
    expect(gate?.champion).to.be.closeTo(logreg.pooled.logLoss, 1e-12);
    expect(gate?.challenger).to.be.closeTo(rf.pooled.logLoss, 1e-12);
    expect(gate?.rows).to.equal(rf.folds.reduce((a, f) => a + f.testRows, 0));
    // The interval of the difference is taken on those rows and the verdict read off it.
    expect(gate?.interval?.delta).to.be.closeTo(logreg.pooled.logLoss - rf.pooled.logLoss, 1e-9);
    const iv = gate?.interval as { lo: number; hi: number };
    expect(gate?.verdict).to.equal(iv.lo > 0 ? 'real' : iv.hi < 0 ? 'worse' : 'not significant');
    expect(r.exitCode).to.equal(gate?.passed ? 0 : 6);
  });

  it('pools several symbols and picks the threshold scheme with the largest edge over the baselines', async () => {
    const r = await mm(['compare', fixture('pooled'), '--models', 'logreg', '--folds', '2', '--thresholds', 'fixed,quantile', '--resamples', '50', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const doc = json<{ schemes: { scheme: string; edge: number; chosen: boolean }[]; labels: { scheme: string }; data: unknown[]; runs: Record<string, string> }>(r);
    expect(doc.data).to.have.length(3);
    expect(doc.schemes.map((x) => x.scheme)).to.deep.equal(['fixed', 'quantile']);
    const best = doc.schemes.reduce((a, b) => (b.edge > a.edge ? b : a));
    expect(doc.schemes.filter((x) => x.chosen).map((x) => x.scheme)).to.deep.equal([best.scheme]);
    expect(doc.labels.scheme).to.equal(best.scheme);
    const run = JSON.parse(readFileSync(join(reg, doc.runs['logreg'] as string, 'run.json'), 'utf8')) as { symbolFeature: { kind: string }; labels: { scheme: string } };
    expect(run.symbolFeature.kind).to.equal('ordinal');
    expect(run.labels.scheme).to.equal(best.scheme);
  });

  it('rejects an unknown candidate with exit 2', async () => {
    expect((await mm(['compare', TRAIN, '--models', 'rf,xgboost', '--registry', reg])).exitCode).to.equal(2);
  });
});
