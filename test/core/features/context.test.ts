import { expect } from 'chai';
import type { Ohlcv } from '../../../src/core/data/types.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import {
  computeFeatures, computeFeaturesMany, defaultFeatureSpec, marketContext, validateFeatureSpec, withMarketContext, withoutMarketContext,
} from '../../../src/core/features/index.js';
import { randomBars } from './bars.js';

/** Bars at the given minute times with these closes (open = close, a 1 % range). */
function at(minutes: number[], close: number[]): Ohlcv {
  const c = Float64Array.from(close);
  return {
    n: c.length,
    time: Float64Array.from(minutes, (m) => m * 60_000),
    open: c.slice(),
    high: c.map((x) => x * 1.005),
    low: c.map((x) => x * 0.995),
    close: c,
    volume: c.map(() => 1000),
  };
}

/** Rows i..j of bars (inclusive start, exclusive end). */
function rows(b: Ohlcv, from: number, to: number): Ohlcv {
  return { n: to - from, time: b.time.slice(from, to), open: b.open.slice(from, to), high: b.high.slice(from, to), low: b.low.slice(from, to), close: b.close.slice(from, to), volume: b.volume.slice(from, to) };
}

const SPEC = withMarketContext(defaultFeatureSpec(12), ['A', 'B', 'C']);
const ln = Math.log;

describe('market-context features', () => {
  it('basket return, breadth and relative return by hand, aligned on time with a missing bar', () => {
    // B has no bar at minute 2, so at minute 2 only A and C vote, and B's return at minute 3 is from minute 1.
    const A = at([0, 1, 2, 3], [100, 101, 100, 102]);
    const B = at([0, 1, 3], [50, 49, 50]);
    const C = at([0, 1, 2, 3], [20, 20, 21, 20]);
    const [a, b] = marketContext([{ symbol: 'A', bars: A }, { symbol: 'B', bars: B }, { symbol: 'C', bars: C }], SPEC) as [Record<string, Float64Array>, Record<string, Float64Array>];
    const m1 = (ln(101 / 100) + ln(49 / 50) + ln(20 / 20)) / 3;
    const m2 = (ln(100 / 101) + ln(21 / 20)) / 2;
    const m3 = (ln(102 / 100) + ln(50 / 49) + ln(20 / 21)) / 3;
    expect(Number.isNaN(a['mkt_ret_1']?.[0])).to.equal(true);
    [m1, m2, m3].forEach((m, k) => expect(a['mkt_ret_1']?.[k + 1]).to.be.closeTo(m, 1e-15));
    // Breadth counts strictly positive returns: minute 1 → A only of 3; minute 2 → C of 2; minute 3 → A and B of 3.
    expect(Array.from(a['mkt_breadth'] as Float64Array).slice(1)).to.deep.equal([1 / 3, 1 / 2, 2 / 3]);
    // B sees the basket at its own times (0, 1, 3), never the row numbers.
    expect(b['mkt_ret_1']?.[1]).to.be.closeTo(m1, 1e-15);
    expect(b['mkt_ret_1']?.[2]).to.be.closeTo(m3, 1e-15);
    expect(b['rel_ret_1']?.[2]).to.be.closeTo(ln(50 / 49) - m3, 1e-15);
    expect(a['rel_ret_1']?.[2]).to.be.closeTo(ln(100 / 101) - m2, 1e-15);
  });

  it('basket volatility is the sample std of the last W basket returns', () => {
    const list = ['A', 'B', 'C'].map((s, i) => ({ symbol: s, bars: randomBars(60, 10 + i) }));
    const [ctx] = marketContext(list, SPEC) as [Record<string, Float64Array>];
    const m = ctx['mkt_ret_1'] as Float64Array;
    const v = ctx['mkt_vol_12'] as Float64Array;
    // Independent: mean return of the three at t, then a two-pass sample std over 12 of them.
    const mk = (t: number): number => list.reduce((s, x) => s + ln((x.bars.close[t] as number) / (x.bars.close[t - 1] as number)), 0) / 3;
    for (let t = 1; t < 60; t++) expect(m[t]).to.be.closeTo(mk(t), 1e-15);
    for (let t = 0; t < 12; t++) expect(Number.isNaN(v[t])).to.equal(true);
    for (let t = 12; t < 60; t++) {
      const w = Array.from({ length: 12 }, (_, k) => mk(t - 11 + k));
      const mean = w.reduce((s, x) => s + x, 0) / 12;
      const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / 11);
      expect(v[t]).to.be.closeTo(sd, 1e-12);
    }
  });

  it('a symbol outside the basket gets the basket columns but does not vote', () => {
    const base = [{ symbol: 'A', bars: randomBars(40, 1) }, { symbol: 'B', bars: randomBars(40, 2) }];
    const withX = marketContext([...base, { symbol: 'X', bars: randomBars(40, 3, 10, 0.2) }], SPEC);
    const without = marketContext(base, SPEC);
    expect(Array.from(withX[2]?.['mkt_ret_1'] as Float64Array)).to.deep.equal(Array.from(without[0]?.['mkt_ret_1'] as Float64Array));
    expect(Array.from(withX[0]?.['mkt_breadth'] as Float64Array)).to.deep.equal(Array.from(without[0]?.['mkt_breadth'] as Float64Array));
  });

  it('no look-ahead: changing or removing any symbol\'s bars after t never changes the context at t', () => {
    const n = 80;
    const list = ['A', 'B', 'C'].map((s, i) => ({ symbol: s, bars: randomBars(n, 30 + i) }));
    const full = marketContext(list, SPEC);
    for (const t of [13, 30, 55, 78]) {
      // Cut every symbol after t; and separately rewrite every later close of one symbol.
      const cut = marketContext(list.map((x) => ({ symbol: x.symbol, bars: rows(x.bars, 0, t + 1) })), SPEC);
      const changed = list.map((x, i) => {
        if (i !== 1) return x;
        const b = rows(x.bars, 0, n);
        for (let k = t + 1; k < n; k++) {
          (b.close as Float64Array)[k] = (b.close[k] as number) * 3;
          (b.high as Float64Array)[k] = (b.high[k] as number) * 3;
          (b.low as Float64Array)[k] = (b.low[k] as number) * 3;
          (b.open as Float64Array)[k] = (b.open[k] as number) * 3;
        }
        return { symbol: x.symbol, bars: b };
      });
      const alt = marketContext(changed, SPEC);
      for (let s = 0; s < 3; s++) {
        for (const name of ['mkt_ret_1', 'mkt_breadth', 'mkt_vol_12', 'rel_ret_1']) {
          const want = Array.from((full[s] as Record<string, Float64Array>)[name] as Float64Array).slice(0, t + 1);
          expect(Array.from((cut[s] as Record<string, Float64Array>)[name] as Float64Array), `${name} cut at ${t}`).to.deep.equal(want);
          expect(Array.from((alt[s] as Record<string, Float64Array>)[name] as Float64Array).slice(0, t + 1), `${name} changed after ${t}`).to.deep.equal(want);
        }
      }
    }
  });

  it('computeFeaturesMany appends the context columns after the per-symbol features', () => {
    const list = ['A', 'B', 'C'].map((s, i) => ({ symbol: s, bars: randomBars(50, 50 + i) }));
    const frames = computeFeaturesMany(list, SPEC);
    const own = computeFeatures(list[0]?.bars as Ohlcv, withoutMarketContext(SPEC));
    expect(frames[0]?.names).to.deep.equal([...own.names, 'mkt_ret_1', 'mkt_breadth', 'mkt_vol_12', 'rel_ret_1']);
    own.columns.forEach((c, j) => expect(Array.from(frames[0]?.columns[j] as Float64Array)).to.deep.equal(Array.from(c)));
    expect(frames[0]?.warmup).to.equal(own.warmup);
  });

  it('refuses one symbol alone, a basket without its members, and a spec without its basket', () => {
    expect(() => computeFeatures(randomBars(50, 1), SPEC)).to.throw(UsageError, /market context/);
    expect(() => marketContext([{ symbol: 'A', bars: randomBars(50, 1) }, { symbol: 'Z', bars: randomBars(50, 2) }], SPEC)).to.throw(UsageError, /1 of 3 basket symbols/);
    expect(() => withMarketContext(defaultFeatureSpec(), ['A'])).to.throw(UsageError, /at least 2/);
    const { basket: _drop, ...noBasket } = SPEC;
    expect(() => validateFeatureSpec(noBasket, 'spec')).to.throw(UsageError, /unknown feature "mkt_ret_1"/);
    expect(() => validateFeatureSpec({ ...SPEC, basket: ['A'] }, 'spec')).to.throw(DataError, /basket/);
    expect(validateFeatureSpec(JSON.parse(JSON.stringify(SPEC)), 'spec')).to.deep.equal(SPEC);
  });
});
