import { expect } from 'chai';
import { blockBootstrap, blockStats, macroF1Of } from '../../../src/core/evaluate/index.js';
import { scoreClassifier } from '../../../src/core/evaluate/index.js';
import { Rng } from '../../../src/core/util/rng.js';

function oneHot(pred: Uint8Array, k: number): Float64Array {
  const p = new Float64Array(pred.length * k).fill(0.1 / (k - 1));
  pred.forEach((c, i) => {
    p[i * k + c] = 0.9;
  });
  return p;
}

describe('block bootstrap', () => {
  const rng = new Rng(5);
  const n = 600;
  const k = 5;
  const y = Uint8Array.from({ length: n }, () => rng.int(k));
  const noisy = Uint8Array.from(y, (c) => (rng.next() < 0.5 ? c : rng.int(k)));
  const random = Uint8Array.from({ length: n }, () => rng.int(k));
  const block = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 30));

  it('macroF1Of on summed block confusions equals scoreClassifier on the rows', () => {
    const s = blockStats(block, 20, y, noisy, oneHot(noisy, k), k);
    const total = new Float64Array(k * k);
    for (const c of s.confusion) c.forEach((v, i) => (total[i] = (total[i] as number) + v));
    expect(macroF1Of(total, k)).to.be.closeTo(scoreClassifier(y, oneHot(noisy, k), k).macroF1, 1e-12);
  });

  it('finds a real edge significant and a model against itself exactly zero', () => {
    const good = blockStats(block, 20, y, noisy, oneHot(noisy, k), k);
    const bad = blockStats(block, 20, y, random, oneHot(random, k), k);
    const edge = blockBootstrap(good, bad, k, 'macroF1', 500, new Rng(1));
    expect(edge.lo).to.be.above(0);
    expect(edge.delta).to.be.within(edge.lo, edge.hi);
    expect(edge.pNotBetter).to.equal(0);
    const same = blockBootstrap(good, good, k, 'logLoss', 200, new Rng(1));
    expect([same.delta, same.lo, same.hi]).to.deep.equal([0, 0, 0]);
    expect(same.pNotBetter).to.equal(1);
  });

  it('is reproducible for a seed', () => {
    const good = blockStats(block, 20, y, noisy, oneHot(noisy, k), k);
    const bad = blockStats(block, 20, y, random, oneHot(random, k), k);
    expect(blockBootstrap(good, bad, k, 'macroF1', 100, new Rng(9))).to.deep.equal(blockBootstrap(good, bad, k, 'macroF1', 100, new Rng(9)));
  });
});
