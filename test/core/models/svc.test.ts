import { expect } from 'chai';
import { pairwiseCoupling, sigmoidPredict, sigmoidTrain } from '../../../src/core/models/optim/platt.js';
import { solveSmo } from '../../../src/core/models/optim/smo.js';
import { defaultSvcParams, fitSvc, SvcModel } from '../../../src/core/models/svc.js';
import { Rng } from '../../../src/core/util/rng.js';
import { accuracy, blobs, maxRowSumError, slice, viaJson } from '../../fixtures/models/blobs.js';

describe('solveSmo', () => {
  it('solves the two-point dual in closed form', () => {
    // Points ±1 with labels ±1 and K₁₂ = k: the dual max 2α − ½α²(2 − 2k) gives α = 1/(1 − k) when
    // below C, and ρ = 0 by symmetry.
    const k = Math.exp(-1);
    const K = Float32Array.from([1, k, k, 1]);
    const sol = solveSmo({ K, m: 2, idx: Int32Array.from([0, 1]), y: Int8Array.from([1, -1]), cPos: 10, cNeg: 10, eps: 1e-9, maxIter: 1000 });
    expect(sol.alpha[0]).to.be.closeTo(1 / (1 - k), 1e-6);
    expect(sol.alpha[1]).to.be.closeTo(1 / (1 - k), 1e-6);
    expect(sol.rho).to.be.closeTo(0, 1e-9);
    const capped = solveSmo({ K, m: 2, idx: Int32Array.from([0, 1]), y: Int8Array.from([1, -1]), cPos: 1, cNeg: 1, eps: 1e-9, maxIter: 1000 });
    expect(Array.from(capped.alpha)).to.deep.equal([1, 1]); // 1/(1 − e⁻¹) ≈ 1.58 > C = 1
  });
});

describe('Platt scaling and pairwise coupling', () => {
  it('pairwiseCoupling recovers p from consistent pairwise probabilities rᵢⱼ = pᵢ / (pᵢ + pⱼ)', () => {
    const truth = [0.5, 0.3, 0.15, 0.05];
    const k = 4;
    const r = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) r[i * k + j] = truth[i]! / (truth[i]! + truth[j]!);
    const p = new Float64Array(k);
    pairwiseCoupling(r, k, p, new Float64Array(k * k), new Float64Array(k));
    // the iteration stops at max error 0.005/k, so agreement is to about 1e-3
    for (let i = 0; i < k; i++) expect(p[i]).to.be.closeTo(truth[i]!, 2e-3);
  });

  it('sigmoidTrain maps larger decision values to higher P(positive)', () => {
    const dec = Float64Array.from([-3, -2, -1.5, -1, -0.2, 0.3, 1, 1.2, 2, 3]);
    const pos = Uint8Array.from([0, 0, 0, 1, 0, 1, 0, 1, 1, 1]);
    const { A, B } = sigmoidTrain(dec, pos);
    expect(A).to.be.below(0);
    expect(sigmoidPredict(3, A, B)).to.be.above(0.8);
    expect(sigmoidPredict(-3, A, B)).to.be.below(0.2);
  });
});

/**
 * libsvm's sigmoid_train as written in "A note on Platt's probabilistic outputs" (Newton's method with
 * backtracking, every exp taken where it is used): the oracle for sigmoidTrain's reuse of the
 * accepted point's exps.
 */
function plainSigmoidTrain(dec: Float64Array, positive: Uint8Array): { A: number; B: number } {
  const l = dec.length;
  let prior1 = 0;
  for (let i = 0; i < l; i++) if (positive[i]) prior1++;
  const prior0 = l - prior1;
  const t = Float64Array.from(positive, (v) => (v ? (prior1 + 1) / (prior1 + 2) : 1 / (prior0 + 2)));
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i]! * a + b;
      f += z >= 0 ? t[i]! * z + Math.log1p(Math.exp(-z)) : (t[i]! - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let fval = objective(A, B);
  for (let it = 0; it < 100; it++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i]! * A + B;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const d2 = p * q;
      h11 += dec[i]! * dec[i]! * d2;
      h22 += d2;
      h21 += dec[i]! * d2;
      const d1 = t[i]! - p;
      g1 += dec[i]! * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nf = objective(A + step * dA, B + step * dB);
      if (nf < fval + 1e-4 * step * gd) {
        A += step * dA;
        B += step * dB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

describe('sigmoidTrain', () => {
  it('gives the A and B of the plain algorithm to the bit: separable, noisy, one-sided and tiny problems', () => {
    const rng = new Rng(31);
    let problems = 0;
    for (const [n, noise, scale] of [[2000, 0.3, 1], [500, 0, 4], [3000, 0.45, 0.2], [40, 0.1, 30], [7, 0.5, 1]] as const) {
      for (let rep = 0; rep < 3; rep++) {
        const dec = new Float64Array(n);
        const pos = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          pos[i] = rng.next() < 0.3 ? 1 : 0;
          const signal = pos[i] ? 1 : -1;
          dec[i] = scale * ((rng.next() < noise ? -signal : signal) + rng.normal() * 0.7);
        }
        const got = sigmoidTrain(dec, pos);
        const want = plainSigmoidTrain(dec, pos);
        expect(Object.is(got.A, want.A) && Object.is(got.B, want.B), `n ${n}, noise ${noise}, scale ${scale}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`).to.equal(true);
        problems++;
      }
    }
    expect(problems).to.equal(15);
  });
});

describe('fitSvc', () => {
  it('learns separable blobs on features of very different scales well above chance', () => {
    const data = blobs(400, 31);
    const m = fitSvc(slice(data, 0, 300), defaultSvcParams(), new Rng(1));
    const test = slice(data, 300, 400);
    const p = m.predictProba(test.columns, 100);
    expect(accuracy(p, test.y, 5)).to.be.above(0.9);
    expect(maxRowSumError(p, 5)).to.be.below(1e-9);
    for (let i = 0; i < 100; i++) expect(p[i * 5 + 3]).to.equal(0); // class 3 never seen
  });

  it('trains on the most recent maxTrainRows rows only', () => {
    // The first 200 rows have their labels rotated; only the last 100 carry the true mapping.
    const data = blobs(300, 8, { k: 2, d: 2 });
    const y = data.y.slice();
    for (let i = 0; i < 200; i++) y[i] = 1 - y[i]!;
    const input = { ...data, y };
    const recent = fitSvc(input, { ...defaultSvcParams(), maxTrainRows: 100 }, new Rng(1));
    const p = recent.predictProba(data.columns, 300);
    expect(accuracy(p, data.y, 5)).to.be.above(0.9);
    expect(recent.nSupport).to.be.at.most(100);
    const all = fitSvc(input, { ...defaultSvcParams(), maxTrainRows: null }, new Rng(1));
    expect(accuracy(all.predictProba(data.columns, 300), data.y, 5)).to.be.below(0.5);
  });

  it('is deterministic for a seed and round-trips through JSON to identical probabilities', () => {
    const data = blobs(120, 6);
    const a = fitSvc(data, defaultSvcParams(), new Rng(3));
    const b = fitSvc(data, defaultSvcParams(), new Rng(3));
    expect(JSON.stringify(a.toJSON())).to.equal(JSON.stringify(b.toJSON()));
    const back = SvcModel.fromJSON(viaJson(a.toJSON()));
    expect(Array.from(back.predictProba(data.columns, 120))).to.deep.equal(Array.from(a.predictProba(data.columns, 120)));
  });

  it('rejects corrupted state naming the field', () => {
    const good = viaJson(fitSvc(blobs(60, 2), defaultSvcParams(), new Rng(1)).toJSON()) as Record<string, unknown>;
    const pairs = good['pairs'] as Record<string, unknown>[];
    expect(() => SvcModel.fromJSON({ ...good, pairs: pairs.slice(1) })).to.throw(/model\.pairs must have 3 entries/);
    const badSv = pairs.map((q, i) => (i === 1 ? { ...q, sv: [99999], coef: [1] } : q));
    expect(() => SvcModel.fromJSON({ ...good, pairs: badSv })).to.throw(/model\.pairs\[1\]\.sv\[0\]/);
    const badCoef = pairs.map((q, i) => (i === 0 ? { ...q, coef: [] } : q));
    expect(() => SvcModel.fromJSON({ ...good, pairs: badCoef })).to.throw(/model\.pairs\[0\]\.coef/);
    expect(() => SvcModel.fromJSON({ ...good, svX: [1, 2] })).to.throw(/model\.svX/);
    expect(() => SvcModel.fromJSON({ ...good, gamma: -1 })).to.throw(/model\.gamma/);
    expect(() => SvcModel.fromJSON({ ...good, version: 9 })).to.throw(/model\.version 9/);
  });
});
