import { expect } from 'chai';
import {
  applyCalibrator, calibrateInPlace, CalibratedModel, fitCalibrators, fitIsotonic, fitSigmoid, floorProba, innerFolds, loadModel,
  PROBA_EPS, resolveModelParams, fitModel, storedModelParams, type Calibrator,
} from '../../../src/core/models/index.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/util/rng.js';
import { blobs, maxRowSumError, viaJson } from '../../fixtures/models/blobs.js';

const iso = (x: number[], y: number[]): Calibrator => fitIsotonic(Float64Array.from(x), Float64Array.from(y));

describe('isotonic calibration (pool adjacent violators)', () => {
  it('pools the violators of a hand-worked case: y = 1,3,2,4,3.5 → 1, 2.5, 2.5, 3.75, 3.75', () => {
    const c = iso([1, 2, 3, 4, 5], [1, 3, 2, 4, 3.5]);
    expect([1, 2, 3, 4, 5].map((x) => applyCalibrator(c, x))).to.deep.equal([1, 2.5, 2.5, 3.75, 3.75]);
    // Between blocks it interpolates linearly; outside the fitted range it is clipped.
    expect(applyCalibrator(c, 1.5)).to.equal(1.75);
    expect(applyCalibrator(c, 3.5)).to.equal(3.125);
    expect(applyCalibrator(c, -10)).to.equal(1);
    expect(applyCalibrator(c, 99)).to.equal(3.75);
  });

  it('pools tied x first, so the fit is a function of x: two rows at x = 0.5 with y 0 and 1 give 0.5', () => {
    const c = iso([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1]);
    expect(applyCalibrator(c, 0.5)).to.equal(0.5);
    expect(applyCalibrator(c, 0.2)).to.equal(0);
    expect(applyCalibrator(c, 0.9)).to.equal(1);
  });

  it('a decreasing sequence pools into one block at the mean', () => {
    const c = iso([1, 2, 3, 4], [4, 3, 2, 1]);
    for (const x of [0, 1, 2.5, 4, 5]) expect(applyCalibrator(c, x)).to.equal(2.5);
  });

  it('is monotone and minimises squared error among the monotone fits of random data (checked against adjacent swaps)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.int(60);
      const x = Float64Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20);
      const y = Float64Array.from(x, (v) => (rng.next() < v ? 1 : 0));
      const c = fitIsotonic(x, y);
      const grid = Array.from({ length: 101 }, (_, i) => i / 100);
      const f = grid.map((g) => applyCalibrator(c, g));
      for (let i = 1; i < f.length; i++) expect(f[i] as number).to.be.at.least((f[i - 1] as number) - 1e-15);
      // The fitted values at the data are block means: their weighted mean equals the mean of y.
      let sf = 0;
      let sy = 0;
      for (let i = 0; i < n; i++) {
        sf += applyCalibrator(c, x[i] as number);
        sy += y[i] as number;
      }
      expect(sf).to.be.closeTo(sy, 1e-9);
    }
  });
});

describe('sigmoid calibration (Platt on the logit)', () => {
  it('recovers a known miscalibration: labels drawn from 1/(1+exp(−2·logit p + 0.5)) give a ≈ −2, b ≈ 0.5', () => {
    const rng = new Rng(7);
    const n = 20000;
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const q = 0.02 + 0.96 * rng.next();
      p[i] = q;
      const z = Math.log(q / (1 - q));
      y[i] = rng.next() < 1 / (1 + Math.exp(-2 * z + 0.5)) ? 1 : 0;
    }
    const c = fitSigmoid(p, y) as Extract<Calibrator, { method: 'sigmoid' }>;
    expect(c.a).to.be.closeTo(-2, 0.1);
    expect(c.b).to.be.closeTo(0.5, 0.1);
  });

  it('on separable data stays finite (target smoothing) and pushes probabilities outwards monotonically', () => {
    const p = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]);
    const y = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const c = fitSigmoid(p, y) as Extract<Calibrator, { method: 'sigmoid' }>;
    expect(Number.isFinite(c.a) && Number.isFinite(c.b)).to.equal(true);
    expect(c.a).to.be.below(-1); // steeper than the identity (a = −1)
    const out = [0.1, 0.4, 0.6, 0.9].map((v) => applyCalibrator(c, v));
    expect(out[0] as number).to.be.below(0.1);
    expect(out[3] as number).to.be.above(0.9);
    // Smoothed targets are 1/6 and 5/6 for 4 negatives and 4 positives: the fit cannot reach 0 or 1.
    expect(applyCalibrator(c, 0.999)).to.be.below(1);
    for (let i = 1; i < out.length; i++) expect(out[i] as number).to.be.above(out[i - 1] as number);
  });
});

describe('calibrateInPlace and floorProba', () => {
  it('calibrates each class, renormalises rows, and never leaves an exact 0 or 1', () => {
    const K = 3;
    // Isotonic calibrators that send class 0's probability to 0 and class 1's to 1 on these rows.
    const cals: Calibrator[] = [iso([0, 1], [0, 0]), iso([0, 1], [1, 1]), iso([0, 1], [0, 1])];
    const p = Float64Array.from([0.2, 0.3, 0.5, 1, 0, 0]);
    calibrateInPlace(cals, p, 2);
    expect(maxRowSumError(p, K)).to.be.below(1e-12);
    for (const v of p) {
      expect(v).to.be.at.least(PROBA_EPS);
      expect(v).to.be.below(1);
    }
  });

  it('floorProba moves a one-hot row inside [ε, 1 − (K−1)ε] and leaves a row already inside untouched', () => {
    const p = floorProba(Float64Array.from([1, 0, 0, 0, 0]), 1, 5);
    expect(p[1]).to.equal(PROBA_EPS);
    expect(p[0]).to.be.closeTo(1 - 4 * PROBA_EPS, 1e-15);
    const q = Float64Array.from([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(Array.from(floorProba(Float64Array.from(q), 1, 5))).to.deep.equal(Array.from(q));
    const twice = floorProba(Float64Array.from(p), 1, 5);
    expect(Array.from(twice)).to.deep.equal(Array.from(p));
  });
});

describe('innerFolds', () => {
  it('cuts the distinct bar times into k + 1 blocks, fits on earlier blocks only and purges the horizon before each validation block', () => {
    // Two symbols sharing 100 bar times (rows series-major, as pooled rows are), horizon 2.
    const times = Float64Array.from({ length: 200 }, (_, i) => (i % 100) * 300_000);
    const folds = innerFolds({ n: 200, time: times, horizon: 2 }, 3);
    expect(folds).to.have.length(3);
    folds.forEach((f, j) => {
      const vt = Array.from(f.valid, (i) => times[i] as number);
      const tt = Array.from(f.train, (i) => times[i] as number);
      const vStart = Math.min(...vt);
      expect(vStart).to.equal((j + 1) * 25 * 300_000);
      // Purge: the last training time is `horizon` bars before the validation block.
      expect(Math.max(...tt)).to.equal(vStart - 3 * 300_000);
      // Both symbols' rows of a time are on the same side.
      expect(f.valid.length % 2).to.equal(0);
    });
    expect(folds[2]?.valid.length).to.equal(2 * 25);
  });

  it('refuses a training set too small for even one fold', () => {
    expect(() => innerFolds({ n: 20 }, 3)).to.throw(UsageError, /too few for 3 chronological calibration folds/);
  });
});

describe('calibrated models', () => {
  const noisy = (n: number, seed: number) => blobs(n, seed, { k: 3, sep: 1.2, nClasses: 5 });

  it('fit through fitModel: calibrators per class, rows summing to 1, no exact 0/1, save → load → same probabilities, same seed → same JSON', async () => {
    const input = noisy(600, 1);
    for (const method of ['sigmoid', 'isotonic'] as const) {
      const params = resolveModelParams('rf', { nTrees: 10, nJobs: 1, calibrate: method });
      const m = await fitModel('rf', input, params, new Rng(5));
      expect(m).to.be.instanceOf(CalibratedModel);
      const p = m.predictProba(input.columns, input.n);
      expect(maxRowSumError(p, 5)).to.be.below(1e-9);
      for (const v of p) expect(v > 0 && v < 1).to.equal(true);
      const back = loadModel(viaJson(m.toJSON()), 'model.json');
      expect(Array.from(back.predictProba(input.columns, input.n))).to.deep.equal(Array.from(p));
      const again = await fitModel('rf', input, params, new Rng(5));
      expect(JSON.stringify(again.toJSON())).to.equal(JSON.stringify(m.toJSON()));
    }
  });

  it('the base model inside equals the uncalibrated model of the same seed', async () => {
    const input = noisy(400, 2);
    const raw = await fitModel('logreg', input, resolveModelParams('logreg', { calibrate: 'none' }), new Rng(9));
    const cal = (await fitModel('logreg', input, resolveModelParams('logreg', { calibrate: 'sigmoid' }), new Rng(9))) as CalibratedModel;
    expect(JSON.stringify(cal.base.toJSON())).to.equal(JSON.stringify(raw.toJSON()));
  });

  it('isotonic calibration repairs a badly over-confident model on fresh rows of the same process (log-loss drops)', async () => {
    // kNN with k = 1 is 0/1 confident; on noisy blobs that is wrong a third of the time.
    const train = noisy(900, 3);
    const test = noisy(900, 4);
    const ll = (p: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < test.n; i++) s -= Math.log(p[i * 5 + (test.y[i] as number)] as number);
      return s / test.n;
    };
    const raw = await fitModel('knn', train, resolveModelParams('knn', { k: 1, calibrate: 'none' }), new Rng(1));
    const cal = await fitModel('knn', train, resolveModelParams('knn', { k: 1, calibrate: 'isotonic' }), new Rng(1));
    const before = ll(floorProba(raw.predictProba(test.columns, test.n), test.n, 5));
    const after = ll(cal.predictProba(test.columns, test.n));
    expect(after).to.be.below(before / 2);
    expect(after).to.be.below(Math.log(3) + 0.2);
  });

  it('loading refuses tampered calibrators: unknown method, decreasing knots, a class missing, a nested calibrated base', async () => {
    const input = noisy(300, 5);
    const m = await fitModel('logreg', input, resolveModelParams('logreg', { calibrate: 'isotonic' }), new Rng(1));
    const good = viaJson(m.toJSON()) as Record<string, unknown> & { calibrators: Record<string, unknown>[] };
    const bad = (f: (s: typeof good) => void): unknown => {
      const s = JSON.parse(JSON.stringify(good)) as typeof good;
      f(s);
      return s;
    };
    expect(() => loadModel(bad((s) => { (s.calibrators[0] as Record<string, unknown>)['method'] = 'platt'; }), 'm')).to.throw(DataError, /calibrators\[0\]\.method: unknown calibration method/);
    expect(() => loadModel(bad((s) => { (s.calibrators[1] as Record<string, unknown>)['y'] = [0.9, 0.1]; (s.calibrators[1] as Record<string, unknown>)['x'] = [0.1, 0.2]; }), 'm')).to.throw(DataError, /not non-decreasing/);
    expect(() => loadModel(bad((s) => { s.calibrators.pop(); }), 'm')).to.throw(DataError, /calibrators must have 5 entries/);
    expect(() => loadModel(bad((s) => { s['base'] = JSON.parse(JSON.stringify(good)); }), 'm')).to.throw(DataError, /cannot wrap another/);
  });

  it('fitCalibrators on already calibrated probabilities keeps them (sigmoid ≈ identity)', () => {
    const rng = new Rng(11);
    const n = 20000;
    const K = 2;
    const p = new Float64Array(n * K);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const q = 0.05 + 0.9 * rng.next();
      p[i * 2] = 1 - q;
      p[i * 2 + 1] = q;
      y[i] = rng.next() < q ? 1 : 0;
    }
    const cals = fitCalibrators('sigmoid', p, y, K);
    for (const v of [0.1, 0.5, 0.8]) expect(applyCalibrator(cals[1] as Calibrator, v)).to.be.closeTo(v, 0.02);
  });
});

describe('storedModelParams', () => {
  it('a run recorded before calibration existed is refitted uncalibrated; a recorded choice is kept', () => {
    expect(resolveModelParams('rf', storedModelParams({ nTrees: 100, minSamplesLeaf: 1 }))['calibrate']).to.equal('none');
    expect(resolveModelParams('rf', storedModelParams({ calibrate: 'isotonic' }))['calibrate']).to.equal('isotonic');
    // New runs get the kind's measured default.
    expect(resolveModelParams('rf', {})['calibrate']).to.equal('sigmoid');
  });
});
