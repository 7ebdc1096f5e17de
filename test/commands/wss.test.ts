import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const DIR = fixture('pooled');
const QQQ = fixture('index', 'QQQ.csv');

interface WssOut {
  id: string;
  hours: number;
  counts: { BUY: number; SELL: number; HOLD: number };
  baseline: { counts: { BUY: number; SELL: number; HOLD: number } };
  unweighted: string[];
  missingData: string[];
  evaluation: { model: { buy: { n: number; hits: number }; measured: number; skipped: number } } | null;
  series: { timestamp: string; wss: number | null; signal: string; coverage: number; n_symbols: number }[];
}

describe('mm wss', () => {
  let reg: string;
  before(async () => {
    reg = tempDir();
    await mm(['train', DIR, '--trees', '10', '--registry', reg]);
  });
  after(() => cleanup(reg));

  it('writes per-symbol tables, wss.csv and summary.json, with signals that follow the thresholds', async () => {
    const out = join(reg, 'wss');
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--use', 'expected', '--buy', '0.1', '--sell', '-0.1', '--out', out, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const doc = json<WssOut>(r);
    expect(doc.counts.BUY + doc.counts.SELL + doc.counts.HOLD).to.equal(doc.hours);
    for (const row of doc.series) {
      const want = row.wss === null ? 'HOLD' : row.wss >= 0.1 ? 'BUY' : row.wss <= -0.1 ? 'SELL' : 'HOLD';
      expect(row.signal).to.equal(want);
      expect(row.coverage).to.equal(1);
    }
    const csv = readFileSync(join(out, 'wss.csv'), 'utf8').split('\n');
    expect(csv[0]).to.equal('timestamp,timestamp_next,wss,signal,coverage,n_symbols');
    expect(csv.filter((l) => l !== '').length - 1).to.equal(doc.hours);
    for (const s of ['AAPL', 'MSFT', 'NVDA']) expect(readFileSync(join(out, `${s}.csv`), 'utf8')).to.match(/^symbol,timestamp/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).counts).to.deep.equal(doc.counts);
  });

  it('records each run under <registry>/wss/<id>.json with the summary and the series, and prints the id', async () => {
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--use', 'expected', '--registry', reg, '--json']);
    const doc = json<WssOut>(r);
    expect(doc.id).to.match(/^\d{8}T\d{6}Z-wss-[0-9a-f]{6}$/);
    const rec = JSON.parse(readFileSync(join(reg, 'wss', `${doc.id}.json`), 'utf8')) as {
      id: string; command: string; summary: { counts: unknown; hours: number }; series: { hours: number; time: string[]; wss: (number | null)[]; signal: string[] };
    };
    expect(rec.id).to.equal(doc.id);
    expect(rec.command).to.match(/^mm wss /);
    expect(rec.summary.counts).to.deep.equal(doc.counts);
    expect(rec.series.hours).to.equal(doc.hours);
    // Fewer hours than the 1000-point bound: kept whole, hour by hour as --json gives them.
    expect(rec.series.time).to.deep.equal(doc.series.map((s) => s.timestamp));
    expect(rec.series.signal).to.deep.equal(doc.series.map((s) => s.signal));
    expect(rec.series.wss).to.deep.equal(doc.series.map((s) => s.wss));
    const text = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--registry', reg]);
    expect(text.stdout).to.match(/^recorded wss \d{8}T\d{6}Z-wss-[0-9a-f]{6} \(/m);
  });

  it('lists symbols without a weight and weights without data, and renormalises over the rest', async () => {
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'partial.csv'), '--model', 'latest', '--registry', reg, '--json']);
    const doc = json<WssOut>(r);
    expect(doc.unweighted).to.deep.equal(['NVDA']);
    expect(doc.missingData).to.deep.equal(['ZZZ']);
    // AAPL and MSFT carry 0.8 of the weight.
    expect(doc.series[doc.series.length - 1]?.coverage).to.be.closeTo(0.8, 1e-9);
    expect(doc.series.every((s) => s.n_symbols === 2)).to.equal(true);
  });

  it('with --index scores BUY/SELL hours against the index next-bar return, beside the persistence vote', async () => {
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--index', QQQ, '--registry', reg, '--json']);
    const doc = json<WssOut>(r);
    expect(doc.evaluation?.model.buy.n).to.be.at.most(doc.counts.BUY);
    expect(doc.evaluation?.model.measured).to.equal(doc.hours - (doc.evaluation?.model.skipped ?? 0));
    expect(doc.baseline.counts.BUY + doc.baseline.counts.SELL + doc.baseline.counts.HOLD).to.equal(doc.hours);
  });

  it('trades the index on the signal with costs and tunes thresholds only on the validation hours', async () => {
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--index', QQQ, '--fee-bps', '1', '--use', 'expected', '--sweep', 'threshold=0.05:0.25:0.1', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    const ev = (json<{ evaluation: { trade: { model: { rows: number } }; sweep: { rows: unknown[]; validation: { to: string }; test: { from: string } } } }>(r)).evaluation;
    expect(ev.trade.model.rows).to.be.above(100);
    expect(ev.sweep.rows).to.have.length(3);
    expect(Date.parse(ev.sweep.validation.to)).to.be.below(Date.parse(ev.sweep.test.from));
    const noIndex = await mm(['wss', DIR, '--weights', fixture('weights', 'partial.csv'), '--model', 'latest', '--sweep', 'threshold=0.1:0.2:0.1', '--registry', reg]);
    expect(noIndex.exitCode).to.equal(2);
  });

  it('refuses a weights file without weights (exit 3) and inverted thresholds (exit 2)', async () => {
    const bad = await mm(['wss', DIR, '--weights', fixture('index', 'QQQ.csv'), '--model', 'latest', '--registry', reg]);
    expect(bad.exitCode).to.equal(3);
    const inv = await mm(['wss', DIR, '--weights', fixture('weights', 'partial.csv'), '--model', 'latest', '--buy', '-1', '--sell', '1', '--registry', reg]);
    expect(inv.exitCode).to.equal(2);
  });
});
