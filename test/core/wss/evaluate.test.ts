import { expect } from 'chai';
import { sampleCorrelation } from 'simple-statistics';
import type { Ohlcv } from '../../../src/core/data/index.js';
import { averageRanks } from '../../../src/core/evaluate/index.js';
import { Rng } from '../../../src/core/util/rng.js';
import { computeWss, evaluateSignal, wilsonInterval } from '../../../src/core/wss/index.js';
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
    expect(e.buy).to.include({ n: 2, hits: 1, hitRate: 0.5 });
    expect(e.sell).to.include({ n: 1, hits: 1, hitRate: 1 });
    expect(e.measured).to.equal(3);
    expect(e.skipped).to.equal(2);
    // Both skipped hours fall inside the index's range: feed gaps, not the end of the data.
    expect(e.excluded).to.deep.equal({ noNextBar: 0, indexGap: 2 });
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
    expect(e.correlation).to.deep.equal({ pearson: null, spearman: null, n: 0, sessions: 0, pearsonCi: null });
    expect(e.upShare).to.equal(null);
    expect(e.upShareCi).to.equal(null);
    expect(e.buy.ci).to.equal(null);
  });

  it('excludes the last hour, whose next index bar does not exist yet, and says why', () => {
    // The index ends at hour 4: hour 4's next bar (hour 5) lies past it.
    const e = evaluateSignal(wss(), index([0, 1, 2, 3, 4], [100, 101, 100, 99, 98]));
    expect(e.excluded).to.deep.equal({ noNextBar: 1, indexGap: 0 });
    expect(e.measured).to.equal(4);
    expect(e.buy.n + e.sell.n).to.equal(4);
    expect(Number.isNaN(e.nextReturn[4])).to.equal(true);
  });

  it('gives hit rates Wilson intervals (Newcombe 1998, Table I)', () => {
    const e = evaluateSignal(wss(), idx);
    // 1 of 2: Wilson 95 % interval [0.0945, 0.9055]; 1 of 1: [0.2065, 1].
    expect(e.buy.ci?.lo).to.be.closeTo(0.0945, 5e-5);
    expect(e.buy.ci?.hi).to.be.closeTo(0.9055, 5e-5);
    expect(e.sell.ci?.lo).to.be.closeTo(0.2065, 5e-5);
    expect(e.sell.ci?.hi).to.equal(1);
  });

  it('wilsonInterval matches the textbook values and stays inside [0, 1]', () => {
    // 81 of 263 (Newcombe's example): [0.2553, 0.3662]; 0 of 10: [0, 0.2775].
    const a = wilsonInterval(81, 263);
    expect(a?.lo).to.be.closeTo(0.2553, 5e-5);
    expect(a?.hi).to.be.closeTo(0.3662, 5e-5);
    const b = wilsonInterval(0, 10);
    expect(b?.lo).to.equal(0);
    expect(b?.hi).to.be.closeTo(0.2775, 5e-5);
    expect(wilsonInterval(0, 0)).to.equal(null);
  });

  it('gives the correlation a session-block bootstrap interval that covers a strong link and excludes zero, and not a null one', () => {
    // 20 sessions × 7 hours. Strong: next return = 0.001 · WSS + small noise. Null: noise alone.
    const hours: number[] = [];
    for (let d = 0; d < 20; d++) for (let h = 0; h < 7; h++) hours.push(d * 24 + h);
    const rng = new Rng(7);
    const cls = hours.map(() => rng.int(5));
    const w = computeWss(new Map([['X', table('X', hours, cls)]]), new Map([['X', 1]]), { use: 'action' });
    const score = [-2, -1, 0, 1, 2];
    // Index bars at every hour and every hour's timestamp_next (= hour + 1): consecutive in the index,
    // so the return into bar t+1 is exactly the next return of hour t.
    const allTimes = [...new Set(hours.flatMap((h) => [T0 + h * H, T0 + (h + 1) * H]))].sort((x, y) => x - y);
    const mk = (retInto: (t: number) => number): Ohlcv => {
      let px = 100;
      const cl = Float64Array.from(allTimes, (t) => (px *= 1 + retInto(t)));
      return { n: allTimes.length, time: Float64Array.from(allTimes), open: cl, high: cl, low: cl, close: cl, volume: new Float64Array(allTimes.length) };
    };
    const noise = new Rng(11);
    const strongRet = new Map<number, number>();
    for (let i = 0; i < w.n; i++) strongRet.set(w.timeNext[i]!, 0.001 * (score[cls[i]!] as number) + 0.0002 * noise.normal());
    const strong = evaluateSignal(w, mk((t) => strongRet.get(t) ?? 0));
    expect(strong.correlation.sessions).to.equal(20);
    expect(strong.correlation.pearson).to.be.greaterThan(0.8);
    const ci = strong.correlation.pearsonCi!;
    expect(ci.lo).to.be.greaterThan(0);
    expect(ci.lo).to.be.at.most(strong.correlation.pearson!);
    expect(ci.hi).to.be.at.least(strong.correlation.pearson!);
    expect(ci.p).to.be.lessThan(0.01);
    const noise2 = new Rng(99);
    const nullRet = new Map<number, number>();
    for (const t of allTimes) nullRet.set(t, 0.001 * noise2.normal());
    const none = evaluateSignal(w, mk((t) => nullRet.get(t) ?? 0));
    const ci0 = none.correlation.pearsonCi!;
    expect(ci0.lo).to.be.lessThan(0);
    expect(ci0.hi).to.be.greaterThan(0);
    expect(ci0.p).to.be.greaterThan(0.05);
    // Seeded: the same inputs give the same interval.
    expect(evaluateSignal(w, mk((t) => nullRet.get(t) ?? 0)).correlation.pearsonCi).to.deep.equal(ci0);
  });

  it('gives tied values their average rank', () => {
    expect([...averageRanks(Float64Array.from([3, 1, 2, 2]))]).to.deep.equal([4, 1, 2.5, 2.5]);
    const x = Float64Array.from([0.5, -1, 0.5, 2, -1, -1, 0, 3e-9]);
    expect([...averageRanks(x)]).to.deep.equal([6.5, 2, 6.5, 8, 2, 2, 4, 5]);
  });
});
