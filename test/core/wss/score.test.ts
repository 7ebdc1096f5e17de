import { expect } from 'chai';
import { UsageError } from '../../../src/core/errors.js';
import { computeWss, wssCsv } from '../../../src/core/wss/index.js';
import { H, T0, table } from './helpers.js';

// Class indices: 0 strong_sell (−2), 1 sell (−1), 2 hold (0), 3 buy (+1), 4 strong_buy (+2)
const SS = 0, S = 1, HOLD = 2, B = 3, SB = 4;

const three = (): Map<string, ReturnType<typeof table>> => new Map([
  ['A', table('A', [0, 1, 2], [B, HOLD, SS])],
  ['B', table('B', [0, 1], [SB, S])],
  ['C', table('C', [0, 2], [S, B])],
]);
const w3 = new Map([['A', 0.5], ['B', 0.3], ['C', 0.2]]);

describe('computeWss', () => {
  it('weights scores and renormalises over the symbols present at each hour', () => {
    const r = computeWss(three(), w3, { use: 'action' });
    expect([...r.times]).to.deep.equal([T0, T0 + H, T0 + 2 * H]);
    // hour 0, all present: 0.5·1 + 0.3·2 + 0.2·(−1) = 0.9
    // hour 1, C missing:   (0.5·0 + 0.3·(−1)) / 0.8 = −0.375
    // hour 2, B missing:   (0.5·(−2) + 0.2·1) / 0.7 = −0.8/0.7 = −1.142857…
    expect(r.wss[0]).to.be.closeTo(0.9, 1e-12);
    expect(r.wss[1]).to.be.closeTo(-0.375, 1e-12);
    expect(r.wss[2]).to.be.closeTo(-0.8 / 0.7, 1e-12);
    expect([...r.signal]).to.deep.equal([1, 0, -1]);
    expect([...r.nSymbols]).to.deep.equal([3, 2, 2]);
    // coverage = present raw weight / all weight: 1, 0.8, 0.7
    expect(r.coverage[0]).to.be.closeTo(1, 1e-12);
    expect(r.coverage[1]).to.be.closeTo(0.8, 1e-12);
    expect(r.coverage[2]).to.be.closeTo(0.7, 1e-12);
    expect(r.flaggedLowCoverage).to.equal(0);
  });

  it('forces HOLD and flags hours below --min-coverage', () => {
    const r = computeWss(three(), w3, { use: 'action', minCoverage: 0.75 });
    // hour 2 has coverage 0.7 < 0.75: SELL becomes HOLD; hour 1 (0.8) keeps its HOLD unflagged
    expect([...r.signal]).to.deep.equal([1, 0, 0]);
    expect([...r.lowCoverage]).to.deep.equal([0, 0, 1]);
    expect(r.flaggedLowCoverage).to.equal(1);
    expect(r.wss[2]).to.be.closeTo(-0.8 / 0.7, 1e-12); // the score itself is still reported
  });

  it('works on any weight scale (percent weights give the same WSS)', () => {
    const pct = new Map([['A', 50], ['B', 30], ['C', 20]]);
    const a = computeWss(three(), w3, { use: 'action' });
    const b = computeWss(three(), pct, { use: 'action' });
    for (let j = 0; j < 3; j++) {
      expect(b.wss[j]).to.be.closeTo(a.wss[j] as number, 1e-12);
      expect(b.coverage[j]).to.be.closeTo(a.coverage[j] as number, 1e-12);
    }
  });

  describe('use modes (A: p = [.1,.1,.2,.4,.2], conf .4 → decision hold; B: p = [.7,.1,.1,.05,.05]; weights .6/.4)', () => {
    const tables = (): Map<string, ReturnType<typeof table>> => new Map([
      ['A', table('A', [0], [B], { proba: [[0.1, 0.1, 0.2, 0.4, 0.2]], decision: [HOLD] })],
      ['B', table('B', [0], [SS], { proba: [[0.7, 0.1, 0.1, 0.05, 0.05]], decision: [SS] })],
    ]);
    const w = new Map([['A', 0.6], ['B', 0.4]]);

    it('action scores the argmax class: 0.6·1 + 0.4·(−2) = −0.2 → HOLD', () => {
      const r = computeWss(tables(), w, { use: 'action' });
      expect(r.wss[0]).to.be.closeTo(-0.2, 1e-12);
      expect(r.signal[0]).to.equal(0);
    });

    it('decision scores the confidence-gated decision: 0.6·0 + 0.4·(−2) = −0.8 → SELL', () => {
      const r = computeWss(tables(), w, { use: 'decision' });
      expect(r.wss[0]).to.be.closeTo(-0.8, 1e-12);
      expect(r.signal[0]).to.equal(-1);
    });

    it('expected scores Σ p·score: A = −.2−.1+.4+.4 = 0.5, B = −1.4−.1+.05+.1 = −1.35; 0.6·0.5 + 0.4·(−1.35) = −0.24', () => {
      const r = computeWss(tables(), w, { use: 'expected' });
      expect(r.wss[0]).to.be.closeTo(-0.24, 1e-12);
      expect(r.signal[0]).to.equal(0);
    });
  });

  it('treats the thresholds as inclusive: exactly +0.5 is BUY and exactly −0.5 is SELL', () => {
    const w = new Map([['A', 0.5], ['B', 0.5]]);
    const r = computeWss(new Map([
      ['A', table('A', [0, 1, 2], [B, S, B])],
      ['B', table('B', [0, 1, 2], [HOLD, HOLD, S])],
    ]), w, { use: 'action' });
    // (1 + 0)/2 = 0.5, (−1 + 0)/2 = −0.5, (1 − 1)/2 = 0
    expect([...r.wss]).to.deep.equal([0.5, -0.5, 0]);
    expect([...r.signal]).to.deep.equal([1, -1, 0]);
  });

  it('counts a WSS that is +0.5 on paper but rounds below it as BUY', () => {
    // raw weights 6, 1, 15 (sum 22) with scores +2, −1, 0: (12 − 1)/22 = 0.5 exactly on paper, but the
    // renormalised float sum is 0.49999999999999994
    const w = new Map([['A', 6 / 22], ['B', 1 / 22], ['C', 15 / 22]]);
    const r = computeWss(new Map([
      ['A', table('A', [0], [SB])], ['B', table('B', [0], [S])], ['C', table('C', [0], [HOLD])],
    ]), w, { use: 'action' });
    expect(r.wss[0]).to.be.closeTo(0.5, 1e-12);
    expect(r.signal[0]).to.equal(1);
  });

  it('honours custom thresholds', () => {
    const r = computeWss(three(), w3, { use: 'action', buy: 1, sell: -0.3 });
    // 0.9 < 1 → HOLD; −0.375 ≤ −0.3 → SELL; −1.14 → SELL
    expect([...r.signal]).to.deep.equal([0, -1, -1]);
  });

  it('lists symbols with predictions but no weight, and weighted symbols without predictions', () => {
    const tables = three();
    tables.set('D', table('D', [0], [SB]));
    const w = new Map([['A', 0.5], ['B', 0.3], ['E', 0.2]]);
    const r = computeWss(tables, w, { use: 'action' });
    expect(r.unweighted).to.deep.equal(['C', 'D']);
    expect(r.missingData).to.deep.equal(['E']);
    expect(r.symbols).to.deep.equal(['A', 'B']);
    // hour 0: (0.5·1 + 0.3·2)/0.8 = 1.375; coverage 0.8 because E's 0.2 is missing
    expect(r.wss[0]).to.be.closeTo(1.375, 1e-12);
    expect(r.coverage[0]).to.be.closeTo(0.8, 1e-12);
  });

  it('sets timestamp_next to the earliest of the next time in the union and the symbols\' own next times', () => {
    const a = table('A', [0, 3], [B, B]);
    a.timeNext[0] = T0 + 3 * H; // A's own next bar is hour 3, but B trades at hour 1
    const r = computeWss(new Map([['A', a], ['B', table('B', [1], [B])]]), new Map([['A', 1], ['B', 1]]), { use: 'action' });
    // hour 0 → hour 1 (B's bar in the union); hour 1 → hour 2 (B's own next bar, before the union's
    // hour 3); hour 3, the last → hour 4 (A's own next time)
    expect([...r.timeNext]).to.deep.equal([T0 + H, T0 + 2 * H, T0 + 4 * H]);
  });

  it('rejects sell ≥ buy, a coverage outside [0, 1] and an unknown use', () => {
    expect(() => computeWss(three(), w3, { buy: 0.5, sell: 0.5 })).to.throw(UsageError);
    expect(() => computeWss(three(), w3, { minCoverage: 1.5 })).to.throw(UsageError);
    expect(() => computeWss(three(), w3, { use: 'votes' as 'action' })).to.throw(UsageError);
  });
});

describe('wssCsv', () => {
  it('writes timestamp, timestamp_next, wss, signal, coverage, n_symbols', () => {
    const r = computeWss(three(), w3, { use: 'action' });
    const lines = wssCsv(r).trimEnd().split('\n');
    expect(lines[0]).to.equal('timestamp,timestamp_next,wss,signal,coverage,n_symbols');
    const cells = lines.slice(1).map((l) => l.split(','));
    expect(cells.map((c) => [c[0], c[1], c[3], c[5]])).to.deep.equal([
      ['2026-01-26T14:30:00Z', '2026-01-26T15:30:00Z', 'BUY', '3'],
      ['2026-01-26T15:30:00Z', '2026-01-26T16:30:00Z', 'HOLD', '2'],
      ['2026-01-26T16:30:00Z', '2026-01-26T17:30:00Z', 'SELL', '2'],
    ]);
    // (0.5·1 + 0.3·2 + 0.2·(−1)) / 1 = 0.9; (0.5·0 + 0.3·(−1)) / 0.8 = −0.375; (0.5·(−2) + 0.2·1) / 0.7 = −8/7
    expect(cells.map((c) => Number(c[2]))).to.deep.equal([...r.wss]);
    expect(cells.map((c) => Number(c[2]))[2]).to.be.closeTo(-8 / 7, 1e-12);
    expect(cells.map((c) => Number(c[4]))).to.deep.equal([...r.coverage]);
  });

  it('writes every wss value so it reads back to the same float64 (no rounding)', () => {
    const r = computeWss(three(), w3, { use: 'action' });
    const back = wssCsv(r).trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    for (let j = 0; j < r.n; j++) expect(Object.is(back[j], r.wss[j]), `row ${j}: ${back[j]} vs ${r.wss[j]}`).to.equal(true);
  });
});
