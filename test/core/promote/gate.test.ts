import { expect } from 'chai';
import type { Metrics } from '../../../src/core/evaluate/index.js';
import { judge, parseGateMetric } from '../../../src/core/promote/index.js';

const m = (macroF1: number, logLoss: number): Metrics =>
  ({ macroF1, logLoss, accuracy: 0, balancedAccuracy: 0, macroRocAuc: null } as unknown as Metrics);

const R = { evaluation: 'recorded' as const, reason: 'test' };

describe('promotion gate', () => {
  it('needs a strict improvement in the metric\'s direction', () => {
    expect(judge({ metric: 'macroF1', minDelta: 0, minRelDelta: 0 }, m(0.30, 1), m(0.25, 1), R).passed).to.equal(true);
    expect(judge({ metric: 'macroF1', minDelta: 0, minRelDelta: 0 }, m(0.25, 1), m(0.25, 1), R).passed).to.equal(false);
    // log-loss: lower is better, so 1.10 vs 1.20 is an improvement of 0.10.
    const g = judge({ metric: 'logLoss', minDelta: 0, minRelDelta: 0 }, m(0, 1.1), m(0, 1.2), R);
    expect(g.passed).to.equal(true);
    expect(g.delta).to.be.closeTo(0.1, 1e-12);
  });

  it('applies the larger of the absolute and relative margins', () => {
    // Champion 0.25, rel 10% → 0.025 required; abs 0.01. Improvement 0.02 fails, 0.03 passes.
    const rule = { metric: 'macroF1' as const, minDelta: 0.01, minRelDelta: 0.1 };
    expect(judge(rule, m(0.27, 1), m(0.25, 1), R).passed).to.equal(false);
    expect(judge(rule, m(0.28, 1), m(0.25, 1), R).passed).to.equal(true);
    expect(judge(rule, m(0.28, 1), m(0.25, 1), R).required).to.be.closeTo(0.025, 1e-12);
  });

  it('never passes on a missing value and rejects unknown metrics', () => {
    expect(judge({ metric: 'macroRocAuc', minDelta: 0, minRelDelta: 0 }, m(0.3, 1), m(0.2, 1), R).passed).to.equal(false);
    expect(() => parseGateMetric('sharpe')).to.throw(/unknown gate metric/);
    expect(() => parseGateMetric('toString')).to.throw(/unknown gate metric/);
  });

  it('refuses an uncalibrated challenger even when it beats the champion, and says why', () => {
    const rule = { metric: 'macroF1' as const, minDelta: 0, minRelDelta: 0 };
    const cal = (logLoss: number, majorityLogLoss: number) => ({ logLoss, majorityLogLoss, uncalibrated: !(logLoss < majorityLogLoss) });
    const bad = judge(rule, m(0.40, 1.5), m(0.25, 1.3), { ...R, calibration: cal(1.5, 1.4) });
    expect(bad.passed).to.equal(false);
    expect(bad.delta).to.be.closeTo(0.15, 1e-12);
    expect(bad.failure).to.match(/uncalibrated: log-loss 1\.5000 is not below the majority baseline's 1\.4000/);
    // A tie with the majority baseline is not better either.
    expect(judge(rule, m(0.40, 1.4), m(0.25, 1.3), { ...R, calibration: cal(1.4, 1.4) }).passed).to.equal(false);
    const good = judge(rule, m(0.40, 1.3), m(0.25, 1.3), { ...R, calibration: cal(1.3, 1.4) });
    expect(good.passed).to.equal(true);
    expect(good.failure).to.equal(null);
  });
});
