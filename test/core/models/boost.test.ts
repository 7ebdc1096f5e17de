import { expect } from 'chai';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { BoostModel, boostFromJSON, defaultBoostParams, fitBoost, readBoostParams, type BoostParams } from '../../../src/core/models/boost.js';
import type { RegTree } from '../../../src/core/models/boost/reg-tree.js';
import { Rng } from '../../../src/core/util/rng.js';
import { accuracy, circle, logLossOf, rows } from './boost/synth.js';

const N_TRAIN = 1500;
const N_TEST = 500;

function data(noise = 0, seed = 11): { train: Float64Array[]; test: Float64Array[]; y: Uint8Array; yTest: Uint8Array } {
  const { columns, y } = circle(N_TRAIN + N_TEST, 4, seed, noise);
  return { train: rows(columns, 0, N_TRAIN), test: rows(columns, N_TRAIN, N_TRAIN + N_TEST), y: y.slice(0, N_TRAIN), yTest: y.slice(N_TRAIN) };
}

function params(kind: 'gb' | 'hgb', over: Partial<BoostParams> = {}): BoostParams {
  return { ...defaultBoostParams(kind), maxIter: 40, ...over };
}

function fit(kind: 'gb' | 'hgb', over: Partial<BoostParams> = {}, d = data(), nClasses = 3): BoostModel {
  return fitBoost({ columns: d.train, n: N_TRAIN, y: d.y, nClasses }, params(kind, over), new Rng(42));
}

function depth(t: RegTree): number {
  const d = new Int32Array(t.nNodes);
  let max = 0;
  for (let i = 0; i < t.nNodes; i++) {
    if ((t.feature[i] as number) < 0) continue;
    for (const c of [t.left[i] as number, t.right[i] as number]) {
      d[c] = (d[i] as number) + 1;
      max = Math.max(max, d[c] as number);
    }
  }
  return max;
}

/** A state to corrupt: plain JSON, as read from model.json. */
function state(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(fit('hgb', { maxIter: 3 }).toJSON())) as Record<string, unknown>;
}

function tree0(s: Record<string, unknown>): Record<string, unknown> {
  return (s['trees'] as Record<string, unknown>[])[0] as Record<string, unknown>;
}

describe('gradient boosting (gb / hgb)', () => {
  it('defaultBoostParams follows scikit-learn: hgb = HistGradientBoosting, gb = GradientBoosting shapes', () => {
    expect(defaultBoostParams('hgb')).to.deep.equal({
      kind: 'hgb', maxIter: 100, learningRate: 0.1, maxDepth: null, maxLeafNodes: 31, minSamplesLeaf: 20, minHessianLeaf: 1e-3,
      l2: 0, maxBins: 255, earlyStopping: 'auto', validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, refit: false,
    });
    expect(defaultBoostParams('gb')).to.include({ kind: 'gb', maxIter: 100, learningRate: 0.1, maxDepth: 3, maxLeafNodes: null, minSamplesLeaf: 1, earlyStopping: false });
  });

  it('readBoostParams fills defaults and rejects bad values and unknown keys with UsageError', () => {
    expect(readBoostParams({ maxIter: 5 }, 'gb')).to.deep.equal({ ...defaultBoostParams('gb'), maxIter: 5 });
    expect(readBoostParams(undefined, 'hgb')).to.deep.equal(defaultBoostParams('hgb'));
    const bad: Record<string, unknown>[] = [
      { maxIter: 0 }, { learningRate: -0.1 }, { maxDepth: 0 }, { maxLeafNodes: 1 }, { minSamplesLeaf: 1.5 }, { l2: -1 },
      { maxBins: 256 }, { earlyStopping: 'yes' }, { validationFraction: 1 }, { nIterNoChange: 0 }, { tol: Number.NaN }, { refit: 'yes' }, { refit: 1 }, { maxIters: 3 }, { kind: 'gb' },
    ];
    for (const b of bad) expect(() => readBoostParams(b, 'hgb'), JSON.stringify(b)).to.throw(UsageError);
    expect(() => readBoostParams({ maxLeafNodes: 1 }, 'hgb')).to.throw(/maxLeafNodes/);
  });

  for (const kind of ['gb', 'hgb'] as const) {
    it(`${kind} learns a nonlinear problem well above chance and above a majority guess`, () => {
      const d = data();
      const m = fit(kind, {}, d);
      const acc = accuracy(m.predictProba(d.test, N_TEST), d.yTest, N_TEST, 3);
      // majority class share on the test rows (≈ 0.39 by construction)
      const counts = [0, 0, 0];
      for (const c of d.yTest) counts[c] = (counts[c] as number) + 1;
      const majority = Math.max(...counts) / N_TEST;
      expect(majority).to.be.below(0.45);
      expect(acc).to.be.above(0.85);
      expect(acc).to.be.above(majority + 0.35);
    });
  }

  it('log-loss on the training rows decreases with rounds', () => {
    const d = data();
    const m = fit('hgb', { maxIter: 60 }, d);
    expect(m.nIter).to.equal(60);
    const losses = [0, 1, 5, 20, 60].map((r) => logLossOf(m.predictProbaAt(d.train, N_TRAIN, r), d.y, N_TRAIN, 3));
    for (let i = 1; i < losses.length; i++) expect(losses[i] as number).to.be.below(losses[i - 1] as number);
    // round 0 is the prior: its log-loss is the entropy of the training class shares
    const counts = [0, 0, 0];
    for (const c of d.y) counts[c] = (counts[c] as number) + 1;
    const entropy = -counts.reduce((s, c) => s + (c / N_TRAIN) * Math.log(c / N_TRAIN), 0);
    expect(losses[0]).to.be.closeTo(entropy, 1e-12);
  });

  it('gb grows depth-3 trees and hgb at most 31 leaves per tree, one tree per class per round', () => {
    const gb = fit('gb', { maxIter: 5 });
    expect(gb.trees).to.have.length(15);
    expect(Math.max(...gb.trees.map(depth))).to.equal(3);
    const hgb = fit('hgb', { maxIter: 5, minSamplesLeaf: 5 });
    const leaves = hgb.trees.map((t) => Array.from(t.feature).filter((f) => f < 0).length);
    expect(Math.max(...leaves)).to.equal(31);
  });

  it('same input gives a byte-identical toJSON', () => {
    const a = JSON.stringify(fit('hgb', { maxIter: 10 }).toJSON());
    const b = JSON.stringify(fit('hgb', { maxIter: 10 }).toJSON());
    expect(a).to.equal(b);
  });

  it('save → load → identical predictProba, and rows sum to 1', () => {
    const d = data();
    const m = fit('hgb', { maxIter: 15 }, d);
    const back = BoostModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    const p = m.predictProba(d.test, N_TEST);
    expect(Array.from(back.predictProba(d.test, N_TEST))).to.deep.equal(Array.from(p));
    expect(JSON.stringify(back.toJSON())).to.equal(JSON.stringify(m.toJSON()));
    for (let i = 0; i < N_TEST; i++) expect((p[3 * i] as number) + (p[3 * i + 1] as number) + (p[3 * i + 2] as number)).to.be.closeTo(1, 1e-12);
  });

  it('classes absent from training get probability 0 and the rest still sum to 1', () => {
    const m = fit('gb', { maxIter: 5 }, data(), 5);
    const p = m.predictProba(data().test, N_TEST);
    expect(Array.from(m.classes)).to.deep.equal([0, 1, 2]);
    for (let i = 0; i < N_TEST; i++) {
      expect(p[5 * i + 3]).to.equal(0);
      expect(p[5 * i + 4]).to.equal(0);
      expect((p[5 * i] as number) + (p[5 * i + 1] as number) + (p[5 * i + 2] as number)).to.be.closeTo(1, 1e-12);
    }
  });

  it('a single training class is predicted with probability 1', () => {
    const d = data();
    const m = fitBoost({ columns: d.train, n: N_TRAIN, y: new Uint8Array(N_TRAIN).fill(4), nClasses: 5 }, params('hgb'), new Rng(1));
    expect(m.nIter).to.equal(0);
    const p = m.predictProba(d.test, 2);
    expect(Array.from(p)).to.deep.equal([0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('learns from missing values: NaN in a feature that marks a class', () => {
    const d = data();
    const train = d.train.map((c) => c.slice());
    const y = d.y.slice();
    // every 5th row: feature 3 missing and the class forced to 2
    for (let i = 0; i < N_TRAIN; i += 5) {
      (train[3] as Float64Array)[i] = NaN;
      y[i] = 2;
    }
    const m = fitBoost({ columns: train, n: N_TRAIN, y, nClasses: 3 }, params('hgb'), new Rng(1));
    const test = d.test.map((c) => c.slice());
    (test[3] as Float64Array).fill(NaN);
    const p = m.predictProba(test, N_TEST);
    let twos = 0;
    for (let i = 0; i < N_TEST; i++) if ((p[3 * i + 2] as number) > 0.5) twos++;
    expect(twos / N_TEST).to.be.above(0.9);
  });

  it('early stopping triggers, keeps the best round, and stops nIterNoChange rounds after it', () => {
    // noisy labels and a large learning rate overfit quickly, so validation loss turns up
    const d = data(0.3);
    const m = fit('hgb', { earlyStopping: true, maxIter: 300, learningRate: 0.5, minSamplesLeaf: 2, nIterNoChange: 5 }, d);
    const vl = m.validationLoss as readonly number[];
    expect(vl).to.not.equal(null);
    const rounds = vl.length - 1;
    expect(rounds).to.be.below(300);
    let best = 0;
    for (let r = 1; r <= rounds; r++) if ((vl[r] as number) < (vl[best] as number) - 1e-7) best = r;
    expect(m.nIter).to.equal(best);
    expect(rounds - best).to.equal(5);
    expect(m.trees).to.have.length(3 * best);
  });

  it("earlyStopping 'auto' is off up to 10,000 rows and on above (scikit-learn's rule)", () => {
    expect(fit('hgb', { maxIter: 3 }).validationLoss).to.equal(null);
    const big = circle(10_001, 2, 3);
    const m = fitBoost({ columns: big.columns, n: 10_001, y: big.y, nClasses: 3 }, params('hgb', { maxIter: 2 }), new Rng(1));
    expect(m.validationLoss).to.have.length(3);
  });

  it('the validation tail is the LAST rows: training on the head alone gives the same trees', () => {
    const d = data(0.2);
    const over = { earlyStopping: true, maxIter: 200, learningRate: 0.5, nIterNoChange: 3 } as const;
    const m = fit('hgb', over, d);
    const nVal = Math.ceil(0.1 * N_TRAIN);
    const nHead = N_TRAIN - nVal;
    const head = fitBoost({ columns: d.train.map((c) => c.subarray(0, nHead)), n: nHead, y: d.y.subarray(0, nHead), nClasses: 3 }, params('hgb', { maxIter: m.nIter, learningRate: 0.5, earlyStopping: false }), new Rng(1));
    expect(m.nIter).to.be.above(0);
    expect(JSON.stringify(head.toJSON()['trees'])).to.equal(JSON.stringify(m.toJSON()['trees']));
    expect(head.toJSON()['edges']).to.deep.equal(m.toJSON()['edges']);
  });

  it('changing tail labels changes only when to stop; changing an earlier label changes the trees', () => {
    const d = data(0.2);
    const over = { earlyStopping: true, maxIter: 200, learningRate: 0.5, nIterNoChange: 3 } as const;
    const base = fit('hgb', over, d);
    const nHead = N_TRAIN - Math.ceil(0.1 * N_TRAIN);
    const tail = { ...d, y: d.y.slice() };
    for (let i = nHead; i < N_TRAIN; i += 4) tail.y[i] = ((tail.y[i] as number) + 1) % 3;
    const t = fit('hgb', over, tail);
    const k = Math.min(base.nIter, t.nIter) * 3;
    expect(k).to.be.above(0);
    expect(t.validationLoss).to.not.deep.equal(base.validationLoss);
    expect(JSON.stringify(t.trees.slice(0, k))).to.equal(JSON.stringify(base.trees.slice(0, k)));
    const early = { ...d, y: d.y.slice() };
    for (let i = 0; i < 50; i++) early.y[i] = ((early.y[i] as number) + 1) % 3;
    const e = fit('hgb', over, early);
    expect(JSON.stringify(e.trees[0])).to.not.equal(JSON.stringify(base.trees[0]));
  });

  it('refit: the tail picks the round count, then the model is a fit on ALL rows for that many rounds', () => {
    const d = data(0.2);
    const over = { earlyStopping: true, maxIter: 200, learningRate: 0.5, nIterNoChange: 3 } as const;
    const stopped = fit('hgb', over, d);
    const refit = fit('hgb', { ...over, refit: true }, d);
    expect(stopped.nIter).to.be.above(0);
    expect(refit.nIter).to.equal(stopped.nIter);
    // the validation curve is the first fit's: the same rows chose the same round
    expect(refit.validationLoss).to.deep.equal(stopped.validationLoss);
    // …and the model itself is a plain fit on every row (tail included) for that round count
    const all = fit('hgb', { maxIter: stopped.nIter, learningRate: 0.5, earlyStopping: false }, d);
    expect(JSON.stringify(refit.trees)).to.equal(JSON.stringify(all.trees));
    expect(refit.toJSON()['edges']).to.deep.equal(all.toJSON()['edges']);
    expect(Array.from(refit.init)).to.deep.equal(Array.from(all.init));
    expect(JSON.stringify(refit.trees)).to.not.equal(JSON.stringify(stopped.trees));
    // so a label in the tail now moves the trees (without refit it only moves the stopping round)
    const nHead = N_TRAIN - Math.ceil(0.1 * N_TRAIN);
    const tail = { ...d, y: d.y.slice() };
    for (let i = nHead; i < N_TRAIN; i += 4) tail.y[i] = ((tail.y[i] as number) + 1) % 3;
    const t = fit('hgb', { ...over, refit: true, maxIter: 2, nIterNoChange: 5 }, tail);
    const b = fit('hgb', { ...over, refit: true, maxIter: 2, nIterNoChange: 5 }, d);
    expect(Math.min(t.nIter, b.nIter)).to.be.above(0);
    expect(JSON.stringify(t.trees[0])).to.not.equal(JSON.stringify(b.trees[0]));
  });

  it('refit: a class seen only in the validation tail gets a score; save → load keeps refit and the predictions', () => {
    const d = data(0.2);
    const y = d.y.slice();
    const nHead = N_TRAIN - Math.ceil(0.1 * N_TRAIN);
    for (let i = nHead; i < N_TRAIN; i += 3) y[i] = 3;
    const over = { earlyStopping: true, maxIter: 50, learningRate: 0.5, nIterNoChange: 3 } as const;
    const plain = fit('hgb', over, { ...d, y }, 4);
    const refit = fit('hgb', { ...over, refit: true }, { ...d, y }, 4);
    expect(Array.from(plain.classes)).to.deep.equal([0, 1, 2]);
    expect(Array.from(refit.classes)).to.deep.equal([0, 1, 2, 3]);
    const back = BoostModel.fromJSON(JSON.parse(JSON.stringify(refit.toJSON())));
    expect(back.params.refit).to.equal(true);
    expect(Array.from(back.predictProba(d.test, N_TEST))).to.deep.equal(Array.from(refit.predictProba(d.test, N_TEST)));
  });

  it('refit changes nothing without early stopping', () => {
    const a = fit('hgb', { maxIter: 8, earlyStopping: false, refit: true });
    const b = fit('hgb', { maxIter: 8, earlyStopping: false });
    expect(JSON.stringify(a.trees)).to.equal(JSON.stringify(b.trees));
    expect(a.validationLoss).to.equal(null);
  });

  it('predictProba rejects a different number of feature columns with DataError', () => {
    const m = fit('gb', { maxIter: 2 });
    expect(() => m.predictProba(data().test.slice(0, 3), N_TEST)).to.throw(DataError, /4 feature columns/);
  });

  it('fitBoost rejects labels outside the class range and empty input with DataError', () => {
    const d = data();
    expect(() => fitBoost({ columns: d.train, n: N_TRAIN, y: d.y, nClasses: 2 }, params('gb'), new Rng(1))).to.throw(DataError, /label 2/);
    expect(() => fitBoost({ columns: d.train, n: 0, y: d.y, nClasses: 3 }, params('gb'), new Rng(1))).to.throw(DataError);
  });

  describe('fromJSON rejects corrupted state with DataError naming the field', () => {
    const cases: [string, (s: Record<string, unknown>) => void, RegExp][] = [
      ['version', (s) => (s['version'] = 2), /version 2/],
      ['kind', (s) => (s['kind'] = 'rf'), /kind/],
      ['edges not increasing', (s) => ((s['edges'] as number[][])[0] = [1, 0]), /edges\[0\]/],
      ['classes out of range', (s) => (s['classes'] = [0, 1, 7]), /classes\[2\]/],
      ['init length', (s) => (s['init'] = [0, 0]), /init/],
      ['trees count vs nIter', (s) => (s['nIter'] = 4), /trees/],
      ['child index out of range', (s) => ((tree0(s)['right'] as number[])[0] = 9999), /right\[0\]/],
      ['cycle (child before parent)', (s) => ((tree0(s)['left'] as number[])[0] = 0), /left\[0\]/],
      ['shared child', (s) => { const t = tree0(s); (t['right'] as number[])[0] = (t['left'] as number[])[0] as number; }, /already has a parent/],
      ['bin length', (s) => (tree0(s)['bin'] as number[]).pop(), /bin/],
      ['bin out of range', (s) => ((tree0(s)['bin'] as number[])[0] = 300), /bin\[0\]/],
      ['non-finite leaf value', (s) => ((tree0(s)['value'] as unknown[])[0] = null), /value\[0\]/],
      ['leaf value count', (s) => (tree0(s)['value'] as unknown[]).push(0.1), /value/],
      ['nanLeft string', (s) => (tree0(s)['nanLeft'] = 'x'), /nanLeft/],
      ['params', (s) => ((s['params'] as Record<string, unknown>)['learningRate'] = -1), /learningRate/],
      ['validationLoss', (s) => (s['validationLoss'] = ['a']), /validationLoss/],
    ];
    for (const [name, corrupt, re] of cases) {
      it(name, () => {
        const s = state();
        expect(() => boostFromJSON(s)).to.not.throw();
        corrupt(s);
        expect(() => boostFromJSON(s)).to.throw(DataError, re);
      });
    }
  });
});
