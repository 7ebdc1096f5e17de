import { expect } from 'chai';
import { formatTick, niceStep, niceTicks, parseTimes, timeTicks } from '../../../src/core/report/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('report axes: 1-2-5 ticks', () => {
  it('niceStep rounds up to 1, 2 or 5 × 10^k', () => {
    expect(niceStep(0.13)).to.equal(0.2);
    expect(niceStep(0.2)).to.equal(0.2);
    expect(niceStep(0.21)).to.equal(0.5);
    expect(niceStep(3)).to.equal(5);
    expect(niceStep(7)).to.equal(10);
    expect(niceStep(19.4)).to.equal(20);
    expect(niceStep(1e-5)).to.equal(1e-5);
    expect(() => niceStep(0)).to.throw(RangeError);
  });

  it('covers the data with whole steps, hand-checked cases', () => {
    // 0…97 in ≤ 6 ticks: raw step 97/5 = 19.4 → 20.
    expect(niceTicks(0, 97, 6)).to.deep.include({ ticks: [0, 20, 40, 60, 80, 100], step: 20, lo: 0, hi: 100, decimals: 0 });
    // The equity of the demo backtest, 0.99…1.0921: raw 0.0204 → 0.05.
    expect(niceTicks(0.99, 1.0921, 6).ticks).to.deep.equal([0.95, 1, 1.05, 1.1]);
    // No float residue in the labels: 0.1 · 3 is 0.3 here, not 0.30000000000000004.
    expect(niceTicks(0.1, 0.3, 3).ticks).to.deep.equal([0.1, 0.2, 0.3]);
    expect(niceTicks(-2, 1, 6).ticks).to.deep.equal([-2, -1, 0, 1]);
    // A flat series still gets an axis around its value.
    expect(() => niceTicks(0, 1, 2)).to.throw(RangeError);
    const flat = niceTicks(1, 1, 6);
    expect(flat.lo).to.be.below(1);
    expect(flat.hi).to.be.above(1);
  });

  it('for any range: at most maxTicks ticks, a 1-2-5 step, the data inside', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 500; k++) {
      const scale = 10 ** Math.floor(rnd() * 12 - 6);
      const a = (rnd() - 0.5) * scale * 10;
      const b = a + rnd() * scale;
      const max = 3 + Math.floor(rnd() * 8);
      const t = niceTicks(a, b, max);
      expect(t.ticks.length, `${a} ${b} ${max}`).to.be.within(2, max);
      expect(t.lo).to.be.at.most(a);
      expect(t.hi).to.be.at.least(b);
      const mantissa = t.step / 10 ** Math.floor(Math.log10(t.step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `step ${t.step}`).to.equal(true);
    }
  });

  it('formats ticks with the step\'s decimals and a real minus sign', () => {
    expect(formatTick(-0.5, 1)).to.equal('−0.5');
    expect(formatTick(-0, 1)).to.equal('0.0');
    expect(formatTick(1.05, 2)).to.equal('1.05');
    expect(formatTick(100, 0)).to.equal('100');
  });
});

describe('report axes: dates', () => {
  /** 5-minute bars 13:30–19:55 UTC on the given dates. */
  const sessions = (dates: string[]): number[] => dates.flatMap((d) => Array.from({ length: 78 }, (_, i) => Date.parse(`${d}T13:30:00Z`) + i * 300_000));

  it('puts a tick at the first bar of each day when the days fit', () => {
    const t = sessions(['2023-05-04', '2023-05-05', '2023-05-08']);
    const { unit, ticks } = timeTicks(t, 3);
    expect(unit).to.equal('1d');
    expect(ticks).to.deep.equal([{ index: 78, label: '2023-05-05' }, { index: 156, label: '2023-05-08' }]);
  });

  it('uses hours inside a short range and labels them with the time', () => {
    const t = sessions(['2023-05-04']);
    const { unit, ticks } = timeTicks(t, 8);
    expect(unit).to.equal('1h');
    expect(ticks.map((x) => x.label)).to.deep.equal(['05-04 14:00', '05-04 15:00', '05-04 16:00', '05-04 17:00', '05-04 18:00', '05-04 19:00']);
    expect(ticks[0]?.index).to.equal(6); // 13:30 + 6 × 5 min
  });

  it('weeks start on Monday; sparse points get dates, not hours', () => {
    const t = Array.from({ length: 42 }, (_, i) => Date.parse('2026-01-07T15:00:00Z') + i * DAY); // from a Wednesday
    const { unit, ticks } = timeTicks(t, 8);
    expect(unit).to.equal('1w');
    expect(ticks).to.have.length(6);
    for (const x of ticks) expect(new Date(t[x.index] as number).getUTCDay(), x.label).to.equal(1);
    const daily = timeTicks(t.slice(0, 5), 8);
    expect(daily.unit).to.equal('1d');
    expect(daily.ticks[0]?.label).to.equal('2026-01-08');
  });

  it('months and years for long ranges, never more than asked for', () => {
    const t = Array.from({ length: 800 }, (_, i) => Date.parse('2022-01-03T15:00:00Z') + i * DAY);
    const r = timeTicks(t, 8);
    // 2022-01-03 … 2024-03-12: 26 month starts; quarters give 8.
    expect(r.unit).to.equal('3mo');
    expect(r.ticks.map((x) => x.label)).to.deep.equal(['2022-04', '2022-07', '2022-10', '2023-01', '2023-04', '2023-07', '2023-10', '2024-01']);
    expect(timeTicks(t, 3).ticks.map((x) => x.label)).to.deep.equal(['2023', '2024']);
    for (const max of [2, 3, 5, 12]) expect(timeTicks(t, max).ticks.length).to.be.at.most(max);
  });

  it('no ticks inside one hour; unparseable timestamps give no time axis', () => {
    expect(timeTicks([0, 60_000, 120_000], 8).ticks).to.deep.equal([]);
    expect(parseTimes(['2026-01-01T00:00:00Z', 'x'])).to.equal(null);
    expect(parseTimes(['2026-01-01T00:00:00Z'])).to.deep.equal([Date.parse('2026-01-01T00:00:00Z')]);
  });
});
