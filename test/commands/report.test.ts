import { captureOutput } from '@oclif/test';
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Promote from '../../src/commands/promote.js';
import Report from '../../src/commands/report.js';
import Train from '../../src/commands/train.js';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { checkHtml, externalRefs } from '../core/report/html-check.js';
import { json, mm } from './run-cli.js';

/** Run a command class in process and collect its exit code (see test/commands/drift.test.ts). */
async function run(cmd: { run(argv: string[], opts: string): Promise<unknown> }, args: string[]): Promise<{ stdout: string; exitCode: number }> {
  process.exitCode = undefined;
  const r = await captureOutput(() => cmd.run(args, repoRoot));
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : r.error ? 1 : 0;
  process.exitCode = undefined;
  return { stdout: r.stdout, exitCode };
}

describe('mm report', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('writes one self-contained page with runs, aliases, confusion heatmap and per-class metrics', async () => {
    const reg = join(dir, 'runs');
    // Leaves of ≥ 40 rows keep the forest's probabilities better than the class frequencies, so the gate promotes it.
    const t = await run(Train, [fixture('drift', 'NVDA_ref.csv'), '--trees', '30', '--min-samples-leaf', '40', '--calibrate', 'none', '--registry', reg, '--json']);
    expect(t.exitCode, t.stdout).to.equal(0);
    const runId = (JSON.parse(t.stdout) as { runId: string }).runId;
    expect((await run(Promote, [runId, '--alias', 'champion', '--registry', reg, '--json'])).exitCode).to.equal(0);
    const out = join(dir, 'report.html');
    const r = await run(Report, ['--out', out, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    expect(JSON.parse(r.stdout)).to.include({ out, runs: 1, comparisons: 0, backtests: 0 });
    const html = readFileSync(out, 'utf8');
    const c = checkHtml(html);
    expect(c.problems).to.deep.equal([]);
    expect(c.sections).to.include.members(['runs', 'aliases', 'comparisons', 'run-details', 'backtests']);
    expect(c.scripts).to.equal(0);
    expect(externalRefs(html)).to.deep.equal([]);
    expect(html).to.include(`href="#run-${runId}"`); // the runs table links to the run's details
    expect(html).to.include(`id="run-${runId}"`);
    expect(html).to.include('champion');
    expect(html).to.include('Confusion matrix');
    expect(html).to.include('Per-class metrics');
    expect(html).to.include('ROC, each class vs the rest');
    expect(html).to.include('Precision–recall, each class vs the rest');
    expect(checkHtml(html).sections).to.include('wss');
  });

  it('reports a run recorded before curves were kept: the AUCs, and a note instead of the charts', async () => {
    const reg = join(dir, 'runs');
    const t = await mm(['train', fixture('drift', 'NVDA_ref.csv'), '--trees', '10', '--registry', reg, '--json']);
    const runId = json<{ runId: string }>(t).runId;
    const file = join(reg, runId, 'run.json');
    const rec = JSON.parse(readFileSync(file, 'utf8')) as { metrics: { model: { curves?: { roc: unknown[] } } } };
    expect(rec.metrics.model.curves?.roc).to.have.length(5); // what train stores now
    delete rec.metrics.model.curves;
    writeFileSync(file, JSON.stringify(rec));
    const out = join(dir, 'old.html');
    expect((await mm(['report', '--out', out, '--registry', reg])).exitCode).to.equal(0);
    const html = readFileSync(out, 'utf8');
    expect(html).to.include('ROC and PR curves are not stored in this run');
    expect(html).to.include('ROC-AUC (one-vs-rest)');
    expect(html).to.not.include('ROC, each class vs the rest');
  });

  it('picks up mm backtest and mm wss records: equity beside buy-and-hold, the WSS series and its index evaluation', async () => {
    const reg = join(dir, 'runs');
    const TRAIN = fixture('cli', 'NVDA_train.csv');
    expect((await mm(['train', TRAIN, '--trees', '10', '--registry', reg])).exitCode).to.equal(0);
    const bt = await mm(['backtest', fixture('cli', 'NVDA_predict.csv'), '--model', 'latest', '--history', TRAIN, '--min-confidence', '0.3', '--registry', reg, '--json']);
    expect(bt.exitCode, bt.stdout.slice(0, 300)).to.equal(0);
    const btDoc = json<{ id: string; range: { bars: number }; stats: { totalReturn: number; benchmark: { totalReturn: number } } }>(bt);
    const btRec = JSON.parse(readFileSync(join(reg, 'backtests', `${btDoc.id}.json`), 'utf8')) as { series: { bars: number; time: string[]; equity: number[]; buyHold: number[] } };
    expect(btRec.series.bars).to.equal(btDoc.range.bars);
    expect(btRec.series.equity).to.have.length(btDoc.range.bars); // 156 bars: under the 1000-point bound, kept whole
    expect(btRec.series.equity[btRec.series.equity.length - 1]).to.be.closeTo(1 + btDoc.stats.totalReturn, 1e-6);
    expect(btRec.series.buyHold[btRec.series.buyHold.length - 1]).to.be.closeTo(1 + btDoc.stats.benchmark.totalReturn, 1e-6);
    // The same backtest again, from another command line (text output): one more record of the same
    // content. Ids carry the second, so wait for the next one (in the same second the id, and file, would be the same).
    await new Promise((res) => setTimeout(res, 1000 - (Date.now() % 1000) + 20));
    const again = await mm(['backtest', fixture('cli', 'NVDA_predict.csv'), '--model', 'latest', '--history', TRAIN, '--min-confidence', '0.3', '--registry', reg]);
    expect(again.exitCode).to.equal(0);
    const againId = /backtest (\S+-backtest-\S+):/.exec(again.stdout)?.[1];
    expect(againId).to.be.a('string').and.not.equal(btDoc.id);
    // The terminal's percentage for the total return, as the report must show it too.
    const terminalTotal = /total return\s+(\S+%)\s+(\S+%)/.exec(again.stdout);
    expect(terminalTotal, again.stdout).to.not.equal(null);

    expect((await mm(['train', fixture('pooled'), '--trees', '10', '--registry', reg])).exitCode).to.equal(0);
    const w = await mm(['wss', fixture('pooled'), '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--index', fixture('index', 'QQQ.csv'), '--registry', reg, '--json']);
    expect(w.exitCode, w.stdout.slice(0, 300)).to.equal(0);
    const wssId = json<{ id: string }>(w).id;

    const out = join(dir, 'report.html');
    const r = await mm(['report', '--out', out, '--registry', reg, '--json']);
    expect(json(r)).to.include({ runs: 2, backtests: 1, wss: 1 }); // two records, one backtest
    const html = readFileSync(out, 'utf8');
    const c = checkHtml(html);
    expect(c.problems).to.deep.equal([]);
    expect(c.scripts).to.equal(0);
    expect(externalRefs(html)).to.deep.equal([]);
    const backtests = html.slice(html.indexOf('<section id="backtests">'), html.indexOf('<section id="wss">'));
    expect(backtests).to.include(btDoc.id);
    expect(backtests).to.include('■ strategy</tspan> <tspan fill="#ff7f0e">■ buy &amp; hold');
    expect(backtests.match(/<polyline/g)).to.have.length(2);
    expect(backtests).to.include(`the same backtest was recorded 2 times: ${btDoc.id}, ${againId as string}`);
    expect(backtests).to.include(`<td>total return</td><td>${terminalTotal?.[1] as string}</td><td>${terminalTotal?.[2] as string}</td>`);
    expect(backtests).to.include('<td>CAGR</td>');
    expect(backtests).to.not.include('<td>cagr</td>');
    expect(backtests).to.include('>equity (start = 1)</text>');
    const wssPart = html.slice(html.indexOf('<section id="wss">'));
    expect(wssPart).to.include(`id="wss-${wssId}"`);
    expect(wssPart).to.include('BUY ≥ 0.5');
    expect(wssPart).to.include('SELL ≤ -0.5');
    expect(wssPart).to.include('Trading the index on the signal');
    expect(wssPart.match(/<polyline/g)).to.have.length(1);
    expect(html.match(/>ROC, each class vs the rest</g)).to.have.length(2); // the chart title of both trained runs
  });

  it('exits 4 for a registry that does not exist', async () => {
    const r = await run(Report, ['--out', join(dir, 'r.html'), '--registry', join(dir, 'none'), '--json']);
    expect(r.exitCode).to.equal(4);
  });
});
