import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectRegistry, esc, renderRegistryHtml, type RegistryView } from '../../../src/core/report/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { checkHtml, externalRefs } from './html-check.js';

const EVIL = '<script>alert("x")</script>&\'';
const RUN_ID = '20260101T000000Z-rf-abcdef';

function view(): RegistryView {
  const per = (k: number): { precision: number; recall: number; f1: number; support: number; rocAuc: number; prAuc: number } => ({ precision: 0.1 * k, recall: 0.2, f1: 0.15, support: 10 + k, rocAuc: 0.6, prAuc: 0.3 });
  const metrics = {
    n: 50, accuracy: 0.5, balancedAccuracy: 0.3, macroF1: 0.25, logLoss: 1.3, brier: 0.7, ece: 0.05, macroRocAuc: 0.61, macroPrAuc: 0.27, rankIc: 0.02,
    confusion: [[1, 2, 3, 0, 0], [0, 4, 5, 1, 0], [1, 2, 20, 2, 0], [0, 1, 3, 4, 0], [0, 0, 1, 0, 0]],
    perClass: [0, 1, 2, 3, 4].map(per),
    curves: null,
  };
  return {
    registry: '/tmp/reg',
    aliases: { champion: RUN_ID },
    runs: [{
      id: RUN_ID, createdAt: '2026-01-01T00:00:00Z', kind: 'rf', command: `mm train ${EVIL}`, symbols: ['NVDA'], rows: 100, from: 'a', to: 'b',
      scheme: 'quantile', aliases: ['champion'], tags: { note: EVIL }, metrics: { model: metrics, majority: { ...metrics, macroF1: 0.1, confusion: null, perClass: [] } }, error: null,
    }],
    comparisons: [{ id: 'c1', createdAt: null, metric: 'macroF1', bestBaseline: 'majority', error: null, candidates: [
      { name: EVIL, kind: 'rf', rank: 1, runId: RUN_ID, isBaseline: false, macroF1: 0.3, macroF1Std: 0.02, logLoss: 1.2, brier: 0.6, ece: 0.03, verdict: 'real', uncalibrated: false },
    ] }],
    backtests: [{ id: 'b1', createdAt: null, symbol: 'NVDA', model: RUN_ID, from: 'a', to: 'b', bars: 3, stats: { sharpe: 1.5, totalReturn: 0.01 }, benchmark: { sharpe: 0.5 }, equity: [1, 1.01, 0.99, 1.02], buyHold: null, time: null, recorded: ['b1'], error: null }],
    wss: [],
  };
}

describe('registry HTML report', () => {
  it('the test parser itself flags unbalanced tags, a bare < and external resources', () => {
    expect(checkHtml('<p><b>x</p>').problems).to.not.deep.equal([]);
    expect(checkHtml('<p>1 < 2</p>').problems).to.deep.equal(["bare '<' at 5"]);
    expect(externalRefs('<a href="#x"></a><img src="https://e.com/a.png">')).to.deep.equal(['https://e.com/a.png']);
  });

  it('esc escapes the five HTML-significant characters', () => {
    expect(esc(`<a href="x">&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('renderRegistryHtml has every section, balanced tags, no script and no external resource', () => {
    const html = renderRegistryHtml(view(), { generatedAt: '2026-01-02T00:00:00Z' });
    const c = checkHtml(html);
    expect(c.problems).to.deep.equal([]);
    expect(c.sections).to.include.members(['runs', 'aliases', 'comparisons', 'run-details', 'backtests']);
    expect(c.scripts).to.equal(0);
    expect(externalRefs(html)).to.deep.equal([]);
  });

  it('escapes text from run records, so a hostile command or candidate name stays text', () => {
    const html = renderRegistryHtml(view(), { generatedAt: 'now' });
    expect(html).to.not.include('<script>');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('draws the confusion matrix as a heatmap shaded by row share, with per-class AUCs', () => {
    const html = renderRegistryHtml(view(), { generatedAt: 'now' });
    // Row "hold" = [1, 2, 20, 2, 0]: 20 of 25 = 0.8 → a dark cell with white text.
    expect(html).to.match(/<td style="background:rgb\(\d+,\d+,\d+\);color:#fff">20<\/td>/);
    expect(html).to.include('Confusion matrix');
    expect(html).to.include('ROC-AUC (one-vs-rest)');
    expect(html).to.include('<polyline'); // the stored equity series
    expect(html).to.include('href="#run-20260101T000000Z-rf-abcdef"');
  });

  it('says when a section is empty instead of leaving it out', () => {
    const html = renderRegistryHtml({ registry: 'r', aliases: {}, runs: [], comparisons: [], backtests: [], wss: [] }, { generatedAt: 'now' });
    expect(checkHtml(html).sections).to.include.members(['runs', 'aliases', 'comparisons', 'backtests', 'wss']);
    expect(html).to.include('no runs yet');
  });
});

describe('collectRegistry', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  it('lists a corrupt run and an unreadable record with their errors instead of failing', () => {
    writeFileSync(join(reg, 'registry.json'), '{"schemaVersion": 1}');
    mkdirSync(join(reg, RUN_ID));
    writeFileSync(join(reg, RUN_ID, 'run.json'), '{}');
    mkdirSync(join(reg, 'comparisons'));
    writeFileSync(join(reg, 'comparisons', 'bad.json'), '{not json');
    mkdirSync(join(reg, 'backtests'));
    writeFileSync(join(reg, 'backtests', 'b.json'), JSON.stringify({ symbol: 'X', range: { bars: 3 }, stats: { sharpe: 1, benchmark: { sharpe: 2 } }, series: { equity: [1, 2] } }));
    const v = collectRegistry(reg);
    expect(v.runs).to.have.length(1);
    expect(v.runs[0]?.error).to.be.a('string');
    expect(v.comparisons[0]?.error).to.match(/cannot read/);
    expect(v.backtests[0]?.stats['sharpe']).to.equal(1);
    expect(v.backtests[0]?.benchmark['sharpe']).to.equal(2);
    expect(v.backtests[0]?.equity).to.deep.equal([1, 2]);
  });

  it('reads a comparison\'s verdict off its recorded interval and marks an uncalibrated candidate, even in a record that says "beats"', () => {
    writeFileSync(join(reg, 'registry.json'), '{"schemaVersion": 1}');
    mkdirSync(join(reg, 'comparisons'));
    // As an older mm recorded it (issue #12): hgb "beats" the baselines on mean macro F1, while its
    // log-loss interval to the best baseline holds zero and its log-loss is far above majority's.
    const cand = (name: string, isBaseline: boolean, logLoss: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      name, kind: name, rank: 1, isBaseline, pooled: { logLoss }, summary: { macroF1: { mean: 0.3, std: 0.01 }, logLoss: { mean: logLoss, std: 0.1 } }, ...extra,
    });
    writeFileSync(join(reg, 'comparisons', '20260101T000000Z-compare-abcdef.json'), JSON.stringify({
      id: '20260101T000000Z-compare-abcdef', metric: 'macroF1', bestBaseline: 'persistence', runs: {},
      candidates: [
        cand('hgb', false, 1.729, { beatsBaselines: true, vsBestBaseline: { metric: 'macroF1', delta: 0.01, lo: -0.004, hi: 0.02 } }),
        cand('rf', false, 1.30, { beatsBaselines: false, vsBestBaseline: { metric: 'macroF1', delta: 0.03, lo: 0.01, hi: 0.05 } }),
        cand('majority', true, 1.436),
        cand('persistence', true, 1.5),
      ],
    }));
    const v = collectRegistry(reg);
    const by = (n: string) => v.comparisons[0]?.candidates.find((c) => c.name === n);
    expect(by('hgb')).to.include({ verdict: 'not significant', uncalibrated: true });
    expect(by('rf')).to.include({ verdict: 'real', uncalibrated: false });
    expect(by('majority')).to.include({ verdict: null, uncalibrated: null });
    const html = renderRegistryHtml(v, { generatedAt: '2026-01-01T00:00:00Z' });
    expect(html).to.include('not significant; uncalibrated');
    expect(html).to.not.match(/beats baselines|>yes</);
  });

  it('throws NotFoundError for a registry that does not exist', () => {
    expect(() => collectRegistry(join(reg, 'nope'))).to.throw(/no registry/).with.property('exitCode', 4);
  });
});
