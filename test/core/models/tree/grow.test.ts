import { expect } from 'chai';
import { binColumns, fitBinner } from '../../../../src/core/models/tree/binning.js';
import { type BinnedData, type GrownTree, growTree, type GrowOptions } from '../../../../src/core/models/tree/grow.js';
import { Rng } from '../../../../src/core/util/rng.js';
import { separable } from './synth.js';

function binned(n: number, nFeatures: number, maxBins = 255): BinnedData {
  const { columns, y } = separable(n, nFeatures, 11, 0.3);
  const binner = fitBinner(columns, n, maxBins);
  return { bins: binColumns(columns, n, binner), nBins: binner.edges.map((e) => e.length), n, y, nClasses: 3 };
}

const base: GrowOptions = { maxDepth: null, minSamplesLeaf: 1, minSamplesSplit: 2, mtry: 5, splitter: 'best' };

function bootstrapWeights(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.int(n);
    w[r] = (w[r] as number) + 1;
  }
  return w;
}

function same(a: GrownTree, b: GrownTree): void {
  expect(Array.from(a.feature)).to.deep.equal(Array.from(b.feature));
  expect(Array.from(a.bin)).to.deep.equal(Array.from(b.bin));
  expect(Array.from(a.right)).to.deep.equal(Array.from(b.right));
  expect(Array.from(a.nanLeft)).to.deep.equal(Array.from(b.nanLeft));
  expect(Array.from(a.leafCounts)).to.deep.equal(Array.from(b.leafCounts));
}

/** Depth of every leaf, from the preorder layout (left child = i + 1). */
function leafDepths(t: GrownTree): number[] {
  const out: number[] = [];
  const walk = (i: number, d: number): void => {
    if ((t.feature[i] as number) < 0) out.push(d);
    else {
      walk(i + 1, d + 1);
      walk(t.right[i] as number, d + 1);
    }
  };
  walk(0, 0);
  return out;
}

describe('growTree', () => {
  it('histogram subtraction gives the same tree as building every node histogram directly', () => {
    const d = binned(3000, 5);
    const w = bootstrapWeights(d.n, 1);
    // small thresholds so most nodes take the histogram path and get their histogram by subtraction
    const opts = { ...base, sortBelow: 64, subtractAbove: 64 };
    const sub = growTree(d, w, { ...opts, subtract: true }, new Rng(9));
    const direct = growTree(d, w, { ...opts, subtract: false }, new Rng(9));
    expect(sub.feature.length).to.be.greaterThan(500);
    same(sub, direct);
  });

  it('the sort path for small nodes gives the same tree as histograms everywhere', () => {
    const d = binned(2000, 5);
    const w = bootstrapWeights(d.n, 2);
    const opts = { ...base, mtry: 2, subtract: false };
    const hist = growTree(d, w, { ...opts, sortBelow: 0 }, new Rng(4));
    expect(hist.feature.length).to.be.greaterThan(500);
    same(hist, growTree(d, w, { ...opts, sortBelow: 65536 }, new Rng(4)));
  });

  it('ExtraTrees: the one-pass histogram split of large nodes gives the same tree as two passes over the rows, NaN included', () => {
    const n = 3000;
    const { columns, y } = separable(n, 6, 12, 0.3);
    // NaN in two features so that the NaN side is drawn and summed
    for (let i = 0; i < n; i += 7) (columns[1] as Float64Array)[i] = NaN;
    for (let i = 0; i < n; i += 3) (columns[4] as Float64Array)[i] = NaN;
    const binner = fitBinner(columns, n, 255);
    const d: BinnedData = { bins: binColumns(columns, n, binner), nBins: binner.edges.map((e) => e.length), n, y, nClasses: 3 };
    const w = bootstrapWeights(n, 6);
    const opts: GrowOptions = { ...base, splitter: 'random', mtry: 3, minSamplesLeaf: 2 };
    const rows = growTree(d, w, { ...opts, randomHistFrom: Infinity }, new Rng(13));
    expect(rows.feature.length).to.be.greaterThan(500);
    expect(Array.from(rows.nanLeft).some((v) => v === 1)).to.equal(true);
    same(rows, growTree(d, w, { ...opts, randomHistFrom: 0 }, new Rng(13)));
    same(rows, growTree(d, w, opts, new Rng(13)));
  });

  it('respects minSamplesLeaf: every leaf holds at least that many rows', () => {
    const d = binned(1500, 5);
    const t = growTree(d, new Float64Array(d.n).fill(1), { ...base, minSamplesLeaf: 20 }, new Rng(1));
    const leaves = t.leafCounts.length / 3;
    expect(leaves).to.be.greaterThan(5);
    for (let l = 0; l < leaves; l++) {
      // unit weights, so a leaf's class weights sum to its row count
      const rowsInLeaf = (t.leafCounts[3 * l] as number) + (t.leafCounts[3 * l + 1] as number) + (t.leafCounts[3 * l + 2] as number);
      expect(rowsInLeaf).to.be.at.least(20);
    }
  });

  it('respects maxDepth, and the same holds for the random (ExtraTrees) splitter', () => {
    const d = binned(1500, 5);
    for (const splitter of ['best', 'random'] as const) {
      const t = growTree(d, new Float64Array(d.n).fill(1), { ...base, splitter, maxDepth: 3 }, new Rng(1));
      const depths = leafDepths(t);
      expect(Math.max(...depths)).to.equal(3);
    }
  });

  it('a fully grown tree is pure on its training rows (leaves hold one class)', () => {
    const d = binned(800, 5);
    const t = growTree(d, new Float64Array(d.n).fill(1), base, new Rng(3));
    let total = 0;
    for (let l = 0; l < t.leafCounts.length / 3; l++) {
      const c = [0, 1, 2].map((k) => t.leafCounts[3 * l + k] as number);
      total += c[0]! + c[1]! + c[2]!;
      // impure leaves can only come from rows identical in every binned feature, which continuous data lacks
      expect(c.filter((v) => v > 0)).to.have.length(1);
    }
    expect(total).to.equal(800);
  });

  it('sends NaN to the side that separates the classes best', () => {
    // class 1 exactly when feature 0 is NaN; every other value is class 0
    const n = 200;
    const col = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? NaN : i));
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const binner = fitBinner([col], n);
    const d: BinnedData = { bins: binColumns([col], n, binner), nBins: binner.edges.map((e) => e.length), n, y, nClasses: 2 };
    const t = growTree(d, new Float64Array(n).fill(1), { ...base, mtry: 1 }, new Rng(1));
    expect(t.feature.length).to.equal(3);
    // NaN rows (class 1) must end alone on one side: the root's NaN side holds only class 1
    const nanLeafFirst = t.nanLeft[0] === 1;
    const nanLeaf = nanLeafFirst ? 0 : 1;
    expect(t.leafCounts[nanLeaf * 2 + 1]).to.equal(50);
    expect(t.leafCounts[nanLeaf * 2]).to.equal(0);
  });
});
