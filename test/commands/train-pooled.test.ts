import { expect } from 'chai';
import { copyFileSync, readFileSync } from 'node:fs';
import { readBarsFile } from '../../src/core/data/index.js';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const DIR = fixture('pooled');

interface Pooled {
  runId: string;
  symbols: string[];
  cut: string;
  trainRows: number;
  testRows: number;
  metrics: { model: { n: number }; persistence: { n: number } };
  perSymbol: { symbol: string; testRows: number }[];
  run: { symbolFeature: { kind: string; symbols: string[] }; data: { symbols: string[] } };
}

describe('mm train on several symbols (pooled)', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  it('pools every file of a directory with one time cut and an ordinal symbol feature', async () => {
    const r = await mm(['train', DIR, '--trees', '10', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const out = json<Pooled>(r);
    expect(out.symbols).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    expect(out.run.symbolFeature).to.deep.equal({ kind: 'ordinal', symbols: ['AAPL', 'MSFT', 'NVDA'] });
    expect(out.metrics.model.n).to.equal(out.testRows);
    expect(out.metrics.persistence.n).to.equal(out.testRows);
    expect(out.perSymbol.reduce((a, p) => a + p.testRows, 0)).to.equal(out.testRows);
    // One cut for all: every test row of every symbol is at or after it, no training row is.
    const cut = Date.parse(out.cut);
    for (const s of out.symbols) {
      const bars = readBarsFile(`${DIR}/${s}.csv`).bars;
      const after = Array.from(bars.time).filter((t) => t >= cut).length;
      // Test rows per symbol = bars from the cut on, minus the last bar (no forward return).
      expect(out.perSymbol.find((p) => p.symbol === s)?.testRows).to.equal(after - 1);
    }
  });

  it('a pooled model predicts one symbol\'s file with its symbol feature', async () => {
    await mm(['train', DIR, '--trees', '10', '--symbol-feature', 'onehot', '--registry', reg]);
    const r = await mm(['predict', `${DIR}/MSFT.csv`, '--model', 'latest', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const out = json<{ predictions: { symbol: string }[] }>(r);
    expect(out.predictions.length).to.be.above(200);
    expect(out.predictions.every((p) => p.symbol === 'MSFT')).to.equal(true);
  });

  it('predicts a directory into one table per symbol', async () => {
    await mm(['train', DIR, '--trees', '10', '--registry', reg]);
    const out = `${reg}/pred`;
    const r = await mm(['predict', DIR, '--model', 'latest', '--out', out, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const doc = json<{ summary: { symbol: string; rows: number }[] }>(r);
    expect(doc.summary.map((x) => x.symbol)).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    for (const x of doc.summary) {
      const lines = readFileSync(`${out}/${x.symbol}.csv`, 'utf8').trim().split('\n');
      expect(lines.length - 1).to.equal(x.rows);
      expect(lines[1]?.startsWith(`${x.symbol},`)).to.equal(true);
    }
    const noOut = await mm(['predict', DIR, '--model', 'latest', '--registry', reg]);
    expect(noOut.exitCode).to.equal(2);
  });

  it('--market-context: trains with the basket features, predicts the constituents together and refuses one alone', async () => {
    const r = await mm(['train', DIR, '--trees', '10', '--market-context', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const run = json<Pooled & { run: { features: { features: string[]; basket: string[] } } }>(r).run;
    expect(run.features.basket).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    expect(run.features.features.slice(-4)).to.deep.equal(['mkt_ret_1', 'mkt_breadth', 'mkt_vol_20', 'rel_ret_1']);
    const out = `${reg}/pred`;
    const all = await mm(['predict', DIR, '--model', 'latest', '--out', out, '--registry', reg, '--json']);
    expect(all.exitCode, all.stdout.slice(0, 300)).to.equal(0);
    expect(json<{ summary: { rows: number }[] }>(all).summary.every((x) => x.rows > 200)).to.equal(true);
    const one = await mm(['predict', `${DIR}/MSFT.csv`, '--model', 'latest', '--registry', reg, '--json']);
    expect(one.exitCode).to.equal(2);
    expect(json<{ error: { message: string; hint: string } }>(one).error).to.include({ hint: 'predict the constituents together (mm predict <dir>, mm wss, POST /predict/batch)' });
    // A single file cannot form a basket.
    const single = await mm(['train', `${DIR}/MSFT.csv`, '--market-context', '--registry', reg, '--json']);
    expect(single.exitCode).to.equal(2);
  });

  it('mm compare --market-context records runs whose spec carries the basket', async () => {
    const r = await mm(['compare', DIR, '--models', 'rf', '--params', '{"rf":{"nTrees":10}}', '--folds', '2', '--market-context', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const runId = json<{ runs: Record<string, string> }>(r).runs['rf'] as string;
    const rec = JSON.parse(readFileSync(`${reg}/${runId}/run.json`, 'utf8')) as { features: { basket: string[]; features: string[] } };
    expect(rec.features.basket).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    expect(rec.features.features).to.include('rel_ret_1');
  });

  it('rejects two files of the same symbol', async () => {
    const copy = `${reg}/AAPL_copy.csv`;
    copyFileSync(`${DIR}/AAPL.csv`, copy);
    const r = await mm(['train', `${DIR}/AAPL.csv`, copy, '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(2);
    expect(json<{ error: { message: string } }>(r).error.message).to.match(/AAPL/);
  });
});
