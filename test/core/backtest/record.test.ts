import { expect } from 'chai';
import { recordedEquity, RECORD_SERIES_POINTS, simulate } from '../../../src/core/backtest/index.js';
import { barsOf, HOUR, T0 } from './bars.js';

describe('recordedEquity (the equity curves a backtest record keeps)', () => {
  it('keeps a short series whole: strategy equity, close / first close, ISO times', () => {
    // Closes 100 → 110 → 99, long 1 throughout, no costs: equity 1, 1.1, 0.99 (hand-computed).
    const bars = barsOf([100, 110, 99]);
    const r = recordedEquity(simulate(bars, Float64Array.from([1, 1, 1]), { fill: 'close', feeBps: 0, slippageBps: 0 }), bars);
    expect(r.bars).to.equal(3);
    expect(r.time).to.deep.equal([0, 1, 2].map((i) => new Date(T0 + i * HOUR).toISOString().replace('.000Z', 'Z')));
    // Stored exactly (no rounding): the same doubles as the simulation's own arithmetic.
    [r.equity, r.buyHold].forEach((series) => series.forEach((v, i) => expect(v).to.be.closeTo([1, 1.1, 0.99][i] as number, 1e-12)));
    expect(r.buyHold).to.deep.equal([100 / 100, 110 / 100, 99 / 100]);
  });

  it('downsamples a long series to evenly spaced bars that include the last one', () => {
    const n = 2500;
    const close = Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 50) * 10 + i * 0.01);
    const bars = barsOf(close);
    const target = Float64Array.from({ length: n }, (_, i) => (Math.floor(i / 100) % 2 === 0 ? 1 : -1));
    const s = simulate(bars, target, { fill: 'close', feeBps: 1, slippageBps: 0 });
    const r = recordedEquity(s, bars);
    expect(r.bars).to.equal(n);
    for (const col of [r.time, r.equity, r.buyHold]) expect(col).to.have.length(RECORD_SERIES_POINTS);
    expect(r.time[r.time.length - 1]).to.equal(new Date(T0 + (n - 1) * HOUR).toISOString().replace('.000Z', 'Z'));
    // The last kept point is the final equity (what totalReturn is measured on) and the final close ratio.
    expect(r.equity[r.equity.length - 1]).to.be.closeTo(s.equity[n - 1] as number, 1e-6);
    expect(r.buyHold[r.buyHold.length - 1]).to.be.closeTo((close[n - 1] as number) / 100, 1e-6);
    // Point k is bar round(k·(n−1)/999).
    const k = 500;
    const bar = Math.round((k * (n - 1)) / (RECORD_SERIES_POINTS - 1));
    expect(r.equity[k]).to.be.closeTo(s.equity[bar] as number, 1e-6);
    expect(Date.parse(r.time[k] as string)).to.equal(T0 + bar * HOUR);
  });
});
