import { expect } from 'chai';
import type { Ohlcv } from '../../../src/core/data/index.js';
import { signalsAt, sweepThresholds, tradeIndex, type WssResult } from '../../../src/core/wss/index.js';

const H = 3_600_000;
const t0 = Date.parse('2026-03-02T14:30:00Z');

function wssOf(values: number[], low: number[] = []): WssResult {
  const n = values.length;
  return {
    n,
    times: Float64Array.from(values, (_, i) => t0 + i * H),
    timeNext: Float64Array.from(values, (_, i) => t0 + (i + 1) * H),
    wss: Float64Array.from(values),
    signal: signalsAt({ n, wss: Float64Array.from(values), lowCoverage: Uint8Array.from(values, (_, i) => (low.includes(i) ? 1 : 0)) } as WssResult, 0.5, -0.5),
    coverage: new Float64Array(n).fill(1),
    nSymbols: new Int32Array(n).fill(3),
    lowCoverage: Uint8Array.from(values, (_, i) => (low.includes(i) ? 1 : 0)),
    flaggedLowCoverage: low.length,
    noSnapshot: 0,
    unweighted: [],
    missingData: [],
    snapshots: [],
    pointInTime: false,
    symbols: ['A', 'B', 'C'],
    options: { use: 'action', buy: 0.5, sell: -0.5, minCoverage: 0 },
  };
}

function index(closes: number[], skip: number[] = []): Ohlcv {
  const keep = closes.map((_, i) => i).filter((i) => !skip.includes(i));
  const c = Float64Array.from(keep, (i) => closes[i] as number);
  return { n: keep.length, time: Float64Array.from(keep, (i) => t0 + i * H), open: c, high: c.map((x) => x * 1.001), low: c.map((x) => x * 0.999), close: c, volume: new Float64Array(keep.length).fill(1) };
}

describe('trading the index on the WSS signal', () => {
  it('signalsAt applies inclusive thresholds and keeps low-coverage hours HOLD', () => {
    const w = wssOf([0.5, 0.49, -0.5, -0.2, 0.9], [4]);
    expect(Array.from(signalsAt(w, 0.5, -0.5))).to.deep.equal([1, 0, -1, 0, 0]);
    expect(Array.from(signalsAt(w, 0.2, -0.2))).to.deep.equal([1, 1, -1, -1, 0]);
  });

  it('holds the signal of hour t over t+1 and pays costs on each change (hand-computed)', () => {
    // Signals: BUY, BUY, SELL, HOLD. Index closes 100 → 101 → 99 → 98.
    const w = wssOf([0.6, 0.7, -0.8, 0]);
    const r = tradeIndex(w, w.signal, index([100, 101, 99, 98]), { feeBps: 10, slippageBps: 0, periodsPerYear: 1764 });
    // Each bar: equity × (1 + position held × return) × (1 − fee × |Δposition|), the fee charged on the
    // equity at the fill (the close). Bar 0: enter long (Δ 1). Bar 1: +1%. Bar 2: long over 101→99,
    // then flip to short (Δ 2). Bar 3: short over 99→98, then exit (Δ 1).
    const eq = (1 - 0.001) * 1.01 * (99 / 101) * (1 - 0.002) * (1 + (1 - 98 / 99)) * (1 - 0.001);
    expect(r.stats.totalReturn).to.be.closeTo(eq - 1, 1e-12);
    expect(r.rows).to.equal(4);
    expect(r.stats.benchmark.totalReturn).to.be.closeTo(98 / 100 - 1, 1e-12);
  });

  it('skips hours the index lacks instead of shifting rows', () => {
    const w = wssOf([0.6, 0.6, 0.6, 0.6, 0.6]);
    const r = tradeIndex(w, w.signal, index([100, 101, 102, 103, 104], [2]), { feeBps: 0, slippageBps: 0, periodsPerYear: 1764 });
    expect(r.rows).to.equal(4);
    expect(r.skipped).to.equal(1);
    expect(r.stats.totalReturn).to.be.closeTo(104 / 100 - 1, 1e-12);
  });

  it('a threshold sweep picks on the validation hours only and trades the rest', () => {
    const values = Array.from({ length: 40 }, (_, i) => Math.sin(i / 3) * 0.8);
    const closes = Array.from({ length: 40 }, (_, i) => 100 + Math.sin((i + 1) / 3) * 2);
    const w = wssOf(values);
    const s = sweepThresholds(w, index(closes), [0.2, 0.4, 0.6], 0.5, { feeBps: 1, slippageBps: 0, periodsPerYear: 1764 });
    expect(s.validation.hours).to.equal(20);
    expect(s.test.rows).to.equal(20);
    const bestRow = s.rows.reduce((a, b) => ((b.sharpe ?? -Infinity) > (a.sharpe ?? -Infinity) ? b : a));
    expect(s.best).to.equal(bestRow.threshold);
    expect(Date.parse(s.validation.to)).to.be.below(Date.parse(s.test.from));
  });
});
