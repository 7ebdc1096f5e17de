import { expect } from 'chai';
import fc from 'fast-check';
import { sampleStandardDeviation } from 'simple-statistics';
import {
  classify, classCounts, currentClasses, fitThresholds, forwardReturns, labelBars, makeLabelSpec, NO_LABEL,
  rollingReturnVol, thresholdsAt, validateLabelSpec,
} from '../../../src/core/labels/index.js';

const close = Float64Array.from([100, 100.05, 100.4, 100.0, 99.85, 99.5, 99.5, 100.2]);

describe('classify', () => {
  it('puts ±t1 in the directional class and ±t2 in the strong class (docs/labels.md edges)', () => {
    expect([-0.003, -0.002, -0.001, -0.0005, 0, 0.0005, 0.001, 0.002, 0.003].map((r) => classify(r, 0.001, 0.003))).to.deep.equal([
      0, 1, 1, 2, 2, 2, 3, 3, 4,
    ]);
  });
});

describe('labelBars', () => {
  it('labels bar t by close[t+h]/close[t] − 1 and leaves the last h bars unlabelled', () => {
    const spec = makeLabelSpec({ scheme: 'fixed', t1: 0.001, t2: 0.003 });
    // Hand-computed forward returns: +0.05%, +0.35%, −0.398%, −0.15%, −0.3505%, 0, +0.7035%, none.
    expect(Array.from(labelBars(close, spec))).to.deep.equal([2, 4, 0, 1, 0, 2, 4, NO_LABEL]);
  });

  it('uses a horizon of h bars', () => {
    const spec = makeLabelSpec({ scheme: 'fixed', t1: 0.001, t2: 0.003, horizon: 2 });
    // close[2]/close[0] − 1 = +0.4% → strong_buy; last two bars unlabelled.
    const y = labelBars(close, spec);
    expect(y[0]).to.equal(4);
    expect(Array.from(y.subarray(6))).to.deep.equal([NO_LABEL, NO_LABEL]);
  });

  it('never changes the label of bar t when bars after t+h change (no look-ahead)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 50, max: 150, noNaN: true }), { minLength: 30, maxLength: 60 }),
        fc.integer({ min: 0, max: 25 }),
        fc.double({ min: 50, max: 150, noNaN: true }),
        (prices, t, replacement) => {
          const a = Float64Array.from(prices);
          const b = Float64Array.from(prices);
          for (let i = t + 2; i < b.length; i++) b[i] = replacement;
          for (const spec of [makeLabelSpec({ scheme: 'fixed' }), makeLabelSpec({ scheme: 'vol', volWindow: 5 })]) {
            expect(labelBars(b, spec)[t]).to.equal(labelBars(a, spec)[t]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('threshold schemes', () => {
  it('fits quantile thresholds on the given training returns with numpy\'s linear quantile', () => {
    const spec = fitThresholds(makeLabelSpec({ scheme: 'quantile', q1: 0.4, q2: 0.8 }), Float64Array.from([0.001, -0.002, 0.003, -0.004, NaN]));
    // |r| sorted = [1, 2, 3, 4]e-3; numpy.quantile(q=0.4) = 2.2e-3, q=0.8 = 3.4e-3.
    expect(spec.scheme).to.equal('quantile');
    if (spec.scheme !== 'quantile') return;
    expect(spec.t1).to.be.closeTo(0.0022, 1e-15);
    expect(spec.t2).to.be.closeTo(0.0034, 1e-15);
  });

  it('refuses to label with an unfitted quantile spec and to fit collapsing thresholds', () => {
    expect(() => thresholdsAt(close, makeLabelSpec({ scheme: 'quantile' }))).to.throw(/fitted/);
    expect(() => fitThresholds(makeLabelSpec({ scheme: 'quantile' }), Float64Array.from([0, 0, 0]))).to.throw(/collapse/);
  });

  it('scales vol thresholds by the rolling sample std of returns known at t', () => {
    const prices = Float64Array.from([100, 101, 100.5, 102, 101, 103, 102.5, 104]);
    const sigma = rollingReturnVol(prices, 4);
    const rets = Array.from({ length: 7 }, (_, i) => (prices[i + 1] as number) / (prices[i] as number) - 1);
    // σ at bar 4 = sample std (ddof 1, simple-statistics) of the 4 returns ending at bar 4.
    expect(sigma[4]).to.be.closeTo(sampleStandardDeviation(rets.slice(0, 4)), 1e-12);
    expect(sigma[7]).to.be.closeTo(sampleStandardDeviation(rets.slice(3, 7)), 1e-12);
    expect(Number.isNaN(sigma[3])).to.equal(true);
    const th = thresholdsAt(prices, makeLabelSpec({ scheme: 'vol', k1: 0.5, k2: 1.5, volWindow: 4 }));
    expect(th.t2[5]).to.be.closeTo(1.5 * (sigma[5] as number), 1e-15);
  });

  it('rejects bad schemes and thresholds with a usage error', () => {
    expect(() => makeLabelSpec({ scheme: 'magic' })).to.throw(/unknown threshold scheme/);
    expect(() => makeLabelSpec({ scheme: 'fixed', t1: 0.003, t2: 0.001 })).to.throw(/t1 < t2/);
    expect(() => makeLabelSpec({ horizon: 0 })).to.throw(/horizon/);
  });

  it('validates a stored spec and names the bad field', () => {
    expect(validateLabelSpec({ scheme: 'fixed', horizon: 1, t1: 0.001, t2: 0.003 }, 'run.json')).to.deep.equal({ scheme: 'fixed', horizon: 1, t1: 0.001, t2: 0.003 });
    expect(() => validateLabelSpec({ scheme: 'fixed', horizon: 1, t1: 'x', t2: 0.003 }, 'run.json')).to.throw(/labels\.t1/);
  });
});

describe('currentClasses and classCounts', () => {
  it('classifies the return that ended at t (what persistence predicts next)', () => {
    const spec = makeLabelSpec({ scheme: 'fixed', t1: 0.001, t2: 0.003 });
    const cur = currentClasses(close, spec);
    const fwd = labelBars(close, spec);
    expect(cur[0]).to.equal(NO_LABEL);
    for (let t = 1; t < close.length; t++) expect(cur[t]).to.equal(fwd[t - 1]);
  });

  it('counts classes and skips unlabelled bars', () => {
    expect(classCounts(Uint8Array.from([0, 2, 2, 4, NO_LABEL]))).to.deep.equal([1, 0, 2, 0, 1]);
    expect(forwardReturns(close, 1).length).to.equal(close.length);
  });
});
