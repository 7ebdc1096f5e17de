import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
      expect(row.coverage).to.be.closeTo(1, 1e-12);
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

  it('reports hit rates with Wilson intervals, the correlation with a bootstrap interval and p-value, and excludes the last hour', async () => {
    const r = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--index', QQQ, '--use', 'expected', '--buy', '0.05', '--sell', '-0.05', '--registry', reg, '--json']);
    type Ev = { buy: { n: number; hits: number; ci: { lo: number; hi: number } | null }; excluded: { noNextBar: number; indexGap: number }; measured: number;
      correlation: { pearson: number; n: number; sessions: number; pearsonCi: { lo: number; hi: number; p: number } } };
    const ev = json<{ hours: number; evaluation: { model: Ev } }>(r).evaluation.model;
    // The index fixture ends with the constituents: the last hour has no next index bar.
    expect(ev.excluded.noNextBar).to.equal(1);
    expect(ev.measured).to.equal(json<{ hours: number }>(r).hours - 1);
    if (ev.buy.n > 0) {
      expect(ev.buy.ci!.lo).to.be.at.most(ev.buy.hits / ev.buy.n);
      expect(ev.buy.ci!.hi).to.be.at.least(ev.buy.hits / ev.buy.n);
    }
    expect(ev.correlation.sessions).to.equal(4);
    expect(ev.correlation.pearsonCi.lo).to.be.below(ev.correlation.pearsonCi.hi);
    expect(ev.correlation.pearsonCi.p).to.be.within(0, 1);
    const text = await mm(['wss', DIR, '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--index', QQQ, '--registry', reg]);
    expect(text.stdout).to.match(/excluded from every count above: 1 hour whose next index bar does not exist yet \(the last hour\)/);
    expect(text.stdout).to.match(/corr with next return \[95% CI\]/);
    expect(text.stdout).to.match(/ p [=<] \d/);
  });

  it('takes a folder of dated weights snapshots and weights each hour point in time', async () => {
    // Synthetic snapshots dated inside the fixture's sessions (2022-12-12..15): none before the 13th.
    const dir = join(reg, 'snapshots');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ndx_weights_2022-12-13.csv'), 'symbol,weight\nAAPL,0.5\nMSFT,0.5\n');
    writeFileSync(join(dir, 'ndx_weights_2022-12-14.csv'), 'symbol,weight\nAAPL,0.2\nNVDA,0.8\n');
    writeFileSync(join(dir, 'README.txt'), 'not a snapshot');
    const r = await mm(['wss', DIR, '--weights', dir, '--model', 'latest', '--registry', reg, '--json']);
    expect(r.exitCode, r.stderr).to.equal(0);
    const doc = json<WssOut & { weights: { pointInTime: boolean; hoursWithoutSnapshot: number; ignored: string[]; snapshots: { date: string; hours: number; unweighted: string[] }[] } }>(r);
    expect(doc.weights.pointInTime).to.equal(true);
    expect(doc.weights.ignored).to.deep.equal(['README.txt']);
    const perDay = (day: string) => doc.series.filter((s) => s.timestamp.startsWith(day));
    // 12-12 has no snapshot: every hour HOLD with coverage 0.
    expect(doc.weights.hoursWithoutSnapshot).to.equal(perDay('2022-12-12').length).and.to.be.above(0);
    for (const s of perDay('2022-12-12')) expect(s).to.include({ signal: 'HOLD', coverage: 0, n_symbols: 0 });
    for (const s of perDay('2022-12-13')) expect(s.n_symbols).to.equal(2);
    const [d13, d14] = doc.weights.snapshots;
    expect(d13).to.include({ date: '2022-12-13', hours: perDay('2022-12-13').length });
    expect(d13!.unweighted).to.deep.equal(['NVDA']);
    expect(d14).to.include({ date: '2022-12-14', hours: perDay('2022-12-14').length + perDay('2022-12-15').length });
    expect(d14!.unweighted).to.deep.equal(['MSFT']);
    const text = await mm(['wss', DIR, '--weights', dir, '--model', 'latest', '--registry', reg]);
    expect(text.stdout).to.match(/weights: 2 dated snapshots in .*each hour weighted by the latest on or before it/);
    expect(text.stdout).to.match(/hours before the first snapshot \(2022-12-13\) have no weights: HOLD/);
    expect(text.stdout).to.match(/without a weight in 2022-12-13 \(not scored in its hours\): NVDA/);
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
