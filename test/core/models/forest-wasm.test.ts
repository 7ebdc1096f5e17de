import { expect } from 'chai';
import { defaultForestParams, fitForest, ForestModel, forestFromJSON, type ForestParams } from '../../../src/core/models/forest.js';
import { ForestWasm, forestProbaJs } from '../../../src/core/models/forest-wasm.js';
import { binRows } from '../../../src/core/models/tree/binning.js';
import { Rng } from '../../../src/core/util/rng.js';
import { firstDiff } from '../../fixtures/models/bits.js';

/**
 * The raw-value walk, independent of binning and of both binned walks: each tree's Tree.accumulate
 * on the float64 columns in tree order, each row divided by its sum.
 */
function rawProba(m: ForestModel, columns: Float64Array[], n: number): Float64Array {
  const C = m.nClasses;
  const acc = new Float64Array(n * C);
  for (const t of m.trees) t.accumulate(columns, n, acc);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < C; k++) s += acc[i * C + k] as number;
    for (let k = 0; k < C; k++) acc[i * C + k] = (acc[i * C + k] as number) / s;
  }
  return acc;
}

/** predictProba (the WebAssembly walk), the kernel called directly and the JavaScript walks agree to the bit. */
function expectSameBits(m: ForestModel, columns: Float64Array[], n: number): void {
  const xb = binRows(columns, n, m.edges);
  const js = forestProbaJs(m.trees, xb, m.nFeatures, n, m.nClasses);
  const kernel = ForestWasm.create(m.trees, m.nFeatures, m.nClasses);
  expect(kernel, 'the forest fits the WebAssembly kernel').to.not.equal(null);
  const direct = new Float64Array(n * m.nClasses);
  (kernel as ForestWasm).predict(xb, n, direct);
  const p = m.predictProba(columns, n);
  const again = m.predictProba(columns, n);
  for (const [name, got] of [['ForestWasm.predict', direct], ['predictProba', p], ['a second predictProba (packed trees reused)', again], ['the raw-value walk', rawProba(m, columns, n)]] as const) {
    const d = firstDiff(got, js);
    expect(d, `${name} differs from forestProbaJs at entry ${d}: ${got[d]} vs ${js[d]}`).to.equal(-1);
  }
}

/**
 * Seeded rows: `nClasses` classes declared, labels drawn only from `present`, the class set by
 * features 0 and 1 (NaN in features 0..2 at rate `nanRate`, which the label also depends on, so the
 * grower sends NaN both ways), plus noise features.
 */
function rowsWithNaN(n: number, F: number, present: readonly number[], nanRate: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: F }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) (columns[f] as Float64Array)[i] = f < 3 && rng.next() < nanRate ? NaN : rng.normal();
    const a = (columns[0] as Float64Array)[i] as number;
    const b = (columns[1] as Float64Array)[i] as number;
    const score = (Number.isNaN(a) ? 1.2 : a) + 0.5 * (Number.isNaN(b) ? -1 : b) + 0.7 * rng.normal();
    const q = Math.min(present.length - 1, Math.max(0, Math.floor((score + 1.5) * (present.length / 3))));
    y[i] = present[q] as number;
  }
  return { columns, y };
}

async function fitOn(kind: 'rf' | 'et', nClasses: number, present: readonly number[], over: Partial<ForestParams>, nTest: number): Promise<{ m: ForestModel; test: Float64Array[] }> {
  const nTrain = 3000;
  const { columns, y } = rowsWithNaN(nTrain + nTest, 7, present, 0.12, 11);
  const train = columns.map((c) => c.slice(0, nTrain));
  const test = columns.map((c) => c.slice(nTrain));
  const params: ForestParams = { ...defaultForestParams(kind), nTrees: 40, nJobs: 1, ...over };
  const m = await fitForest({ columns: train, n: nTrain, y: y.subarray(0, nTrain), nClasses }, params, new Rng(5));
  return { m, test };
}

describe('forest prediction in WebAssembly (forest-wasm)', () => {
  it('matches the JavaScript walks to the bit with NaNs both ways, absent classes and rows over several blocks', async function () {
    this.timeout(120_000);
    for (const kind of ['rf', 'et'] as const) {
      // 5 classes declared, 2 and 4 never seen in training: their probabilities are exactly 0
      const nTest = 9_003; // more than two blocks of 4096 rows, not a multiple of the 8-row groups
      const { m, test } = await fitOn(kind, 5, [0, 1, 3], { minSamplesLeaf: 3 }, nTest);
      let nanLeft = 0;
      let nanRight = 0;
      for (const t of m.trees) for (let i = 0; i < t.nNodes; i++) if ((t.feature[i] as number) >= 0 && (t.feature[i] as number) < 3) (t.nanLeft[i] === 1 ? nanLeft++ : nanRight++);
      expect(nanLeft, `${kind}: splits on a NaN feature sending NaN left`).to.be.greaterThan(0);
      expect(nanRight, `${kind}: splits on a NaN feature sending NaN right`).to.be.greaterThan(0);
      expectSameBits(m, test, nTest);
      const p = m.predictProba(test, nTest);
      for (let i = 0; i < nTest; i++) expect([p[i * 5 + 2], p[i * 5 + 4]]).to.deep.equal([0, 0]);
    }
  });

  it('matches with two classes, with seven, with 300 trees and with trees of a single leaf', async function () {
    this.timeout(120_000);
    expectSameBits(...(await fitOn('rf', 2, [0, 1], {}, 777).then(({ m, test }) => [m, test, 777] as const)));
    expectSameBits(...(await fitOn('et', 7, [0, 2, 3, 5, 6], { nTrees: 300, minSamplesLeaf: 25 }, 1_001).then(({ m, test }) => [m, test, 1_001] as const)));
    // no tree can split: every tree is its root leaf (the training class shares)
    const single = await fitOn('rf', 3, [0, 1, 2], { minSamplesSplit: 100_000, nTrees: 9 }, 13);
    expect(single.m.trees.every((t) => t.nNodes === 1)).to.equal(true);
    expectSameBits(single.m, single.test, 13);
  });

  it('matches on a stored forest with splits on the last bin, infinities and NaN, one-leaf trees between', () => {
    // feature 0 has 254 finite edges (bins 0..254), feature 1 three
    const e0 = Array.from({ length: 254 }, (_, b) => b - 127);
    const leaf = (counts: number[]) => ({ feature: [-1], bin: [0], right: [0], nanLeft: [0], leafCounts: counts });
    const state = {
      kind: 'rf',
      version: 1,
      nClasses: 3,
      nFeatures: 2,
      params: { ...defaultForestParams('rf'), nJobs: 1 },
      edges: [e0, [-1, 0, 1]],
      importances: [0.5, 0.5],
      trees: [
        // f0 at bin 254 (+∞: every number left), NaN left too; else f1 at bin 0, NaN right
        { feature: [0, -1, 1, -1, -1], bin: [254, 0, 0, 0, 0], right: [2, 0, 4, 0, 0], nanLeft: [1, 0, 0, 0, 0], leafCounts: [1, 0, 0, 0, 3, 1, 2, 2, 2] },
        leaf([1, 1, 0]),
        // f0 at bin 254 with NaN right (only NaN reaches f1), then f1 at bin 3 (+∞) with NaN left
        { feature: [0, -1, 1, -1, -1], bin: [254, 0, 3, 0, 0], right: [2, 0, 4, 0, 0], nanLeft: [0, 0, 1, 0, 0], leafCounts: [0, 5, 0, 0, 0, 7, 1, 1, 1] },
        leaf([0, 0, 4]),
        // f0 at bin 0 (x ≤ −127) with NaN left; right: f0 at bin 253, NaN right
        { feature: [0, -1, 0, -1, -1], bin: [0, 0, 253, 0, 0], right: [2, 0, 4, 0, 0], nanLeft: [1, 0, 0, 0, 0], leafCounts: [3, 0, 1, 0, 2, 0, 1, 1, 6] },
        // leaves with tiny shares beside large ones: their float64 sums round, so the order of the
        // trees shows in the last bits (with ordinary shares every partial sum is exact)
        leaf([1, 123_456_789_012, 0]),
        { feature: [1, -1, -1], bin: [1, 0, 0], right: [2, 0, 0], nanLeft: [0, 0, 0], leafCounts: [7, 0, 987_654_321_098, 5, 3, 1] },
        leaf([0, 13, 999_999_937_777]),
      ],
    };
    const m = forestFromJSON(state);
    const x0 = [NaN, -Infinity, -1000, -127, -126.5, 0, 126, 126.5, 127, 1000, Infinity, NaN, 3, -127, NaN, 200, -3];
    const x1 = [NaN, 0, NaN, -2, NaN, 0.5, NaN, 2, Infinity, -Infinity, NaN, 1, NaN, NaN, -1, 7, NaN];
    const n = x0.length;
    expectSameBits(m, [Float64Array.from(x0), Float64Array.from(x1)], n);
  });

  it('falls back to the JavaScript walk for a forest the kernel cannot hold (over 32768 features)', () => {
    const F = 32_769;
    const edges = Array.from({ length: F }, () => [0]);
    const state = {
      kind: 'et',
      version: 1,
      nClasses: 2,
      nFeatures: F,
      params: { ...defaultForestParams('et'), nJobs: 1 },
      edges,
      importances: new Array<number>(F).fill(1 / F),
      // a split on the last feature: x ≤ 0 left, NaN left
      trees: [{ feature: [F - 1, -1, -1], bin: [0, 0, 0], right: [2, 0, 0], nanLeft: [1, 0, 0], leafCounts: [3, 1, 0, 2] }],
    };
    const m = forestFromJSON(state);
    expect(ForestWasm.create(m.trees, F, 2)).to.equal(null);
    const n = 3;
    const columns = Array.from({ length: F }, () => new Float64Array(n));
    (columns[F - 1] as Float64Array).set([-1, 1, NaN]);
    const p = m.predictProba(columns, n);
    expect(Array.from(p)).to.deep.equal([0.75, 0.25, 0, 1, 0.75, 0.25]);
    expect(firstDiff(p, rawProba(m, columns, n))).to.equal(-1);
  });
});
