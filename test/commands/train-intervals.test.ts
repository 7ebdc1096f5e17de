import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBarsFile } from '../../src/core/data/index.js';
import { blockBootstrap, blockStats, versusBaselines } from '../../src/core/evaluate/index.js';
import { Rng } from '../../src/core/util/rng.js';
import { cleanup, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const BUNDLED = join(repoRoot, 'data', 'NVDA_5m_train.csv');

interface Iv { metric: string; delta: number; lo: number; hi: number; blocks: number; resamples: number; verdict: string }
interface M { logLoss: number; brier: number; macroF1: number; balancedAccuracy: number }
interface TrainDoc { runId: string; split: { testFrom: string; testTo: string }; metrics: { model: M; majority: M; persistence: M; vsBaselines: Record<string, Record<string, Iv>> } }

describe('mm train: intervals beside the verdict', () => {
  let reg: string;
  before(() => {
    reg = tempDir();
  });
  after(() => cleanup(reg));

  it('records a session-block bootstrap interval of each headline metric\'s difference to each baseline, and the verdict follows it', async () => {
    const r = await mm(['train', BUNDLED, '--trees', '20', '--min-samples-leaf', '40', '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(0);
    const doc = json<TrainDoc>(r);
    const vs = doc.metrics.vsBaselines;
    expect(Object.keys(vs)).to.deep.equal(['majority', 'persistence']);
    // Sessions of the test rows, counted independently: NYSE sessions fall within one UTC date.
    const { bars } = readBarsFile(BUNDLED);
    const from = Date.parse(doc.split.testFrom);
    const to = Date.parse(doc.split.testTo);
    const days = new Set<string>();
    for (let t = 0; t < bars.n; t++) {
      const ms = bars.time[t] as number;
      if (ms >= from && ms <= to) days.add(new Date(ms).toISOString().slice(0, 10));
    }
    for (const base of ['majority', 'persistence'] as const) {
      const b = doc.metrics[base];
      const m = doc.metrics.model;
      const per = vs[base] as Record<string, Iv>;
      expect(Object.keys(per)).to.deep.equal(['logLoss', 'brier', 'macroF1', 'balancedAccuracy']);
      // The point difference, in each metric's better direction, agrees with the recorded metrics.
      expect(per['logLoss']?.delta).to.be.closeTo(b.logLoss - m.logLoss, 1e-9);
      expect(per['brier']?.delta).to.be.closeTo(b.brier - m.brier, 1e-9);
      expect(per['macroF1']?.delta).to.be.closeTo(m.macroF1 - b.macroF1, 1e-9);
      expect(per['balancedAccuracy']?.delta).to.be.closeTo(m.balancedAccuracy - b.balancedAccuracy, 1e-9);
      for (const iv of Object.values(per)) {
        expect(iv.blocks).to.equal(days.size);
        expect(iv.resamples).to.equal(1000);
        expect(iv.lo).to.be.at.most(iv.hi);
        expect(iv.verdict).to.equal(iv.lo > 0 ? 'real' : iv.hi < 0 ? 'worse' : 'not significant');
      }
    }
    // The same run shown in the terminal: the verdict line uses the intervals' words, never "beats".
    const show = await mm(['runs', 'show', doc.runId, '--registry', reg]);
    const line = show.stdout.split('\n').find((l) => l.startsWith('verdict')) as string;
    expect(line).to.equal(`verdict on log-loss (95% block bootstrap over ${days.size} sessions, out of sample, same test rows): vs majority ${vs['majority']?.['logLoss']?.verdict}, vs persistence ${vs['persistence']?.['logLoss']?.verdict}`);
    expect(show.stdout).to.not.match(/beats/);
    const recorded = JSON.parse(readFileSync(join(reg, doc.runId, 'run.json'), 'utf8')) as { metrics: { vsBaselines: unknown } };
    expect(recorded.metrics.vsBaselines).to.deep.equal(vs);
  });

  it('versusBaselines: a model identical to its baseline is "not significant" at exactly 0; a perfect one is "real"', () => {
    const n = 60;
    const y = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 2 + Math.floor(i / 6), 15)); // 10 sessions
    const prior = Float64Array.from({ length: n * 3 }, () => 1 / 3);
    const zeros = new Uint8Array(n);
    const perfect = new Float64Array(n * 3);
    y.forEach((c, i) => {
      perfect[i * 3 + c] = 1;
    });
    const vs = versusBaselines(y, time, 3, { proba: prior, pred: zeros }, { same: { proba: prior, pred: zeros } }, { resamples: 200, blockSessions: 1, rng: new Rng(1) });
    for (const iv of Object.values(vs['same'] as object) as Iv[]) {
      expect(iv).to.include({ delta: 0, lo: 0, hi: 0, verdict: 'not significant', blocks: 10 });
    }
    const good = versusBaselines(y, time, 3, { proba: perfect, pred: y }, { prior: { proba: prior, pred: zeros } }, { resamples: 200, blockSessions: 1, rng: new Rng(1) });
    for (const iv of Object.values(good['prior'] as object) as Iv[]) expect(iv.verdict).to.equal('real');
    // Brier of the prior is 1 − 1/3 = 2/3 per row; of the perfect model 0.
    expect(good['prior']?.['brier']?.delta).to.be.closeTo(2 / 3, 1e-12);
    // Balanced accuracy resampled from block confusion matrices: 1 vs 1/3 (the prior always says class 0).
    const s = blockStats(Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6)), 10, y, y, perfect, 3);
    const p = blockStats(Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6)), 10, y, zeros, prior, 3);
    expect(blockBootstrap(s, p, 3, 'balancedAccuracy', 50, new Rng(2)).delta).to.be.closeTo(2 / 3, 1e-12);
  });
});
