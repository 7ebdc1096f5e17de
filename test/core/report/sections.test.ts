import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFeatureSpec } from '../../../src/core/features/index.js';
import { makeLabelSpec } from '../../../src/core/labels/index.js';
import { writeRun, type RunRecord } from '../../../src/core/registry/index.js';
import {
  backtestContentKey, dedupeBacktests, wssThresholdLines,
  collectRegistry, renderRegistryHtml, svgCurves, svgLines, type BacktestView, type MetricsView, type RegistryView, type WssView,
} from '../../../src/core/report/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { checkHtml, externalRefs } from './html-check.js';

const EVIL = '<script>alert("x")</script>';
const RUN_ID = '20260101T000000Z-rf-abcdef';

/** Per-class support 10, 20, 40, 20, 10 of n = 100; class 4 has no stored curve. */
function metrics(curves: MetricsView['curves']): MetricsView {
  return {
    n: 100, accuracy: 0.5, balancedAccuracy: 0.3, macroF1: 0.25, logLoss: 1.3, brier: 0.7, ece: 0.05, macroRocAuc: 0.61, macroPrAuc: 0.27, rankIc: 0.02, confusion: null,
    perClass: [10, 20, 40, 20, 10].map((support, k) => ({ precision: 0.5, recall: 0.5, f1: 0.5, support, rocAuc: 0.6 + k / 100, prAuc: 0.3 })),
    curves,
  };
}

const CURVES: MetricsView['curves'] = {
  roc: [0, 1, 2, 3].map((): [number, number][] => [[0, 0], [0.2, 0.6], [1, 1]]).concat([null as unknown as [number, number][]]),
  pr: [0, 1, 2, 3].map((): [number, number][] => [[0, 1], [0.5, 0.7], [1, 0.3]]).concat([null as unknown as [number, number][]]),
};

const backtest = (b: Partial<BacktestView>): BacktestView => ({
  id: 'b1', createdAt: null, symbol: 'NVDA', model: RUN_ID, from: 'a', to: 'b', bars: 4, stats: { sharpe: 1 }, benchmark: { sharpe: 0.5 },
  equity: null, buyHold: null, time: null, recorded: [b.id ?? 'b1'], error: null, ...b,
});

const wss = (w: Partial<WssView>): WssView => ({
  id: '20260102T000000Z-wss-123456', createdAt: '2026-01-02T00:00:00.000Z', command: `mm wss ${EVIL}`, runId: RUN_ID, alias: 'champion',
  weights: 'w.csv', symbols: ['AAPL', 'MSFT'], hours: 4, use: 'action', buy: 0.5, sell: -0.5,
  counts: { BUY: 1, SELL: 1, HOLD: 2 }, baselineCounts: { BUY: 0, SELL: 3, HOLD: 1 }, evaluation: null,
  series: { time: ['t0', 't1', 't2', 't3'], wss: [-1, 0, 1, NaN], signal: ['SELL', 'HOLD', 'BUY', 'HOLD'] }, error: null, ...w,
});

function view(o: Partial<RegistryView> = {}): RegistryView {
  return {
    registry: 'r', aliases: {}, comparisons: [], backtests: [], wss: [],
    runs: [{
      id: RUN_ID, createdAt: null, kind: 'rf', command: null, symbols: ['NVDA'], rows: 100, from: null, to: null, scheme: 'quantile', aliases: [], tags: {},
      metrics: { model: metrics(CURVES) }, error: null,
    }],
    ...o,
  };
}

const section = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}">`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('report charts', () => {
  it('svgCurves maps the unit square with y up: (0, 0) bottom left, (1, 1) top right', () => {
    // Plot box: x 52…312, y 288 (value 0) … 28 (value 1).
    const svg = svgCurves([{ name: 'a', colour: '#000', points: [[0, 0], [0.5, 0.25], [1, 1]] }], { title: 't', xLabel: 'x', yLabel: 'y', refs: [], refLabel: 'r' });
    expect(svg).to.include('points="52.0,288.0 182.0,223.0 312.0,28.0"');
  });

  it('svgLines draws 1-2-5 y ticks with grid lines, threshold lines inside the range, axis titles and date ticks', () => {
    // Values −1…1 and a line at −2: ticks −2, −1, 0, 1 (step 1) over plot y 28…228 (280 high, 52 at the
    // bottom), so 0.5 → 28 + (1 − 0.5)/3 · 200 = 61.3.
    const day = 86_400_000;
    const t0 = Date.parse('2026-01-05T14:30:00Z'); // a Monday
    const svg = svgLines([{ name: 'WSS', values: [-1, 0, 1] }], {
      title: 'WSS', yLabel: 'WSS score', hlines: [{ value: 0.5, label: 'BUY ≥ 0.5' }, { value: -2, label: 'SELL ≤ -2' }], times: [t0, t0 + day, t0 + 2 * day],
    });
    expect(svg).to.match(/<line x1="72\.0" y1="61\.3" x2="570" y2="61\.3" stroke="#555" stroke-dasharray/);
    expect(svg).to.include('BUY ≥ 0.5');
    for (const t of ['−2', '−1', '0', '1']) expect(svg).to.include(`>${t}</text>`);
    expect(svg.match(/stroke="#eee"/g)?.length).to.be.at.least(3); // grid lines
    expect(svg).to.include('>WSS score</text>');
    expect(svg).to.include('>time (UTC)</text>');
    expect(svg).to.include('>2026-01-06</text>');
    expect(svg).to.include('>2026-01-07</text>');
  });
});

describe('report sections for curves, equity and WSS', () => {
  it('draws ROC (with the diagonal) and PR (with each class prevalence) per class, with a legend', () => {
    const html = renderRegistryHtml(view(), { generatedAt: 'now' });
    expect(checkHtml(html).problems).to.deep.equal([]);
    const run = section(html, 'run-details');
    expect(run).to.include('ROC, each class vs the rest');
    expect(run).to.include('Precision–recall, each class vs the rest');
    // 4 stored curves per chart; class 4 (strong_buy) has none and the legend says so.
    expect(run.match(/<polyline/g)).to.have.length(8);
    expect(run).to.include('strong_sell AUC 0.600');
    expect(run).to.include('buy AUC 0.630');
    expect(run).to.include('strong_buy: not defined');
    expect(run).to.include('chance (diagonal)');
    expect(run).to.match(/<line x1="52.0" y1="288.0" x2="312.0" y2="28.0"[^>]*stroke-dasharray/);
    // Prevalence of hold = 40/100 → y = 28 + 0.6·260 = 184.
    expect(run).to.match(/<line x1="52.0" y1="184.0" x2="312.0" y2="184.0" stroke="#7f7f7f" stroke-dasharray/);
  });

  it('says the curves are not stored for a run recorded without them', () => {
    const v = view();
    (v.runs[0] as RegistryView['runs'][number]).metrics = { model: metrics(null) };
    const html = renderRegistryHtml(v, { generatedAt: 'now' });
    expect(html).to.include('ROC and PR curves are not stored in this run');
    expect(section(html, 'run-details')).to.not.include('<polyline');
  });

  it('draws strategy and buy-and-hold equity, and stays usable for records with less', () => {
    const time = ['2026-01-01T15:00:00Z', '2026-01-02T15:00:00Z', '2026-01-05T15:00:00Z', '2026-01-09T15:00:00Z'];
    const both = section(renderRegistryHtml(view({ backtests: [backtest({ equity: [1, 1.1, 1.05, 1.2], buyHold: [1, 0.9, 1, 1.1], time })] }), { generatedAt: 'now' }), 'backtests');
    expect(both.match(/<polyline/g)).to.have.length(2);
    expect(both).to.include('buy &amp; hold');
    expect(both).to.include('>equity (start = 1)</text>');
    expect(both).to.include('>2026-01-09</text>');
    // A record whose times do not parse gets no date axis rather than wrong dates.
    const bad = section(renderRegistryHtml(view({ backtests: [backtest({ equity: [1, 1.1], time: ['x', 'y'] })] }), { generatedAt: 'now' }), 'backtests');
    expect(bad).to.include('>bar</text>');
    const old = section(renderRegistryHtml(view({ backtests: [backtest({ equity: [1, 1.1, 1.05, 1.2] })] }), { generatedAt: 'now' }), 'backtests');
    expect(old.match(/<polyline/g)).to.have.length(1);
    expect(old).to.not.include('buy &amp; hold');
    const none = section(renderRegistryHtml(view({ backtests: [backtest({ bars: 5000, equity: null })] }), { generatedAt: 'now' }), 'backtests');
    expect(none).to.include('equity curve not stored in this record');
    const thinned = section(renderRegistryHtml(view({ backtests: [backtest({ bars: 5000, equity: [1, 2] })] }), { generatedAt: 'now' }), 'backtests');
    expect(thinned).to.include('(2 of 5000 bars)');
  });

  it('shows each WSS record: series with threshold lines, signal counts, the model link, escaped command', () => {
    const html = renderRegistryHtml(view({ wss: [wss({})] }), { generatedAt: 'now' });
    const c = checkHtml(html);
    expect(c.problems).to.deep.equal([]);
    expect(c.sections).to.include('wss');
    expect(c.scripts).to.equal(0);
    expect(externalRefs(html)).to.deep.equal([]);
    const s = section(html, 'wss');
    expect(s).to.include('20260102T000000Z-wss-123456');
    expect(s).to.include(`href="#run-${RUN_ID}"`);
    expect(s).to.include('BUY ≥ 0.5');
    expect(s).to.include('SELL ≤ -0.5');
    expect(s.match(/<polyline/g)).to.have.length(1);
    expect(s).to.include('<td>persistence baseline</td><td>0</td><td>3</td><td>1</td>');
    expect(s).to.include('no index evaluation in this record');
    expect(s).to.include('mm wss &lt;script&gt;');
    expect(html).to.not.include(EVIL);
  });

  it('shows the index evaluation of a WSS record when present, and says when the series is missing', () => {
    const ev: WssView['evaluation'] = {
      model: { buy: { n: 10, hits: 6, hitRate: 0.6 }, sell: { n: 4, hits: 1, hitRate: 0.25 }, pearson: 0.12, spearman: 0.1, n: 99, upShare: 0.55 },
      baseline: { buy: { n: 8, hits: 4, hitRate: 0.5 }, sell: { n: 0, hits: 0, hitRate: null }, pearson: null, spearman: null, n: 99, upShare: 0.55 },
      trade: {
        model: { rows: 99, stats: { totalReturn: 0.0123, sharpe: 1.5, maxDrawdown: -0.02, trades: 7, feesPaid: 0 }, benchmark: { totalReturn: -0.05, sharpe: -1, maxDrawdown: -0.1 } },
        baseline: { rows: 99, stats: { totalReturn: 0.01, sharpe: 0.4, maxDrawdown: -0.03, trades: 20, feesPaid: 0 }, benchmark: {} },
      },
      sweep: null,
    };
    const s = section(renderRegistryHtml(view({ wss: [wss({ evaluation: ev, series: null })] }), { generatedAt: 'now' }), 'wss');
    expect(s).to.include('<td>6/10</td><td>0.600</td><td>1/4</td><td>0.250</td><td>0.120</td>');
    expect(s).to.include('Trading the index on the signal (99 hours)');
    expect(s).to.include('<td>model signal</td><td>1.23%</td><td>1.50</td>');
    expect(s).to.include('<td>buy &amp; hold index</td><td>-5.00%</td>');
    expect(s).to.include('index up-hour share (the hit rate of always BUY): 0.550');
    expect(s).to.include('WSS series not stored in this record');
    expect(s).to.not.include('<polyline');
  });
});

describe('WSS chart thresholds and backtest de-duplication', () => {
  const hours = ['2026-01-05T14:30:00Z', '2026-01-05T15:30:00Z', '2026-01-06T14:30:00Z', '2026-01-06T15:30:00Z'];
  const swept = (threshold: number | null): WssView['evaluation'] => ({
    model: { buy: { n: 0, hits: 0, hitRate: null }, sell: { n: 0, hits: 0, hitRate: null }, pearson: null, spearman: null, n: 3, upShare: 0.5 },
    baseline: { buy: { n: 0, hits: 0, hitRate: null }, sell: { n: 0, hits: 0, hitRate: null }, pearson: null, spearman: null, n: 3, upShare: 0.5 },
    trade: null,
    sweep: { best: threshold, threshold, from: hours[2] as string, to: hours[3] as string, test: { rows: 2, stats: {}, benchmark: {} } },
  });

  it('draws the signal thresholds, and the ones a sweep chose from the start of its test range', () => {
    const times = hours.map(Date.parse);
    const plain = wss({ series: { time: hours, wss: [-1, 0, 1, 0], signal: [] } });
    expect(wssThresholdLines(plain, times)).to.deep.equal([{ value: 0.5, label: 'BUY ≥ 0.5' }, { value: -0.5, label: 'SELL ≤ -0.5' }]);
    const lines = wssThresholdLines(wss({ evaluation: swept(0.1) }), times);
    expect(lines.slice(2)).to.deep.equal([
      { value: 0.1, label: 'sweep BUY ≥ 0.1 (test)', fromIndex: 2 },
      { value: -0.1, label: 'sweep SELL ≤ -0.1 (test)', fromIndex: 2 },
    ]);
    // A sweep that kept the signal thresholds adds nothing; one that found none neither.
    expect(wssThresholdLines(wss({ evaluation: swept(0.5) }), times)).to.have.length(2);
    expect(wssThresholdLines(wss({ evaluation: swept(null) }), times)).to.have.length(2);
    const s = section(renderRegistryHtml(view({ wss: [wss({ evaluation: swept(0.1), series: { time: hours, wss: [-1, 0, 1, 0], signal: [] } })] }), { generatedAt: 'now' }), 'wss');
    expect(s).to.include('sweep BUY ≥ 0.1 (test)');
    // The sweep lines start at the third of four points: x = 72 + 2/3 · (900 − 150 − 72).
    expect(s).to.match(/<line x1="524\.0" y1="[\d.]+" x2="750" y2="[\d.]+" stroke="#555" stroke-dasharray/);
  });

  it('one backtest recorded twice is one entry with both ids; another parameter or another data file is another backtest', () => {
    const rec = (id: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
      id, createdAt: `${id}-time`, mmVersion: '0.1.0', command: `mm backtest ${id}`, data: { path: `/somewhere/${id}.csv`, sha256: 'abc' },
      symbol: 'NVDA', execution: { minConfidence: 0.6, feeBps: 1 }, stats: { totalReturn: 0.01 }, series: { equity: [1, 1.01] }, ...over,
    });
    const a = rec('a');
    // The same content with keys in another order.
    const b = Object.fromEntries(Object.entries(rec('b')).reverse());
    const c = rec('c', { execution: { minConfidence: 0.7, feeBps: 1 } });
    const d = rec('d', { data: { path: '/x.csv', sha256: 'def' } });
    expect(backtestContentKey(a)).to.equal(backtestContentKey(b));
    expect(backtestContentKey(a)).to.not.equal(backtestContentKey(c));
    expect(backtestContentKey(a)).to.not.equal(backtestContentKey(d));
    const views = ['a', 'b', 'c', 'd', 'e'].map((id) => backtest({ id, error: id === 'e' ? 'unreadable' : null }));
    const out = dedupeBacktests(views, [a, b, c, d, null]);
    expect(out.map((v) => v.id)).to.deep.equal(['a', 'c', 'd', 'e']);
    expect(out[0]?.recorded).to.deep.equal(['a', 'b']);
    const html = section(renderRegistryHtml(view({ backtests: out }), { generatedAt: 'now' }), 'backtests');
    expect(html).to.include('the same backtest was recorded 2 times: a, b');
  });

  it('shows backtest statistics with the terminal\'s labels and formats', () => {
    const html = section(renderRegistryHtml(view({ backtests: [backtest({ stats: { cagr: 8.2004, sharpe: 8.64123, trades: 3, maxDrawdown: -0.0379 }, benchmark: { cagr: 0.5 } })] }), { generatedAt: 'now' }), 'backtests');
    expect(html).to.include('<td>CAGR</td><td>820.04%</td><td>50.00%</td>');
    expect(html).to.include('<td>Sharpe</td><td>8.64</td><td>–</td>');
    expect(html).to.include('<td>trades</td><td>3</td>');
    expect(html).to.include('<td>max drawdown</td><td>-3.79%</td>');
    expect(html).to.not.include('cagr');
  });
});

describe('collectRegistry reads curves, equity series and WSS records', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  const run = (id: string, model: Record<string, unknown>): RunRecord => ({
    schemaVersion: 1, id, createdAt: '2026-01-02T03:04:05.000Z', mmVersion: '0.0.0-test', command: 'mm train x.csv', seed: 42,
    data: { paths: ['x.csv'], sha256: ['ab'], symbols: ['NVDA'], rows: 100, from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', intervalMs: 300000 },
    features: defaultFeatureSpec(20), labels: makeLabelSpec({ scheme: 'fixed' }), model: { kind: 'rf', params: {}, file: 'model.json', sha256: '' },
    split: { kind: 'holdout' }, metrics: { model, majority: { macroF1: 0.1 } }, timings: {}, tags: {},
  });

  it('keeps stored curves per class (null for a malformed one) and gives null for a run without curves', () => {
    const roc = [[0, 0], [0.5, 0.8], [1, 1]];
    writeRun(reg, run('20260102T030405Z-rf-aaaaaa', { macroF1: 0.3, perClass: [], curves: { roc: [roc, null, [[0, 'x']]], pr: [[[0, 1], [1, 0.2]]] } }), '{}');
    writeRun(reg, run('20260102T030406Z-rf-bbbbbb', { macroF1: 0.3, perClass: [] }), '{}');
    const v = collectRegistry(reg);
    const [withCurves, old] = v.runs;
    expect(withCurves?.metrics['model']?.curves).to.deep.equal({ roc: [roc, null, null], pr: [[[0, 1], [1, 0.2]]] });
    expect(old?.error).to.equal(null);
    expect(old?.metrics['model']?.curves).to.equal(null);
    expect(v.runs.every((r) => r.metrics['majority']?.curves === null)).to.equal(true);
  });

  it('reads the equity series of new backtest records and of old ones, and drops a misaligned buy-and-hold', () => {
    mkdirSync(join(reg, 'backtests'));
    writeFileSync(join(reg, 'registry.json'), '{"schemaVersion": 1}');
    writeFileSync(join(reg, 'backtests', 'a.json'), JSON.stringify({ range: { bars: 3 }, stats: {}, series: { bars: 3, time: ['t0', 't1', 't2'], equity: [1, null, 1.2], buyHold: [1, 0.9, 1.1] } }));
    writeFileSync(join(reg, 'backtests', 'b.json'), JSON.stringify({ stats: {}, equity: [1, 2] }));
    writeFileSync(join(reg, 'backtests', 'c.json'), JSON.stringify({ stats: {}, series: { equity: [1, 2, 3], buyHold: [1, 2], time: ['t0'] } }));
    const [a, b, c] = collectRegistry(reg).backtests;
    expect(a?.equity?.slice(0, 1)).to.deep.equal([1]);
    expect(a?.equity?.[1]).to.be.NaN; // a stored gap
    expect(a?.buyHold).to.deep.equal([1, 0.9, 1.1]);
    expect(a?.time).to.deep.equal(['t0', 't1', 't2']);
    expect(b?.equity).to.deep.equal([1, 2]);
    expect(b?.buyHold).to.equal(null);
    expect(c?.equity).to.deep.equal([1, 2, 3]);
    expect(c?.buyHold).to.equal(null);
    expect(c?.time).to.equal(null);
  });

  it('reads WSS records: summary, counts, evaluation and series; a broken one carries its error', () => {
    mkdirSync(join(reg, 'wss'));
    writeFileSync(join(reg, 'registry.json'), '{"schemaVersion": 1}');
    writeFileSync(join(reg, 'wss', '1.json'), JSON.stringify({
      createdAt: 'c', command: 'mm wss', inputs: [{ symbol: 'AAPL' }, { symbol: 'MSFT' }],
      summary: {
        model: { runId: RUN_ID, alias: null }, weights: { source: 'w.csv' }, options: { use: 'expected', buy: 0.2, sell: -0.3 }, hours: 3,
        counts: { BUY: 1, SELL: 1, HOLD: 1 }, baseline: { counts: { BUY: 0, SELL: 0, HOLD: 3 } },
        evaluation: {
          model: { buy: { n: 1, hits: 1, hitRate: 1 }, sell: { n: 1, hits: 0, hitRate: 0 }, correlation: { pearson: 0.5, spearman: 0.4, n: 3 }, upShare: 0.6 },
          baseline: { buy: { n: 0, hits: 0, hitRate: null }, sell: { n: 0, hits: 0, hitRate: null }, correlation: { pearson: null, spearman: null, n: 3 }, upShare: 0.6 },
          trade: { model: { rows: 3, stats: { totalReturn: 0.01, benchmark: { totalReturn: 0.02 } } }, baseline: { rows: 3, stats: {} } },
          sweep: null,
        },
      },
      series: { hours: 3, time: ['t0', 't1', 't2'], wss: [0.3, null, -0.4], signal: ['BUY', 'HOLD', 'SELL'] },
    }));
    writeFileSync(join(reg, 'wss', '2.json'), JSON.stringify({ summary: { hours: 2, evaluation: null }, series: { time: ['t0'], wss: [1, 2], signal: ['BUY'] } }));
    writeFileSync(join(reg, 'wss', '3.json'), '{oops');
    const [a, b, c] = collectRegistry(reg).wss;
    expect(a).to.include({ id: '1', runId: RUN_ID, alias: null, weights: 'w.csv', use: 'expected', buy: 0.2, sell: -0.3, hours: 3, error: null });
    expect(a?.symbols).to.deep.equal(['AAPL', 'MSFT']);
    expect(a?.counts).to.deep.equal({ BUY: 1, SELL: 1, HOLD: 1 });
    expect(a?.baselineCounts).to.deep.equal({ BUY: 0, SELL: 0, HOLD: 3 });
    expect(a?.evaluation?.model).to.deep.include({ pearson: 0.5, n: 3, upShare: 0.6, buy: { n: 1, hits: 1, hitRate: 1 } });
    expect(a?.evaluation?.trade?.model.stats['totalReturn']).to.equal(0.01);
    expect(a?.evaluation?.trade?.model.benchmark['totalReturn']).to.equal(0.02);
    expect(a?.series?.wss[1]).to.be.NaN;
    expect(a?.series?.signal).to.deep.equal(['BUY', 'HOLD', 'SELL']);
    expect(b?.evaluation).to.equal(null);
    expect(b?.series).to.equal(null); // columns of different lengths cannot be drawn hour by hour
    expect(c?.error).to.match(/cannot read/);
  });
});
