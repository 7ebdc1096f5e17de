import { expect } from 'chai';
import { sampleCorrelation } from 'simple-statistics';
import type { Ohlcv } from '../../../src/core/data/index.js';
import { fastAverageRanks } from '../../../src/core/backtest/ic.js';
import { averageRanks } from '../../../src/core/evaluate/index.js';
import { computeWss, evaluateSignal } from '../../../src/core/wss/index.js';
import { H, T0, table } from './helpers.js';

const S = 1, B = 3, SB = 4;

/** Index bars at the given hours (offsets from T0) with these closes. */
function index(hours: number[], closes: number[]): Ohlcv {
  const c = Float64Array.from(closes);
  return { n: hours.length, time: Float64Array.from(hours, (h) => T0 + h * H), open: c, high: c, low: c, close: c, volume: new Float64Array(hours.length) };
}

describe('evaluateSignal', () => {
  // One symbol of weight 1, so WSS = the action's score: hours 0..4 → buy, sell, buy, sell, strong_buy
  // = WSS 1, −1, 1, −1, 2 = BUY, SELL, BUY, SELL, BUY. The index lacks hour 3 (a feed gap).
  const wss = () => computeWss(new Map([['X', table('X', [0, 1, 2, 3, 4], [B, S, B, S, SB])]]), new Map([['X', 1]]), { use: 'action' });
  const idx = index([0, 1, 2, 4, 5], [100, 101, 100, 99, 99]);

  it('scores BUY and SELL hits against the next index return, skipping hours the index lacks', () => {
    const e = evaluateSignal(wss(), idx);
    // hour 0: 101/100 − 1 = +1 %, BUY hit; hour 1: 100/101 − 1 < 0, SELL hit;
    // hour 2: next hour 3 missing → skipped; hour 3 missing → skipped; hour 4: 99/99 − 1 = 0, BUY miss
    expect(e.buy).to.deep.equal({ n: 2, hits: 1, hitRate: 0.5 });
    expect(e.sell).to.deep.equal({ n: 1, hits: 1, hitRate: 1 });
    expect(e.measured).to.equal(3);
    expect(e.skipped).to.equal(2);
    expect(e.upShare).to.be.closeTo(1 / 3, 1e-12);
    expect(e.nextReturn[0]).to.be.closeTo(0.01, 1e-12);
    expect(e.nextReturn[1]).to.be.closeTo(100 / 101 - 1, 1e-12);
    expect(Number.isNaN(e.nextReturn[2])).to.equal(true);
    expect(e.nextReturn[4]).to.equal(0);
  });

  it('correlates WSS with the next return: Pearson as simple-statistics, Spearman 0.5 by hand', () => {
    const e = evaluateSignal(wss(), idx);
    // pairs (1, 0.01), (−1, 100/101 − 1), (2, 0); ranks x = [2, 1, 3], y = [3, 1, 2]:
    // deviations [0, −1, 1] and [1, −1, 0] → 1 / √(2·2) = 0.5
    expect(e.correlation.n).to.equal(3);
    expect(e.correlation.spearman).to.be.closeTo(0.5, 1e-12);
    expect(e.correlation.pearson).to.be.closeTo(sampleCorrelation([1, -1, 2], [0.01, 100 / 101 - 1, 0]), 1e-12);
  });

  it('reports null rates and correlations when nothing can be measured', () => {
    const e = evaluateSignal(wss(), index([10, 11], [1, 2]));
    expect(e.buy.hitRate).to.equal(null);
    expect(e.correlation).to.deep.equal({ pearson: null, spearman: null, n: 0 });
    expect(e.upShare).to.equal(null);
  });

  it('gives tied values their average rank', () => {
    expect([...averageRanks(Float64Array.from([3, 1, 2, 2]))]).to.deep.equal([4, 1, 2.5, 2.5]);
    // The radix-sorted ranks of the backtest IC agree, ties included.
    const x = Float64Array.from([0.5, -1, 0.5, 2, -1, -1, 0, 3e-9]);
    expect([...fastAverageRanks(x)]).to.deep.equal([...averageRanks(x)]);
    expect([...averageRanks(x)]).to.deep.equal([6.5, 2, 6.5, 8, 2, 2, 4, 5]);
  });
});
