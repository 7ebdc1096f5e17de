import { expect } from 'chai';
import { binColumns, fitBinner } from '../../../../src/core/models/tree/binning.js';
import { type BinnedData, type GrownTree, growTree, type GrowOptions, resolveGrowOptions } from '../../../../src/core/models/tree/grow.js';
import { growTreeWasm } from '../../../../src/core/models/tree/grow-wasm.js';
import { fitTreeAt, type TreeSpec } from '../../../../src/core/models/tree/fit-tree.js';
import { Rng } from '../../../../src/core/util/rng.js';
import { separable } from './synth.js';

// The WebAssembly grower (src/wasm/grow.ts) against the Grower it ports (engine 'js'): every node
// array, every leaf count, the importances and the generator's state afterwards, to the bit.

function binned(n: number, nFeatures: number, nClasses: number, seed: number, nanEvery = 0): BinnedData {
  const { columns, y } = separable(n, nFeatures, seed, 0.3);
  if (nanEvery > 0) {
    for (let i = 0; i < n; i += nanEvery) (columns[1] as Float64Array)[i] = NaN;
    for (let i = 0; i < n; i += nanEvery + 2) (columns[nFeatures - 1] as Float64Array)[i] = NaN;
  }
  // more classes than the synthetic three: relabel some rows (class nClasses − 1 may stay absent)
  if (nClasses > 3) for (let i = 0; i < n; i += 5) y[i] = (i / 5) % nClasses;
  // a constant feature, which findSplit must learn and skip
  columns.push(new Float64Array(n).fill(1.5));
  const binner = fitBinner(columns, n, 255);
  return { bins: binColumns(columns, n, binner), nBins: binner.edges.map((e) => e.length), n, y, nClasses };
}

function weights(n: number, seed: number, bootstrap: boolean): Float64Array {
  const w = new Float64Array(n);
  if (!bootstrap) return w.fill(1);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const r = rng.int(n);
    w[r] = (w[r] as number) + 1;
  }
  return w;
}

function expectSame(a: GrownTree, b: GrownTree, what: string): void {
  expect(Array.from(a.feature), `${what}: feature`).to.deep.equal(Array.from(b.feature));
  expect(Array.from(a.bin), `${what}: bin`).to.deep.equal(Array.from(b.bin));
  expect(Array.from(a.right), `${what}: right`).to.deep.equal(Array.from(b.right));
  expect(Array.from(a.nanLeft), `${what}: nanLeft`).to.deep.equal(Array.from(b.nanLeft));
  expect(Array.from(a.leafCounts), `${what}: leafCounts`).to.deep.equal(Array.from(b.leafCounts));
  expect(Array.from(a.importance), `${what}: importance`).to.deep.equal(Array.from(b.importance));
}

const base: GrowOptions = { maxDepth: null, minSamplesLeaf: 1, minSamplesSplit: 2, mtry: 2, splitter: 'best' };

describe('growTree in WebAssembly', () => {
  const cases: { name: string; opts: GrowOptions; n: number; F: number; C: number; nan: number; bootstrap: boolean }[] = [
    { name: 'RandomForest defaults (sort below 256, no subtraction)', opts: base, n: 3000, F: 6, C: 3, nan: 0, bootstrap: true },
    { name: 'RandomForest with NaN, 5 classes, leaf 5', opts: { ...base, minSamplesLeaf: 5 }, n: 3000, F: 6, C: 5, nan: 7, bootstrap: true },
    { name: 'histograms everywhere (sort below 0)', opts: { ...base, sortBelow: 0, minSamplesLeaf: 3 }, n: 2500, F: 5, C: 3, nan: 9, bootstrap: true },
    { name: 'histogram subtraction (mtry ≥ half)', opts: { ...base, mtry: 5, sortBelow: 64, subtractAbove: 64 }, n: 3000, F: 6, C: 4, nan: 11, bootstrap: true },
    { name: 'maxDepth 4, minSamplesSplit 40', opts: { ...base, maxDepth: 4, minSamplesSplit: 40 }, n: 2000, F: 5, C: 3, nan: 0, bootstrap: false },
    { name: 'ExtraTrees (random splitter), NaN, leaf 2', opts: { ...base, splitter: 'random', mtry: 3, minSamplesLeaf: 2 }, n: 3000, F: 6, C: 3, nan: 7, bootstrap: false },
    { name: 'ExtraTrees, histogram draw from every node (randomHistFrom 0)', opts: { ...base, splitter: 'random', randomHistFrom: 0 }, n: 2000, F: 5, C: 5, nan: 5, bootstrap: true },
    { name: 'ExtraTrees, two passes everywhere (randomHistFrom ∞)', opts: { ...base, splitter: 'random', randomHistFrom: Infinity, minSamplesLeaf: 4 }, n: 2000, F: 5, C: 3, nan: 5, bootstrap: false },
  ];
  for (const c of cases) {
    it(`grows the same tree as the JavaScript Grower: ${c.name}`, () => {
      const d = binned(c.n, c.F, c.C, c.n + c.F, c.nan);
      for (const seed of [1, 2, 3]) {
        const w = weights(d.n, seed, c.bootstrap);
        const rj = new Rng(100 + seed);
        const rw = new Rng(100 + seed);
        const js = growTree(d, w, { ...c.opts, engine: 'js' }, rj);
        const wasm = growTree(d, w, c.opts, rw);
        expect(js.feature.length, 'a tree worth comparing').to.be.greaterThan(c.opts.maxDepth === 4 ? 10 : 100);
        expectSame(wasm, js, `${c.name}, seed ${seed}`);
        // the generator continues where the JavaScript grower leaves it
        expect(rw.stateKey()).to.equal(rj.stateKey());
        expect(rw.next()).to.equal(rj.next());
      }
    });
  }

  it('grows from the same data again with other options (one arena per data, rebuilt when it must grow)', () => {
    const d = binned(1500, 5, 3, 3);
    const w = weights(d.n, 4, true);
    for (const opts of [base, { ...base, sortBelow: 1024 }, { ...base, mtry: 5, subtractAbove: 32, sortBelow: 16 }, base]) {
      expectSame(growTree(d, w, opts, new Rng(5)), growTree(d, w, { ...opts, engine: 'js' }, new Rng(5)), JSON.stringify(opts));
    }
  });

  it('gives up, with the generator untouched, when the subtraction pool runs out; growTree then grows it in JavaScript', () => {
    const d = binned(3000, 5, 3, 21);
    const w = weights(d.n, 8, true);
    const opts: GrowOptions = { ...base, mtry: 5, sortBelow: 16, subtractAbove: 16 };
    const rng = new Rng(6);
    const before = rng.stateKey();
    expect(growTreeWasm(d, w, resolveGrowOptions(d, opts), rng, { poolHistograms: 1 })).to.equal(null);
    expect(rng.stateKey()).to.equal(before);
    const roomy = growTreeWasm(d, w, resolveGrowOptions(d, opts), new Rng(6), { poolHistograms: 64 });
    expect(roomy).to.not.equal(null);
    expectSame(roomy as GrownTree, growTree(d, w, { ...opts, engine: 'js' }, new Rng(6)), 'pool of 64');
  });
});

describe('growTree in WebAssembly, too deep', () => {
  it('gives up on a tree deeper than its levels, with the generator untouched; with room it grows the JavaScript tree', () => {
    const d = binned(2000, 5, 3, 23);
    const w = weights(d.n, 9, true);
    const o = resolveGrowOptions(d, base);
    const js = growTree(d, w, { ...base, engine: 'js' }, new Rng(8));
    const depth = (i: number): number => ((js.feature[i] as number) < 0 ? 0 : 1 + Math.max(depth(i + 1), depth(js.right[i] as number)));
    const deepest = depth(0);
    expect(deepest).to.be.greaterThan(6);
    const rng = new Rng(8);
    const before = rng.stateKey();
    expect(growTreeWasm(d, w, o, rng, { levels: deepest })).to.equal(null);
    expect(rng.stateKey()).to.equal(before);
    expectSame(growTreeWasm(d, w, o, new Rng(8), { levels: deepest + 1 }) as GrownTree, js, 'levels = depth + 1');
  });
});

describe('fitTreeAt in WebAssembly', () => {
  it('draws the same bootstrap (or all rows) from the tree stream and grows the same tree as the JavaScript path', () => {
    const d = binned(2500, 5, 5, 17, 6);
    for (const bootstrap of [true, false]) {
      for (const splitter of ['best', 'random'] as const) {
        const spec: TreeSpec = { ...base, splitter, mtry: 2, minSamplesLeaf: 3, bootstrap };
        for (const t of [0, 7]) {
          const js = fitTreeAt(d, { ...spec, engine: 'js' }, 42, t);
          expect(js.feature.length).to.be.greaterThan(100);
          expectSame(fitTreeAt(d, spec, 42, t), js, `bootstrap ${bootstrap}, ${splitter}, tree ${t}`);
        }
      }
    }
  });
});
