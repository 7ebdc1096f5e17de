import { expect } from 'chai';
import { addScoresJs, type BoostModel, defaultBoostParams, fitBoost, type BoostParams } from '../../../../src/core/models/boost.js';
import { BoostWasm } from '../../../../src/core/models/boost/predict-wasm.js';
import { expandProba, softmaxInPlace } from '../../../../src/core/models/optim/classes.js';
import { binRows } from '../../../../src/core/models/tree/binning.js';
import { Rng } from '../../../../src/core/util/rng.js';
import { firstDiff } from '../../../fixtures/models/bits.js';

/** Raw scores after `rounds` rounds by the raw-value walk (RegTree.addRaw on float64 columns, no binning). */
function rawScores(m: BoostModel, columns: Float64Array[], n: number, rounds: number): Float64Array {
  const K = m.classes.length;
  const raw = new Float64Array(n * K);
  for (let i = 0; i < n; i++) raw.set(m.init, i * K);
  for (let t = 0; t < rounds * K; t++) m.trees[t]?.addRaw(columns, n, raw, K, t % K);
  return raw;
}

function probaFrom(m: BoostModel, raw: Float64Array, n: number): Float64Array {
  const K = m.classes.length;
  for (let i = 0; i < n; i++) softmaxInPlace(raw, i * K, K);
  return expandProba(raw, n, m.classes, m.nClasses);
}

/**
 * Seeded rows: `nClasses` classes declared, labels only from `present`, decided by features 0 and 1
 * with NaN in features 0..2 (the label depends on NaN, so splits send it both ways), plus noise.
 */
function rowsWithNaN(n: number, F: number, present: readonly number[], seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: F }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) (columns[f] as Float64Array)[i] = f < 3 && rng.next() < 0.12 ? NaN : rng.normal();
    const a = (columns[0] as Float64Array)[i] as number;
    const b = (columns[1] as Float64Array)[i] as number;
    const score = (Number.isNaN(a) ? 1.2 : a) + 0.5 * (Number.isNaN(b) ? -1 : b) + 0.7 * rng.normal();
    y[i] = present[Math.min(present.length - 1, Math.max(0, Math.floor((score + 1.5) * (present.length / 3))))] as number;
  }
  return { columns, y };
}

async function fitOn(kind: 'hgb' | 'gb', nClasses: number, present: readonly number[], over: Partial<BoostParams>, nTest: number): Promise<{ m: BoostModel; test: Float64Array[] }> {
  const nTrain = 3000;
  const { columns, y } = rowsWithNaN(nTrain + nTest, 6, present, 3);
  const params: BoostParams = { ...defaultBoostParams(kind), maxIter: 30, earlyStopping: false, ...over };
  const m = fitBoost({ columns: columns.map((c) => c.slice(0, nTrain)), n: nTrain, y: y.subarray(0, nTrain), nClasses }, params, new Rng(1));
  return { m, test: columns.map((c) => c.slice(nTrain)) };
}

/** For several round counts: predictProbaAt (the WebAssembly walk) and the kernel's raw scores equal the JavaScript walks to the bit. */
function expectSameBits(m: BoostModel, test: Float64Array[], n: number): void {
  const K = m.classes.length;
  const xb = binRows(test, n, m.edges);
  const kernel = BoostWasm.create(m.trees, m.nFeatures, K);
  expect(kernel, 'the trees fit the WebAssembly kernel').to.not.equal(null);
  for (const rounds of [0, 1, 2, Math.floor(m.nIter / 2), m.nIter]) {
    const js = rawScores(m, test, n, 0);
    addScoresJs(m.trees, xb, m.nFeatures, n, js, K, rounds * K);
    const direct = rawScores(m, test, n, 0);
    (kernel as BoostWasm).addScores(xb, n, direct, rounds * K);
    const byValues = rawScores(m, test, n, rounds);
    for (const [name, got] of [['BoostWasm.addScores', direct], ['the raw-value walk', byValues]] as const) {
      const d = firstDiff(got, js);
      expect(d, `rounds ${rounds}: ${name} differs from addScoresJs at entry ${d}: ${got[d]} vs ${js[d]}`).to.equal(-1);
    }
    const want = probaFrom(m, js, n);
    const p = m.predictProbaAt(test, n, rounds);
    const d = firstDiff(p, want);
    expect(d, `rounds ${rounds}: predictProbaAt differs at entry ${d}: ${p[d]} vs ${want[d]}`).to.equal(-1);
  }
}

describe('boosting prediction in WebAssembly (boost/predict-wasm)', () => {
  it('hgb: raw scores and probabilities equal the JavaScript walks to the bit for every round count, NaNs both ways, absent classes, several blocks', async function () {
    this.timeout(120_000);
    const nTest = 9_003;
    const { m, test } = await fitOn('hgb', 5, [0, 1, 3], {}, nTest);
    expect(m.classes.length).to.equal(3);
    let nanLeft = 0;
    let nanRight = 0;
    for (const t of m.trees) for (let i = 0; i < t.nNodes; i++) if ((t.feature[i] as number) >= 0 && (t.feature[i] as number) < 3) (t.nanLeft[i] === 1 ? nanLeft++ : nanRight++);
    expect(nanLeft, 'splits on a NaN feature sending NaN left').to.be.greaterThan(0);
    expect(nanRight, 'splits on a NaN feature sending NaN right').to.be.greaterThan(0);
    expectSameBits(m, test, nTest);
  });

  it('gb (depth 3) with two classes, and hgb whose trees are single leaves, equal the JavaScript walks', async function () {
    this.timeout(120_000);
    const gb = await fitOn('gb', 2, [0, 1], {}, 1_001);
    expectSameBits(gb.m, gb.test, 1_001);
    // leaves need 10,000 rows: no tree can split, each is its root's score
    const stumps = await fitOn('hgb', 4, [0, 1, 2, 3], { minSamplesLeaf: 10_000, maxIter: 5 }, 77);
    expect(stumps.m.trees.every((t) => t.nNodes === 1)).to.equal(true);
    expectSameBits(stumps.m, stumps.test, 77);
  });
});
