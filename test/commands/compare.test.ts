import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBarsFile } from '../../src/core/data/index.js';
import { forwardReturns, quantileSorted } from '../../src/core/labels/index.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');

interface Cand { name: string; isBaseline: boolean; rank: number; folds: { testRows: number }[]; vsBestBaseline: { lo: number; hi: number; delta: number } | null; beatsBaselines: boolean | null; summary: { macroF1: { mean: number } } }
interface Out { comparisonId: string; runs: Record<string, string>; candidates: Cand[]; bestBaseline: string; folds: { train: { from: string; to: string }; test: { from: string; to: string }; labels: { t1: number; t2: number } }[] }

describe('mm compare', () => {
  let reg: string;
  before(() => {
    reg = tempDir();
  });
  after(() => cleanup(reg));

  let out: Out;
  it('ranks candidates and both baselines on the same folds and records a run per candidate', async () => {
    const r = await mm(['compare', TRAIN, '--models', 'rf,logreg', '--params', '{"rf":{"nTrees":10}}', '--folds', '3', '--embargo', '0', '--resamples', '200', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 400)).to.equal(0);
    out = json<Out>(r);
    expect(out.candidates.map((c) => c.name).sort()).to.deep.equal(['logreg', 'majority', 'persistence', 'rf']);
    expect(out.candidates.map((c) => c.rank)).to.deep.equal([1, 2, 3, 4]);
    const means = out.candidates.map((c) => c.summary.macroF1.mean);
    expect(means).to.deep.equal([...means].sort((a, b) => b - a));
    // Same test rows for everyone, fold by fold.
    const rows = out.candidates.map((c) => c.folds.map((f) => f.testRows).join(','));
    expect(new Set(rows).size).to.equal(1);
    for (const c of out.candidates.filter((x) => !x.isBaseline)) {
      expect(c.vsBestBaseline?.delta).to.be.within(c.vsBestBaseline?.lo ?? 0, c.vsBestBaseline?.hi ?? 0);
      const bestBase = out.candidates.find((x) => x.name === out.bestBaseline);
      expect(c.beatsBaselines).to.equal(out.candidates.filter((x) => x.isBaseline).every((b) => c.summary.macroF1.mean > b.summary.macroF1.mean));
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
    await mm(['promote', out.runs['logreg'] as string, '--alias', 'champion', '--registry', reg]);
    const r = await mm(['promote', out.runs['rf'] as string, '--alias', 'champion', '--registry', reg, '--json']);
    const doc = JSON.parse(r.stdout) as { gate?: { evaluation: string; passed: boolean }; error?: { details: { gate: { evaluation: string; passed: boolean } } } };
    const gate = doc.gate ?? doc.error?.details.gate;
    expect(gate?.evaluation).to.equal('recorded');
    expect(r.exitCode).to.equal(gate?.passed ? 0 : 6);
  });

  it('a walk-forward challenger against a holdout champion refits the champion inside its folds', async () => {
    const champ = JSON.parse((await mm(['train', TRAIN, '--model', 'logreg', '--registry', reg, '--json'])).stdout) as { runId: string };
    await mm(['promote', champ.runId, '--alias', 'prod', '--registry', reg]);
    const r = await mm(['promote', out.runs['rf'] as string, '--alias', 'prod', '--registry', reg, '--json']);
    const doc = JSON.parse(r.stdout) as { gate?: { evaluation: string; passed: boolean; champion: number }; error?: { details: { gate: { evaluation: string; passed: boolean; champion: number } } } };
    const gate = doc.gate ?? doc.error?.details.gate;
    expect(gate?.evaluation).to.equal('recomputed');
    // The champion was refitted on the same folds with the same seed, so its score equals the
    // logreg candidate of the comparison (same kind, same default parameters).
    const logreg = out.candidates.find((c) => c.name === 'logreg') as unknown as { pooled: { macroF1: number } };
    expect(gate?.champion).to.be.closeTo(logreg.pooled.macroF1, 1e-12);
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
