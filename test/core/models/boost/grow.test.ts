import { expect } from 'chai';
import { GH_FEATURE, GH_STRIDE } from '../../../../src/core/models/boost/grad-histogram.js';
import { bestSplitOf, RegTreeGrower, type GrownRegTree, type RegGrowOptions } from '../../../../src/core/models/boost/grow.js';
import { RegTree } from '../../../../src/core/models/boost/reg-tree.js';
import { binColumns, fitBinner, NAN_BIN } from '../../../../src/core/models/tree/binning.js';
import { Rng } from '../../../../src/core/util/rng.js';
import { WasmArena } from '../../../../src/core/util/wasm.js';

const OPTS: RegGrowOptions = { maxDepth: null, maxLeafNodes: 31, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 0, learningRate: 0.1 };

/** Gradients of a 1-vs-rest softmax start (p = 0.5 everywhere) for a nonlinear target, with NaN in feature 2. */
function problem(n: number, seed: number): { columns: Float64Array[]; g: Float64Array; h: Float64Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: 5 }, () => new Float64Array(n));
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 5; f++) (columns[f] as Float64Array)[i] = rng.normal();
    if (rng.next() < 0.1) (columns[2] as Float64Array)[i] = NaN;
    const a = (columns[0] as Float64Array)[i] as number;
    const b = (columns[1] as Float64Array)[i] as number;
    const pos = a * b > 0 || Number.isNaN((columns[2] as Float64Array)[i] as number);
    g[i] = pos ? -0.5 : 0.5;
    h[i] = 0.25;
  }
  return { columns, g, h };
}

function grow(columns: Float64Array[], n: number, g: Float64Array, h: Float64Array, opts: RegGrowOptions): { grown: GrownRegTree; tree: RegTree; grower: RegTreeGrower } {
  const binner = fitBinner(columns, n, 255);
  const grower = new RegTreeGrower(binColumns(columns, n, binner), binner.edges.map((e) => e.length), n, opts);
  const grown = grower.grow(g, h);
  // copy the row buffer: the grower reuses it for the next tree
  return { grown: { ...grown, rows: Int32Array.from(grown.rows) }, tree: RegTree.fromGrown(grown, binner.edges), grower };
}

function depths(t: { left: Int32Array; right: Int32Array; feature: Int32Array }): Int32Array {
  const d = new Int32Array(t.feature.length);
  for (let i = 0; i < t.feature.length; i++) {
    if ((t.feature[i] as number) >= 0) {
      d[t.left[i] as number] = (d[i] as number) + 1;
      d[t.right[i] as number] = (d[i] as number) + 1;
    }
  }
  return d;
}

describe('boost regression-tree grower', () => {
  it('splits a hand-checkable case at the gain maximum with Newton leaf values −lr·G/(H+λ)', () => {
    // x = 1,2,3,4 with g = −1,−1,+1,+1, h = 1: the split between 2 and 3 has gain
    // (−2)²/2 + 2²/2 − 0²/4 = 4 (by hand), larger than either alternative (1²/1 + 1²/3 = 4/3);
    // leaves: −0.1·(−2)/2 = +0.1 and −0.1·2/2 = −0.1; threshold = midpoint 2.5 (binning.ts)
    const col = Float64Array.from([1, 2, 3, 4]);
    const { tree } = grow([col], 4, Float64Array.from([-1, -1, 1, 1]), Float64Array.from([1, 1, 1, 1]), { ...OPTS, minSamplesLeaf: 1 });
    expect(Array.from(tree.feature)).to.deep.equal([0, -1, -1]);
    expect(tree.threshold[0]).to.equal(2.5);
    expect(tree.value[1]).to.be.closeTo(0.1, 1e-15);
    expect(tree.value[2]).to.be.closeTo(-0.1, 1e-15);
  });

  it('l2 shrinks leaf values to −lr·G/(H+λ)', () => {
    const col = Float64Array.from([1, 2, 3, 4]);
    // λ = 2: left leaf −0.1·(−2)/(2+2) = 0.05 (by hand)
    const { tree } = grow([col], 4, Float64Array.from([-1, -1, 1, 1]), Float64Array.from([1, 1, 1, 1]), { ...OPTS, minSamplesLeaf: 1, l2: 2 });
    expect(tree.value[1]).to.be.closeTo(0.05, 1e-15);
  });

  it('sends NaN rows to the side that gives the larger gain and stores the direction', () => {
    // values 1..4 all have g = +1; NaN rows have g = −1: the best split isolates the NaN rows
    const col = Float64Array.from([1, 2, 3, 4, NaN, NaN]);
    const { tree } = grow([col], 6, Float64Array.from([1, 1, 1, 1, -1, -1]), new Float64Array(6).fill(1), { ...OPTS, minSamplesLeaf: 1 });
    const pred = new Float64Array(2);
    tree.addRaw([Float64Array.from([2, NaN])], 2, pred, 1, 0);
    // NaN leaf: −0.1·(−2)/2 = +0.1, value leaf: −0.1·4/4 = −0.1 (by hand)
    expect(pred[0]).to.be.closeTo(-0.1, 1e-15);
    expect(pred[1]).to.be.closeTo(0.1, 1e-15);
  });

  it('sibling subtraction gives the same tree as building every histogram directly', () => {
    const n = 3000;
    const { columns, g, h } = problem(n, 5);
    for (const opts of [OPTS, { ...OPTS, maxLeafNodes: null, maxDepth: 4, minSamplesLeaf: 1 }]) {
      const a = grow(columns, n, g, h, { ...opts, subtract: true }).tree;
      const b = grow(columns, n, g, h, { ...opts, subtract: false }).tree;
      expect(a.nNodes).to.be.greaterThan(7);
      expect(a.toJSON()).to.deep.equal(b.toJSON());
    }
  });

  it('respects maxLeafNodes, maxDepth and minSamplesLeaf', () => {
    const n = 3000;
    const { columns, g, h } = problem(n, 6);
    const leafCount = (t: RegTree): number => Array.from(t.feature).filter((f) => f < 0).length;
    const best = grow(columns, n, g, h, { ...OPTS, maxLeafNodes: 7 });
    expect(leafCount(best.tree)).to.equal(7);
    const deep = grow(columns, n, g, h, { ...OPTS, maxLeafNodes: null, maxDepth: 2, minSamplesLeaf: 1 });
    expect(Math.max(...depths(deep.tree))).to.equal(2);
    const big = grow(columns, n, g, h, { ...OPTS, minSamplesLeaf: 150, maxLeafNodes: null });
    const { grown } = big;
    for (let i = 0; i < grown.feature.length; i++) {
      if ((grown.feature[i] as number) < 0) expect((grown.end[i] as number) - (grown.start[i] as number)).to.be.at.least(150);
    }
  });

  it('leaf row ranges partition the rows and agree with walking the tree', () => {
    const n = 1000;
    const { columns, g, h } = problem(n, 7);
    const { grown, tree } = grow(columns, n, g, h, OPTS);
    const viaLeaves = new Float64Array(n);
    let covered = 0;
    for (let i = 0; i < grown.feature.length; i++) {
      if ((grown.feature[i] as number) >= 0) continue;
      for (let j = grown.start[i] as number; j < (grown.end[i] as number); j++) viaLeaves[grown.rows[j] as number] = grown.value[i] as number;
      covered += (grown.end[i] as number) - (grown.start[i] as number);
    }
    const viaWalk = new Float64Array(n);
    tree.addRaw(columns, n, viaWalk, 1, 0);
    expect(covered).to.equal(n);
    expect(Array.from(viaWalk)).to.deep.equal(Array.from(viaLeaves));
  });

  it('the WebAssembly kernels grow the same trees, row order and leaf values as the JavaScript loops, also past their slots', () => {
    const n = 3000;
    const { columns, g, h } = problem(n, 8);
    const cases: RegGrowOptions[] = [OPTS, { ...OPTS, maxLeafNodes: null, maxDepth: 5, minSamplesLeaf: 1 }, { ...OPTS, subtract: false }, { ...OPTS, l2: 1, minSamplesLeaf: 3 }];
    for (const opts of cases) {
      const js = grow(columns, n, g, h, { ...opts, kernels: 'js' });
      expect(js.grower.built.wasm).to.equal(0);
      expect(js.tree.nNodes).to.be.greaterThan(15);
      // default slots: every histogram in WebAssembly; 2 slots: the rest in the JavaScript loops, and
      // sibling subtraction between a slot and a plain array
      for (const slots of [undefined, 2]) {
        const w = grow(columns, n, g, h, { ...opts, kernels: 'wasm', ...(slots === undefined ? {} : { slots }) });
        expect(w.grower.built.wasm).to.be.greaterThan(0);
        if (slots === undefined) expect(w.grower.built.js).to.equal(0);
        else expect(w.grower.built.js).to.be.greaterThan(0);
        expect(w.tree.toJSON()).to.deep.equal(js.tree.toJSON());
        expect(Array.from(w.grown.value)).to.deep.equal(Array.from(js.grown.value));
        expect(Array.from(w.grown.rows)).to.deep.equal(Array.from(js.grown.rows));
        expect(Array.from(w.grown.start)).to.deep.equal(Array.from(js.grown.start));
      }
    }
  });
});

describe('boost split scan: WebAssembly kernel against scanFeature', () => {
  it('finds the same split (gain, feature, bin, NaN side) on crafted histograms: empty bins, bin 0 empty, NaN rows, noise in empty bins', () => {
    const rng = new Rng(21);
    const F = 3;
    let nanLeftWins = 0;
    let binZeroWins = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const nBins = Array.from({ length: F }, () => 2 + rng.int(40));
      const hist = new Float64Array(F * GH_FEATURE);
      let G = 0;
      let H = 0;
      let cnt = 0;
      // every feature sums the same rows (as a node's histogram does): draw rows, bin them per feature
      const rows = 5 + rng.int(120);
      const nanShare = rng.next() < 0.5 ? 0 : rng.next() * 0.5;
      const emptyBelow = rng.int(3); // bins below this stay empty (bin 0 empty half the time)
      for (let i = 0; i < rows; i++) {
        const g = rng.next() < 0.3 ? -1 + rng.next() * 0.2 : rng.next() - 0.3;
        const h = 0.05 + rng.next() * 0.2;
        G += g;
        H += h;
        cnt++;
        for (let f = 0; f < F; f++) {
          const nb = nBins[f] as number;
          const isNan = rng.next() < nanShare;
          const b = isNan ? NAN_BIN : Math.min(nb - 1, emptyBelow + rng.int(Math.max(1, nb - emptyBelow)));
          const o = f * GH_FEATURE + b * GH_STRIDE;
          hist[o] = (hist[o] as number) + g;
          hist[o + 1] = (hist[o + 1] as number) + h;
          hist[o + 2] = (hist[o + 2] as number) + 1;
        }
      }
      // subtraction leaves rounding noise in bins without rows: put some there
      if (rng.next() < 0.3) {
        const o = rng.int(F) * GH_FEATURE + rng.int(3) * GH_STRIDE;
        if (hist[o + 2] === 0) hist[o] = (rng.next() - 0.5) * 1e-17;
      }
      const c = { l2: rng.next() < 0.5 ? 0 : rng.next(), minSamplesLeaf: 1 + rng.int(6), minHessianLeaf: rng.next() < 0.5 ? 1e-3 : 0 };
      const js = bestSplitOf(hist, nBins, G, H, cnt, c, 'js');
      const wasm = bestSplitOf(hist, nBins, G, H, cnt, c, 'wasm');
      expect(wasm, `trial ${trial}`).to.deep.equal(js);
      if (js.feature >= 0 && js.nanLeft) nanLeftWins++;
      if (js.feature >= 0 && js.bin === 0) binZeroWins++;
    }
    // the cases that matter were hit: NaN rows sent left, and the first threshold winning
    expect(nanLeftWins).to.be.greaterThan(50);
    expect(binZeroWins).to.be.greaterThan(20);
  });
});

describe('boost loop kernels: softmax gradients and score updates', () => {
  it("the kernel's exp is Math.exp to the bit, across the whole range and at the edges", () => {
    const { exp } = new WasmArena<{ exp(x: number): number }>('boost', []).exports;
    const rng = new Rng(5);
    // 1 and −1: V8 answers exp(1) with the constant E, which the plain algorithm misses by one ulp
    const edges = [1, -1, 0, -0, 1e-300, -1e-300, 2 ** -29, 0.5 * Math.LN2, 1.5 * Math.LN2, -0.5 * Math.LN2, 709.78, 709.79, 710, -708.4, -745.13, -745.14, -746, Infinity, -Infinity, NaN];
    const xs = [...edges];
    for (const [lo, hi] of [[-1, 1], [-40, 40], [-750, 712], [-1e-7, 1e-7]] as const) for (let i = 0; i < 50_000; i++) xs.push(lo + (hi - lo) * rng.next());
    let bad = 0;
    for (const x of xs) if (!Object.is(exp(x), Math.exp(x))) bad++;
    expect(bad).to.equal(0);
  });

  it('gradients, trees and leaf score updates in WebAssembly match the JavaScript loops to the bit', () => {
    // odd: the softmax kernel's two-row loop and its one-row tail both run
    const n = 2001;
    const K = 3;
    const { columns } = problem(n, 9);
    const rng = new Rng(10);
    const binner = fitBinner(columns, n, 255);
    const bins = binColumns(columns, n, binner);
    const make = (kernels: 'wasm' | 'js'): RegTreeGrower => new RegTreeGrower(bins, binner.edges.map((e) => e.length), n, { ...OPTS, kernels }, K);
    const w = make('wasm');
    const j = make('js');
    // scores from ordinary to extreme (exp over- and underflow in the max-shifted softmax)
    for (let i = 0; i < K * n; i++) {
      const r = rng.next();
      const v = r < 0.05 ? (rng.next() - 0.5) * 2000 : (rng.next() - 0.5) * 8;
      w.scores[i] = v;
      j.scores[i] = v;
    }
    for (let i = 0; i < n; i++) {
      const c = rng.int(K);
      w.labels[i] = c;
      j.labels[i] = c;
    }
    for (let round = 0; round < 3; round++) {
      w.gradients();
      j.gradients();
      expect(Array.from(w.ghAll)).to.deep.equal(Array.from(j.ghAll));
      for (let k = 0; k < K; k++) {
        const gw = w.growClass(k);
        const gj = j.growClass(k);
        expect(Array.from(gw.value)).to.deep.equal(Array.from(gj.value));
        expect(gw.feature.length).to.be.greaterThan(5);
        w.addLeaves(k, gw);
        j.addLeaves(k, gj);
      }
      expect(Array.from(w.scores)).to.deep.equal(Array.from(j.scores));
    }
  });
});
