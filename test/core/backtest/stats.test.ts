import { expect } from 'chai';
import { sampleCorrelation, sampleStandardDeviation } from 'simple-statistics';
import {
  backtestStats,
  EXIT_OPEN,
  EXIT_SIGNAL,
  inferPeriodsPerYear,
  returnStats,
  simulate,
  sweep,
  tradeStats,
  type Trades,
} from '../../../src/core/backtest/index.js';
import { UsageError } from '../../../src/core/errors.js';
import { averageRanks } from '../../../src/core/evaluate/index.js';
import { Rng } from '../../../src/core/util/rng.js';
import { barsOf, HOUR, T0 } from './bars.js';

const EPS = 1e-12;

/** Every number in a JSON-able value is finite (so JSON.stringify never hides a NaN as null). */
function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object') return true;
  return Object.values(v as Record<string, unknown>).every(allFinite);
}

describe('returnStats', () => {
  // r = +10 %, −10 %, +5 %, 0 with 4 periods a year (so exactly one year).
  // equity: 1.1, 0.99, 1.0395, 1.0395
  const ret = Float64Array.of(0.1, -0.1, 0.05, 0);
  const equity = Float64Array.of(1.1, 0.99, 1.0395, 1.0395);
  const time = Float64Array.from([0, 1, 2, 3], (i) => T0 + i * HOUR);
  const s = returnStats(ret, equity, time, { periodsPerYear: 4 });

  it('computes total return and CAGR from the number of periods', () => {
    expect(s.totalReturn).to.be.closeTo(0.0395, EPS);
    // 1.0395^(4/4) − 1
    expect(s.cagr).to.be.closeTo(0.0395, EPS);
  });

  it('annualises volatility and Sharpe with the sample (ddof 1) standard deviation', () => {
    // mean 0.0125; deviations .0875, −.1125, .0375, −.0125; Σ² = 0.021875; var = 0.021875/3; sd = 0.0853912564
    const sd = Math.sqrt(0.021875 / 3);
    expect(sd).to.be.closeTo(sampleStandardDeviation([0.1, -0.1, 0.05, 0]), EPS); // oracle agrees
    expect(s.annualVolatility).to.be.closeTo(sd * 2, EPS); // × √4
    expect(s.sharpe).to.be.closeTo((0.0125 / sd) * 2, EPS); // 0.29277002…
  });

  it('uses the downside deviation over all periods for Sortino', () => {
    // only −0.1 is below 0: √(0.01 / 4) = 0.05; 0.0125 / 0.05 × √4 = 0.5
    expect(s.sortino).to.be.closeTo(0.5, EPS);
  });

  it('reports max drawdown as a negative fraction with its duration, and Calmar', () => {
    // peak 1.1 at bar 0, trough 0.99: 0.99/1.1 − 1 = −0.1; not recovered by bar 3 → 3 bars, 3 hours
    expect(s.maxDrawdown).to.be.closeTo(-0.1, EPS);
    expect(s.maxDrawdownBars).to.equal(3);
    expect(s.maxDrawdownMs).to.equal(3 * HOUR);
    expect(s.calmar).to.be.closeTo(0.395, EPS); // 0.0395 / 0.1
  });

  it('ends a drawdown at the recovery bar and keeps the longest one', () => {
    // equity 1, 0.9, 1.0 (recovered after 2 bars from the bar-0 peak), 1.2, 1.1, 1.15
    const e = Float64Array.of(1, 0.9, 1, 1.2, 1.1, 1.15);
    const r = Float64Array.of(0, -0.1, 1 / 0.9 - 1, 0.2, 1.1 / 1.2 - 1, 1.15 / 1.1 - 1);
    const x = returnStats(r, e, Float64Array.from([0, 1, 2, 3, 4, 5]), { periodsPerYear: 252 });
    expect(x.maxDrawdown).to.be.closeTo(-0.1, EPS);
    expect(x.maxDrawdownBars).to.equal(2);
    expect(x.maxDrawdownMs).to.equal(2);
  });

  it('returns null rather than NaN for a flat series', () => {
    const z = returnStats(new Float64Array(3), Float64Array.of(1, 1, 1), Float64Array.of(0, 1, 2), { periodsPerYear: 252 });
    expect(z.sharpe).to.equal(null);
    expect(z.sortino).to.equal(null);
    expect(z.calmar).to.equal(null);
    expect(z.maxDrawdown).to.equal(0);
    expect(allFinite(z)).to.equal(true);
  });

  it('subtracts the per-period risk-free rate', () => {
    // rf 0.04 a year over 4 periods = 0.01 per period: mean excess 0.0025, same sd
    const x = returnStats(ret, equity, time, { periodsPerYear: 4, riskFree: 0.04 });
    expect(x.sharpe).to.be.closeTo((0.0025 / Math.sqrt(0.021875 / 3)) * 2, EPS);
  });
});

describe('tradeStats', () => {
  const trades = (ret: number[], reasons: number[]): Trades => {
    const k = ret.length;
    return {
      n: k,
      entryIndex: new Int32Array(k),
      exitIndex: new Int32Array(k),
      side: new Int8Array(k).fill(1),
      entryPrice: new Float64Array(k),
      exitPrice: new Float64Array(k),
      ret: Float64Array.from(ret),
      bars: Int32Array.from(ret, (_, i) => i + 1),
      durationMs: new Float64Array(k),
      exitReason: Uint8Array.from(reasons),
    };
  };

  it('counts wins and losses over closed trades only', () => {
    const S = EXIT_SIGNAL;
    const t = tradeStats(trades([0.1, -0.05, 0.02, -0.01, 0.3], [S, S, S, S, EXIT_OPEN]));
    expect(t.trades).to.equal(5);
    expect(t.closedTrades).to.equal(4);
    expect(t.winRate).to.equal(0.5); // 2 of 4
    expect(t.avgWin).to.be.closeTo(0.06, EPS); // (0.1 + 0.02) / 2
    expect(t.avgLoss).to.be.closeTo(-0.03, EPS); // (−0.05 − 0.01) / 2
    expect(t.profitFactor).to.be.closeTo(2, EPS); // 0.12 / 0.06
    expect(t.expectancy).to.be.closeTo(0.015, EPS); // 0.06 / 4
    expect(t.avgTradeBars).to.equal(2.5); // (1 + 2 + 3 + 4) / 4
  });

  it('gives null profit factor without losses and nulls without closed trades', () => {
    expect(tradeStats(trades([0.1], [EXIT_SIGNAL])).profitFactor).to.equal(null);
    const none = tradeStats(trades([0.1], [EXIT_OPEN]));
    expect([none.winRate, none.expectancy, none.avgWin, none.avgLoss]).to.deep.equal([null, null, null, null]);
  });
});

describe('backtestStats', () => {
  // The close-fill example of simulate.test: closes 100, 110, 99, 99, 108.9; long, long, flat, short, short; 10 bps.
  const bars = barsOf([100, 110, 99, 99, 108.9]);
  const s = simulate(bars, Float64Array.of(1, 1, 0, -1, -1), { feeBps: 10 });
  // expected scores 2, −2, 0, 1, −1 (one-hot rows: strong_buy, strong_sell, hold, buy, sell)
  const proba = new Float64Array(25);
  [4, 0, 2, 3, 1].forEach((k, i) => (proba[i * 5 + k] = 1));
  const st = backtestStats(s, bars, { periodsPerYear: 252, proba });

  it('compares with buy-and-hold from the first close to the last, without costs', () => {
    expect(st.benchmark.totalReturn).to.be.closeTo(0.089, EPS); // 108.9 / 100 − 1
    expect(st.totalReturn).to.be.closeTo(0.888329672109 - 1, EPS);
    expect(st.excessReturn).to.be.closeTo(0.888329672109 - 1 - 0.089, EPS);
    expect(st.benchmark.exposure).to.equal(1);
    expect(st.benchmark.feesPaid).to.equal(0);
  });

  it('reports exposure, turnover, fees and trades of the strategy', () => {
    expect(st.exposure).to.equal(0.8); // 4 of 5 bars hold a position
    expect(st.turnover).to.equal(3);
    expect(st.annualTurnover).to.be.closeTo((3 * 252) / 5, EPS);
    expect(st.feesPaid).to.be.closeTo(0.00297703099, EPS);
    expect(st.trades).to.equal(2);
    expect(st.closedTrades).to.equal(1);
    expect(st.profitFactor).to.equal(0); // the one closed trade lost, no wins: 0 / 0.01197901
    expect(st.winRate).to.equal(0);
    expect(st.avgLoss).to.be.closeTo(0.98802099 - 1, EPS);
  });

  it('computes the IC of the expected score against the next bar return', () => {
    const score = [2, -2, 0, 1];
    const next = [0.1, -0.1, 0, 0.1]; // 110/100, 99/110, 99/99, 108.9/99
    expect(st.ic?.n).to.equal(4);
    expect(st.ic?.pearson).to.be.closeTo(sampleCorrelation(score, next), 1e-12); // oracle: simple-statistics
    // ranks: scores 4, 1, 2, 3; returns 3.5, 1, 2, 3.5 → Pearson of the ranks
    expect(st.ic?.spearman).to.be.closeTo(sampleCorrelation([4, 1, 2, 3], [3.5, 1, 2, 3.5]), 1e-12);
  });

  it('is JSON-safe: undefined values are null, never NaN or Infinity', () => {
    expect(allFinite(st)).to.equal(true);
    const flat = backtestStats(simulate(bars, new Float64Array(5)), bars, { periodsPerYear: 252 });
    expect(flat.sharpe).to.equal(null);
    expect(flat.ic).to.equal(null);
    expect(allFinite(flat)).to.equal(true);
  });

  it('rejects a non-positive periodsPerYear', () => {
    expect(() => backtestStats(s, bars, { periodsPerYear: 0 })).to.throw(UsageError, /periodsPerYear/);
  });
});

describe('inferPeriodsPerYear', () => {
  it('counts bars per session × trading days for intraday bars', () => {
    expect(inferPeriodsPerYear(5 * 60_000)).to.equal(252 * 78); // 390 / 5
    expect(inferPeriodsPerYear(30 * 60_000)).to.equal(252 * 13);
    expect(inferPeriodsPerYear(HOUR)).to.equal(252 * 7); // 6.5 → 7 bars, the last a half hour
  });

  it('uses trading days for daily bars and calendar time for longer ones', () => {
    expect(inferPeriodsPerYear(24 * HOUR)).to.equal(252);
    expect(inferPeriodsPerYear(7 * 24 * HOUR)).to.be.closeTo(365.25 / 7, 1e-12);
    expect(() => inferPeriodsPerYear(0)).to.throw(UsageError);
  });
});

describe('sweep', () => {
  const bars = barsOf([100, 101, 103, 102, 105, 107]);
  const target = Float64Array.of(1, 0, 1, 0, 1, 0);
  const run = (fee: number) => backtestStats(simulate(bars, target, { feeBps: fee }), bars, { periodsPerYear: 252 });

  it('returns a row per value and picks the best by the metric', () => {
    const r = sweep({ name: 'feeBps', values: [20, 0, 10] }, run, 'totalReturn');
    expect(r.rows.map((x) => x.value)).to.deep.equal([20, 0, 10]);
    expect(r.best?.value).to.equal(0); // cheaper trading, same trades → highest return
    expect(r.rows[0]?.score).to.be.lessThan(r.rows[2]?.score as number);
  });

  it('keeps the first of equal scores', () => {
    const r = sweep({ name: 'x', values: ['a', 'b'] }, () => run(0), 'totalReturn');
    expect(r.best?.value).to.equal('a');
  });

  it('never picks a value whose metric is null and rejects an empty grid', () => {
    // rising closes, two winning round trips: no losses → profit factor null for every value
    const up = barsOf([100, 101, 102, 103]);
    const r = sweep({ name: 'x', values: [1, 2] }, () => backtestStats(simulate(up, Float64Array.of(1, 0, 1, 0)), up, { periodsPerYear: 252 }), 'profitFactor');
    expect(r.rows.map((x) => x.score)).to.deep.equal([null, null]);
    expect(r.best).to.equal(null);
    expect(() => sweep({ name: 'x', values: [] }, run, 'sharpe')).to.throw(UsageError);
  });
});

