import { expect } from 'chai';
import { EnsembleModel, fitBlendWeights, fitModel, loadModel, resolveModelParams } from '../../../src/core/models/index.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/util/rng.js';
import { blobs, maxRowSumError, viaJson } from '../../fixtures/models/blobs.js';

describe('fitBlendWeights', () => {
  it('puts all weight on a member that is always right over one that is uniform', () => {
    const y = Uint8Array.from([0, 1, 0, 1, 1, 0]);
    const perfect = Float64Array.from(Array.from(y).flatMap((c) => (c === 0 ? [0.99, 0.01] : [0.01, 0.99])));
    const uniform = new Float64Array(12).fill(0.5);
    const w = fitBlendWeights([uniform, perfect], y, 2);
    expect(w[1]).to.be.above(0.999);
    expect((w[0] as number) + (w[1] as number)).to.be.closeTo(1, 1e-12);
  });

  it('finds the interior optimum of a hand-solvable case: two members wrong on different rows mix 50/50', () => {
    // Row A: member 1 gives the true class 0.9, member 2 gives 0.1; row B the reverse. The blend's
    // true-class probability is 0.1 + 0.8w on A and 0.9 − 0.8w on B; their product peaks at w = 1/2.
    const y = Uint8Array.from([0, 0]);
    const m1 = Float64Array.from([0.9, 0.1, 0.1, 0.9]);
    const m2 = Float64Array.from([0.1, 0.9, 0.9, 0.1]);
    const w = fitBlendWeights([m1, m2], y, 2);
    expect(w[0]).to.be.closeTo(0.5, 1e-5);
    expect(w[1]).to.be.closeTo(0.5, 1e-5);
  });

  it('weights are non-negative and sum to 1 for random members', () => {
    const rng = new Rng(2);
    const n = 200;
    const K = 5;
    const y = Uint8Array.from({ length: n }, () => rng.int(K));
    const member = (): Float64Array => {
      const p = Float64Array.from({ length: n * K }, () => rng.next());
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += p[i * K + k] as number;
        for (let k = 0; k < K; k++) p[i * K + k] = (p[i * K + k] as number) / s;
      }
      return p;
    };
    const w = fitBlendWeights([member(), member(), member(), member()], y, K);
    for (const v of w) expect(v).to.be.at.least(0);
    expect(w.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
  });
});

describe('ens models', () => {
  it('resolves its members and their parameters, and refuses nested, repeated or unknown members', () => {
    const p = resolveModelParams('ens', {});
    expect(p['members']).to.deep.equal(['rf', 'hgb', 'logreg']);
    expect((p['params'] as Record<string, Record<string, unknown>>)['rf']).to.include({ calibrate: 'none' });
    expect(() => resolveModelParams('ens', { members: ['rf', 'ens'] })).to.throw(UsageError, /cannot|can hold/);
    expect(() => resolveModelParams('ens', { members: ['rf', 'rf'] })).to.throw(UsageError, /listed twice/);
    expect(() => resolveModelParams('ens', { members: ['rf'], params: { knn: {} } })).to.throw(UsageError, /not a member/);
    expect(() => resolveModelParams('ens', { members: ['rf'], params: { rf: { bogus: 1 } } })).to.throw(UsageError, /unknown parameter "bogus"/);
  });

  it('fits its weights out of fold: a kNN(k=1) member that memorises the training rows does not take the weight', async () => {
    // In sample, kNN with k = 1 is always right and would get weight 1; out of fold it is wrong
    // about half the time on these noisy blobs, while logreg is calibrated.
    const input = blobs(900, 1, { k: 3, sep: 1.2, nClasses: 5 });
    const params = resolveModelParams('ens', { members: ['knn', 'logreg'], params: { knn: { k: 1 } } });
    const m = (await fitModel('ens', input, params, new Rng(3))) as EnsembleModel;
    expect(m).to.be.instanceOf(EnsembleModel);
    expect(m.weights[0]).to.be.below(0.2);
    expect(m.weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    expect(m.oof.logLoss['ens']).to.be.at.most((m.oof.logLoss['logreg'] as number) + 1e-9);
    // Fitted on the later training rows only (3 inner folds of 4 blocks).
    expect(m.oof.rows).to.equal(900 - 225);
  });

  it('save → load → same probabilities; same seed → byte-identical model; rows sum to 1 and avoid 0/1', async () => {
    const input = blobs(500, 2, { k: 3, sep: 2, nClasses: 5 });
    const params = resolveModelParams('ens', { members: ['rf', 'logreg'], params: { rf: { nTrees: 8, nJobs: 1 } } });
    const m = await fitModel('ens', input, params, new Rng(4));
    const p = m.predictProba(input.columns, input.n);
    expect(maxRowSumError(p, 5)).to.be.below(1e-9);
    for (const v of p) expect(v > 0 && v < 1).to.equal(true);
    const back = loadModel(viaJson(m.toJSON()), 'model.json');
    expect(Array.from(back.predictProba(input.columns, input.n))).to.deep.equal(Array.from(p));
    const again = await fitModel('ens', input, params, new Rng(4));
    expect(JSON.stringify(again.toJSON())).to.equal(JSON.stringify(m.toJSON()));
  });

  it('loading refuses weights that are not a distribution and nested ensembles', async () => {
    const input = blobs(300, 3, { k: 3, sep: 2, nClasses: 5 });
    const m = await fitModel('ens', input, resolveModelParams('ens', { members: ['logreg', 'knn'] }), new Rng(1));
    const s = viaJson(m.toJSON()) as Record<string, unknown>;
    expect(() => loadModel({ ...s, weights: [0.7, 0.7] }, 'm')).to.throw(DataError, /weights: sum to 1.4/);
    expect(() => loadModel({ ...s, weights: [1.5, -0.5] }, 'm')).to.throw(DataError, /weights\[0\]/);
    expect(() => loadModel({ ...s, members: [s, s] }, 'm')).to.throw(DataError, /cannot contain an ensemble/);
  });
});
