import { expect } from 'chai';
import { defaultKnnParams, fitKnn, KnnModel } from '../../../src/core/models/knn.js';
import { buildPcaIndex, exactSq, symmetricEigenvectors } from '../../../src/core/models/knn-search.js';
import { KnnWasm } from '../../../src/core/models/knn-wasm.js';
import { Rng } from '../../../src/core/util/rng.js';
import { accuracy, blobs, maxRowSumError, slice, viaJson } from '../../fixtures/models/blobs.js';

const line = (xs: number[], ys: number[]) => ({ columns: [Float64Array.from(xs)], n: xs.length, y: Uint8Array.from(ys), nClasses: 3 });

describe('fitKnn', () => {
  it('votes over the k nearest rows (hand-checked 1-D case, uniform and 1/distance weights)', () => {
    // Train x = 0,1,2,3,10 with classes 0,0,1,1,2; query 1.4: nearest 3 are x=1 (0.4), x=2 (0.6), x=0 (1.4).
    // In one dimension standardising scales every distance alike, so shares are as computed on raw x.
    const train = line([0, 1, 2, 3, 10], [0, 0, 1, 1, 2]);
    const u = fitKnn(train, { k: 3, weights: 'uniform' }, new Rng(1)).predictProba([Float64Array.from([1.4])], 1);
    expect(u[0]).to.be.closeTo(2 / 3, 1e-12);
    expect(u[1]).to.be.closeTo(1 / 3, 1e-12);
    expect(u[2]).to.equal(0);
    const w = fitKnn(train, { k: 3, weights: 'distance' }, new Rng(1)).predictProba([Float64Array.from([1.4])], 1);
    const tot = 1 / 0.4 + 1 / 0.6 + 1 / 1.4;
    expect(w[0]).to.be.closeTo((1 / 0.4 + 1 / 1.4) / tot, 1e-9);
    expect(w[1]).to.be.closeTo(1 / 0.6 / tot, 1e-9);
  });

  it("with 'distance' weights an exact training match decides alone, as in scikit-learn", () => {
    const train = line([0, 1, 2], [0, 1, 2]);
    const p = fitKnn(train, { k: 3, weights: 'distance' }, new Rng(1)).predictProba([Float64Array.from([1])], 1);
    expect(Array.from(p)).to.deep.equal([0, 1, 0]);
  });

  it('breaks distance ties toward the earlier training row', () => {
    // x = 1 and x = 3 are both at distance 1 from 2; k = 1 keeps the earlier row (class 1).
    const train = line([1, 3], [1, 2]);
    const p = fitKnn(train, { k: 1, weights: 'uniform' }, new Rng(1)).predictProba([Float64Array.from([2])], 1);
    expect(Array.from(p)).to.deep.equal([0, 1, 0]);
  });

  it('finds the same neighbours as sorting all distances (random data)', () => {
    const data = blobs(300, 13, { d: 4 });
    const k = 7;
    const m = fitKnn(slice(data, 0, 250), { k, weights: 'uniform' }, new Rng(1));
    const p = m.predictProba(slice(data, 250, 300).columns, 50);
    const tx = m.scaler.transform(slice(data, 0, 250).columns, 250);
    const qx = m.scaler.transform(slice(data, 250, 300).columns, 50);
    for (let i = 0; i < 50; i++) {
      const dist = Array.from({ length: 250 }, (_, t) => {
        let s = 0;
        for (let j = 0; j < 4; j++) s += (qx[i * 4 + j]! - tx[t * 4 + j]!) ** 2;
        return { s, t };
      }).sort((a, b) => a.s - b.s || a.t - b.t);
      const votes = [0, 0, 0, 0, 0];
      for (const { t } of dist.slice(0, k)) votes[data.y[t]!]! += 1 / k;
      for (let c = 0; c < 5; c++) expect(p[i * 5 + c]).to.be.closeTo(votes[c]!, 1e-12);
    }
  });

  it('learns separable blobs well above chance, rows sum to 1, k above n uses every row', () => {
    const data = blobs(400, 17);
    const m = fitKnn(slice(data, 0, 300), defaultKnnParams(), new Rng(1));
    const test = slice(data, 300, 400);
    const p = m.predictProba(test.columns, 100);
    expect(accuracy(p, test.y, 5)).to.be.above(0.9);
    expect(maxRowSumError(p, 5)).to.be.below(1e-12);
    const all = fitKnn(slice(data, 0, 6), { k: 50, weights: 'uniform' }, new Rng(1)).predictProba(test.columns, 1);
    expect(Array.from(all)).to.deep.equal([2 / 6, 2 / 6, 2 / 6, 0, 0]);
  });

  it('round-trips through JSON to identical probabilities and rejects corrupted state', () => {
    const data = blobs(80, 1);
    const m = fitKnn(data, defaultKnnParams(), new Rng(1));
    const state = viaJson(m.toJSON()) as Record<string, unknown>;
    expect(JSON.stringify(fitKnn(data, defaultKnnParams(), new Rng(2)).toJSON())).to.equal(JSON.stringify(m.toJSON()));
    const back = KnnModel.fromJSON(state);
    expect(Array.from(back.predictProba(data.columns, 80))).to.deep.equal(Array.from(m.predictProba(data.columns, 80)));
    expect(() => KnnModel.fromJSON({ ...state, x: (state['x'] as number[]).slice(1) })).to.throw(/model\.x must have 240 entries/);
    expect(() => KnnModel.fromJSON({ ...state, y: [9, ...(state['y'] as number[]).slice(1)] })).to.throw(/model\.y\[0\]/);
    expect(() => KnnModel.fromJSON({ ...state, params: { k: 0, weights: 'uniform' } })).to.throw(/model\.params: .*k must be/);
    expect(() => KnnModel.fromJSON({ ...state, version: 3 })).to.throw(/model\.version 3/);
  });
});

describe('kNN pruned searches (principal-axis bound, JavaScript and WebAssembly) against brute force', () => {
  /** The k smallest (exactSq distance, training row) pairs of every query: the plain exact search. */
  function sortedNeighbours(m: KnnModel, queries: Float64Array[], n: number): { dist: number[]; row: number[] } {
    const d = m.nFeatures;
    const q = m.scaler.transform(queries, n);
    const k = Math.min(m.params.k, m.nTrain);
    const dist: number[] = [];
    const row: number[] = [];
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: m.nTrain }, (_, t) => ({ s: exactSq(q, i * d, m.x, t * d, d), t }));
      all.sort((a, b) => a.s - b.s || a.t - b.t);
      for (const e of all.slice(0, k)) {
        dist.push(e.s);
        row.push(e.t);
      }
    }
    return { dist, row };
  }

  /**
   * Rows with many exact ties: features drawn from {0, 1, 2} (and a scaled copy), every third row a
   * duplicate of an earlier one, NaN in about 5% of the cells (imputed as the mean).
   */
  function tiedData(n: number, d: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
    const rng = new Rng(seed);
    const columns = Array.from({ length: d }, () => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const src = i > 3 && i % 3 === 0 ? rng.int(i) : -1;
      for (let j = 0; j < d; j++) {
        const col = columns[j] as Float64Array;
        if (src >= 0) col[i] = col[src] as number;
        else col[i] = rng.next() < 0.05 ? NaN : rng.int(3) * (j % 2 === 0 ? 1 : 7.25) + (j === 1 ? rng.normal() : 0);
      }
      y[i] = src >= 0 ? (y[src] as number) : rng.int(5);
    }
    return { columns, y };
  }

  const cases = [
    { d: 1, nTrain: 120, k: 5 },
    { d: 3, nTrain: 200, k: 15 },
    { d: 8, nTrain: 150, k: 7 },
    { d: 9, nTrain: 160, k: 15 },
    { d: 13, nTrain: 300, k: 4 },
    { d: 20, nTrain: 403, k: 15 },
    // the float32 rest past the 12 lead coordinates: exactly one vector, and the most (d = 64)
    { d: 16, nTrain: 260, k: 9 },
    { d: 64, nTrain: 150, k: 6 },
    { d: 6, nTrain: 10, k: 25 }, // k above the training rows: every row is a neighbour
    { d: 5, nTrain: 1, k: 3 }, // one training row
  ];
  for (const c of cases) {
    for (const weights of ['uniform', 'distance'] as const) {
      it(`same neighbours, order and probabilities as brute force and as sorting all distances: d=${c.d}, ${c.nTrain} training rows, k=${c.k}, ${weights}`, () => {
        const nq = 70; // ≥ 64, so 'auto' takes the pruned search too; 70 is not a multiple of 4
        const data = tiedData(c.nTrain + nq, c.d, 100 + c.d + c.nTrain);
        const train = { columns: data.columns.map((col) => col.subarray(0, c.nTrain)), n: c.nTrain, y: data.y.subarray(0, c.nTrain), nClasses: 5 };
        const m = fitKnn(train, { k: c.k, weights }, new Rng(1));
        // queries: fresh rows, copies of training rows (distance 0, many ties) and the rows with NaN
        const queries = data.columns.map((col) => {
          const qc = Float64Array.from(col.subarray(c.nTrain));
          for (let i = 0; i < nq; i += 5) qc[i] = col[i % c.nTrain] as number;
          return qc;
        });
        const pruned = m.kneighbors(queries, nq, 'pruned');
        const wasm = m.kneighbors(queries, nq, 'wasm');
        const brute = m.kneighbors(queries, nq, 'brute');
        const auto = m.kneighbors(queries, nq, 'auto');
        const want = sortedNeighbours(m, queries, nq);
        expect(pruned.k).to.equal(Math.min(c.k, c.nTrain));
        expect(Array.from(pruned.row)).to.deep.equal(want.row);
        expect(Array.from(pruned.dist)).to.deep.equal(want.dist);
        expect(Array.from(wasm.row)).to.deep.equal(want.row);
        expect(Array.from(wasm.dist)).to.deep.equal(want.dist);
        expect(Array.from(brute.row)).to.deep.equal(want.row);
        expect(Array.from(brute.dist)).to.deep.equal(want.dist);
        // probabilities to the bit: the heaps end in the same layout, so even 1/distance sums agree
        expect(Array.from(pruned.proba)).to.deep.equal(Array.from(brute.proba));
        expect(Array.from(wasm.proba)).to.deep.equal(Array.from(brute.proba));
        expect(Array.from(auto.proba)).to.deep.equal(Array.from(brute.proba));
        expect(Array.from(m.predictProba(queries, nq))).to.deep.equal(Array.from(brute.proba));
      });
    }
  }

  it('on correlated blobs (where the bound prunes most rows) the pruned search matches brute force bit for bit', () => {
    const data = blobs(2600, 23, { d: 12, sep: 3 });
    // make the columns strongly correlated, like standardised market features
    for (let j = 2; j < 12; j++) {
      const col = data.columns[j] as Float64Array;
      for (let i = 0; i < data.n; i++) col[i] = (col[i] as number) * 0.1 + (data.columns[j % 2] as Float64Array)[i]! * (j + 1);
    }
    for (const weights of ['uniform', 'distance'] as const) {
      const m = fitKnn(slice(data, 0, 2000), { k: 15, weights }, new Rng(1));
      const test = slice(data, 2000, 2600);
      const brute = m.kneighbors(test.columns, 600, 'brute');
      for (const how of ['pruned', 'wasm'] as const) {
        const r = m.kneighbors(test.columns, 600, how);
        expect(Array.from(r.row)).to.deep.equal(Array.from(brute.row));
        expect(Array.from(r.dist)).to.deep.equal(Array.from(brute.dist));
        expect(Array.from(r.proba)).to.deep.equal(Array.from(brute.proba));
      }
    }
  });

  it('the WebAssembly kernel builds the same pruning index as buildPcaIndex, bit for bit', () => {
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
    for (const [nt, d] of [[1, 5], [7, 1], [260, 16], [2600, 13], [300, 64]] as const) {
      const data = tiedData(nt, d, 31 + d);
      const m = fitKnn({ columns: data.columns, n: nt, y: data.y, nClasses: 5 }, defaultKnnParams(), new Rng(1));
      const js = buildPcaIndex(m.x, nt, d);
      const wasm = KnnWasm.create(m.x, nt, d, 3, undefined).ix;
      expect(js, `nt=${nt} d=${d}`).to.not.equal(null);
      expect(wasm, `nt=${nt} d=${d}`).to.not.equal(null);
      expect(same(wasm!.axes, js!.axes), `axes nt=${nt} d=${d}`).to.equal(true);
      expect(same(wasm!.norms, js!.norms), `norms nt=${nt} d=${d}`).to.equal(true);
      expect(wasm!.maxNorm).to.equal(js!.maxNorm);
    }
    expect(KnnWasm.create(new Float64Array(70), 1, 70, 3, undefined)).to.deep.equal({ kw: null, ix: null });
  });

  it('a model whose first search is the WebAssembly one (index built by the kernel) matches brute force', () => {
    const data = tiedData(900, 20, 5);
    for (const weights of ['uniform', 'distance'] as const) {
      const train = { columns: data.columns.map((c) => c.subarray(0, 700)), n: 700, y: data.y.subarray(0, 700), nClasses: 5 };
      const queries = data.columns.map((c) => c.subarray(700));
      const fresh = fitKnn(train, { k: 11, weights }, new Rng(1));
      const viaAuto = fresh.predictProba(queries, 200);
      const m = fitKnn(train, { k: 11, weights }, new Rng(1));
      const wasm = m.kneighbors(queries, 200, 'wasm');
      const brute = m.kneighbors(queries, 200, 'brute');
      expect(Array.from(wasm.row)).to.deep.equal(Array.from(brute.row));
      expect(Array.from(wasm.dist)).to.deep.equal(Array.from(brute.dist));
      expect(Array.from(wasm.proba)).to.deep.equal(Array.from(brute.proba));
      expect(Array.from(viaAuto)).to.deep.equal(Array.from(brute.proba));
    }
  });

  it('queries too large for the float32 filter are searched in float64 (same neighbours)', () => {
    const data = tiedData(300, 14, 7);
    const m = fitKnn({ columns: data.columns.map((c) => c.subarray(0, 200)), n: 200, y: data.y.subarray(0, 200), nClasses: 5 }, { k: 9, weights: 'distance' }, new Rng(1));
    const queries = data.columns.map((c) => Float64Array.from(c.subarray(200)));
    // column 0 takes 0, 1, 2 in training (sd < 1), so 1e17 scales past the float32 filter's range
    (queries[0] as Float64Array)[3] = 1e17;
    expect(() => m.kneighbors(queries, 100, 'wasm')).to.throw(/too large for the float32 filter/);
    const brute = m.kneighbors(queries, 100, 'brute');
    const auto = m.kneighbors(queries, 100, 'auto');
    expect(Array.from(auto.row)).to.deep.equal(Array.from(brute.row));
    expect(Array.from(auto.proba)).to.deep.equal(Array.from(brute.proba));
  });

  it('models with more than 64 features use brute force (the rounding argument is made for d ≤ 64)', () => {
    const data = blobs(180, 5, { d: 65 });
    const m = fitKnn(slice(data, 0, 100), defaultKnnParams(), new Rng(1));
    const test = slice(data, 100, 180);
    expect(() => m.kneighbors(test.columns, 80, 'pruned')).to.throw(/no pruning index/);
    expect(() => m.kneighbors(test.columns, 80, 'wasm')).to.throw(/no pruning index/);
    expect(Array.from(m.predictProba(test.columns, 80))).to.deep.equal(Array.from(m.kneighbors(test.columns, 80, 'brute').proba));
  });

  it('principal axes: orthonormal rows sorted by eigenvalue that satisfy A·v = λ·v', () => {
    // a symmetric 4 × 4 matrix with known eigenvalues 10, 4, 1, 0.5 (Q diag Qᵀ for a Householder Q)
    const v = [1, 2, -1, 0.5];
    const vv = v.reduce((s, x) => s + x * x, 0);
    const qm = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
    const lam = [4, 0.5, 10, 1];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let l = 0; l < 4; l++) a[i * 4 + j] = a[i * 4 + j]! + qm(i, l) * lam[l]! * qm(j, l);
    const u = symmetricEigenvectors(a, 4);
    const sorted = [10, 4, 1, 0.5];
    for (let r = 0; r < 4; r++) {
      for (let p = 0; p < 4; p++) {
        let dot = 0;
        for (let j = 0; j < 4; j++) dot += u[r * 4 + j]! * u[p * 4 + j]!;
        expect(dot).to.be.closeTo(r === p ? 1 : 0, 1e-12);
      }
      for (let i = 0; i < 4; i++) {
        let av = 0;
        for (let j = 0; j < 4; j++) av += a[i * 4 + j]! * u[r * 4 + j]!;
        expect(av).to.be.closeTo(sorted[r]! * u[r * 4 + i]!, 1e-10);
      }
    }
    expect(buildPcaIndex(new Float64Array(70), 1, 70)).to.equal(null);
  });
});
