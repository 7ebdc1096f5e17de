import { expect } from 'chai';
import {
  brierScore, expectedCalibrationError, reliabilityBins, scoreClassifier,
} from '../../../src/core/evaluate/index.js';
import { DataError } from '../../../src/core/errors.js';

// Four rows, three classes; per-row Brier terms and top-label confidences worked out by hand:
//   [0.7, 0.2, 0.1] y=0: 0.09 + 0.04 + 0.01   = 0.14,  conf 0.7, right
//   [0.2, 0.5, 0.3] y=2: 0.04 + 0.25 + 0.49   = 0.78,  conf 0.5, wrong
//   [0.1, 0.1, 0.8] y=2: 0.01 + 0.01 + 0.04   = 0.06,  conf 0.8, right
//   [0.4, 0.35, 0.25] y=1: 0.16 + 0.4225 + 0.0625 = 0.645, conf 0.4, wrong
const P = Float64Array.from([0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.4, 0.35, 0.25]);
const Y = Uint8Array.from([0, 2, 2, 1]);

describe('calibration metrics', () => {
  it('brierScore is the mean over rows of Σ_k (p_k − y_k)² (hand-computed)', () => {
    expect(brierScore(Y, P, 3)).to.be.closeTo((0.14 + 0.78 + 0.06 + 0.645) / 4, 1e-12);
  });

  it('brierScore is 0 for confident right answers, 2 for confident wrong ones, 1 − Σ f² for the class frequencies', () => {
    const y = Uint8Array.from([0, 1, 1, 2]);
    const right = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
    const wrong = Float64Array.from([0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(brierScore(y, right, 3)).to.equal(0);
    expect(brierScore(y, wrong, 3)).to.equal(2);
    const f = [0.25, 0.5, 0.25];
    const prior = Float64Array.from([...f, ...f, ...f, ...f]);
    expect(brierScore(y, prior, 3)).to.be.closeTo(1 - (0.0625 + 0.25 + 0.0625), 1e-12);
  });

  it('expectedCalibrationError with 10 bins: one row each in bins 4, 5, 7, 8 (hand-computed)', () => {
    // |0 − 0.4| + |0 − 0.5| + |1 − 0.7| + |1 − 0.8| = 1.4, each bin weighing 1/4
    expect(expectedCalibrationError(Y, P, 3)).to.be.closeTo(1.4 / 4, 1e-12);
    expect(expectedCalibrationError(Y, P, 3, 10)).to.be.closeTo(0.35, 1e-12);
  });

  it('expectedCalibrationError with 2 bins pools rows, so over- and under-confidence cancel inside a bin', () => {
    // [0, 0.5): the 0.4 row, wrong → 0.4 · 1/4; [0.5, 1]: confidences 0.7, 0.5, 0.8 (mean 2/3), 2 of 3 right → 0
    expect(expectedCalibrationError(Y, P, 3, 2)).to.be.closeTo(0.1, 1e-12);
  });

  it('reliabilityBins reports count, mean confidence and accuracy per equal-width bin; empty bins are null', () => {
    const bins = reliabilityBins(Y, P, 3, 2);
    expect(bins).to.have.length(2);
    expect(bins[0]).to.deep.include({ lo: 0, hi: 0.5, count: 1, accuracy: 0 });
    expect(bins[0]!.meanConfidence).to.be.closeTo(0.4, 1e-12);
    expect(bins[1]).to.deep.include({ lo: 0.5, hi: 1, count: 3 });
    expect(bins[1]!.meanConfidence).to.be.closeTo(2 / 3, 1e-12);
    expect(bins[1]!.accuracy).to.be.closeTo(2 / 3, 1e-12);
    const ten = reliabilityBins(Y, P, 3);
    expect(ten.map((b) => b.count)).to.deep.equal([0, 0, 0, 0, 1, 1, 0, 1, 1, 0]);
    expect(ten[0]).to.deep.include({ meanConfidence: null, accuracy: null });
  });

  it('a confidence of exactly 1 lands in the last bin and a tie takes the lowest class as the top label', () => {
    const y = Uint8Array.from([1, 0]);
    const p = Float64Array.from([0.5, 0.5, 0, 1, 0, 0]);
    const bins = reliabilityBins(y, p, 3, 4);
    // row 0: tie between classes 0 and 1 → top label 0, wrong, conf 0.5 → bin [0.5, 0.75); row 1: conf 1 → last bin, right
    expect(bins.map((b) => b.count)).to.deep.equal([0, 0, 1, 1]);
    expect(bins[2]!.accuracy).to.equal(0);
    expect(bins[3]!.accuracy).to.equal(1);
    expect(expectedCalibrationError(y, p, 3, 4)).to.be.closeTo((0.5 + 0) / 2, 1e-12);
  });

  it('scoreClassifier carries brier and ece beside log-loss', () => {
    const m = scoreClassifier(Y, P, 3);
    expect(m.brier).to.be.closeTo(0.40625, 1e-12);
    expect(m.ece).to.be.closeTo(0.35, 1e-12);
  });

  it('rejects mismatched lengths, no rows and a bad bin count', () => {
    expect(() => brierScore(Y, P.subarray(0, 9), 3)).to.throw(DataError);
    expect(() => expectedCalibrationError(new Uint8Array(0), new Float64Array(0), 3)).to.throw(DataError);
    expect(() => reliabilityBins(Y, P, 3, 0)).to.throw(DataError);
  });
});
