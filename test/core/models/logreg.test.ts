import { expect } from 'chai';
import { defaultLogRegParams, fitLogReg, LogRegModel } from '../../../src/core/models/logreg.js';
import { Rng } from '../../../src/core/util/rng.js';
import { accuracy, blobs, maxRowSumError, slice, viaJson } from '../../fixtures/models/blobs.js';

// 12 rows, 3 classes, hand-made; the expected probabilities below come from scikit-learn 1.2.1:
// make_pipeline(StandardScaler(), LogisticRegression(C=1.0, tol=1e-12, max_iter=100000)).
const X0 = [0, 1, 0.5, 3, 4, 3.5, 0, 1, -1, 2, 1, 3];
const X1 = [0, 0.5, 1, 3, 3.5, 2, 4, 5, 3.5, 2, 3, 1];
const Y = [0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 2, 1];
const SKLEARN = [
  [0.9041561021, 0.0350472677, 0.0607966303],
  [0.122005379, 0.7150788024, 0.1629158186],
  [0.090727272, 0.0358408139, 0.8734319142],
  [0.3856159108, 0.4242369366, 0.1901471526],
];

function tiny(): { columns: Float64Array[]; n: number; y: Uint8Array; nClasses: number } {
  return { columns: [Float64Array.from(X0), Float64Array.from(X1)], n: 12, y: Uint8Array.from(Y), nClasses: 3 };
}

describe('fitLogReg', () => {
  it('matches scikit-learn multinomial LogisticRegression(C=1) on a tiny 3-class problem', () => {
    const m = fitLogReg(tiny(), { ...defaultLogRegParams(), tol: 1e-10, maxIter: 1000 }, new Rng(1));
    expect(m.converged).to.equal(true);
    const p = m.predictProba([Float64Array.from([0, 3, 0, 2]), Float64Array.from([0, 3, 4, 2])], 4);
    for (let i = 0; i < 4; i++) for (let c = 0; c < 3; c++) expect(p[i * 3 + c]).to.be.closeTo(SKLEARN[i]![c]!, 1e-6);
  });

  it('stops where the gradient of its objective is ≈ 0 (central finite differences)', () => {
    const data = blobs(60, 3, { k: 3, d: 2, sep: 1.5 });
    const C = 0.5;
    const m = fitLogReg(data, { ...defaultLogRegParams(), C, tol: 1e-9, maxIter: 1000 }, new Rng(1));
    const x = m.scaler.transform(data.columns, data.n);
    const k = 3;
    const d = 2;
    // Independent objective: (1/n)·[Σ CE + ‖W‖²/(2C)], written here from the definition.
    const f = (w: Float64Array, b: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < data.n; i++) {
        const z = [0, 1, 2].map((c) => b[c]! + w[c * d]! * x[i * d]! + w[c * d + 1]! * x[i * d + 1]!);
        const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
        s += lse - z[data.y[i]!]!;
      }
      let r = 0;
      for (const v of w) r += v * v;
      return (s + r / (2 * C)) / data.n;
    };
    const h = 1e-5;
    const w = Float64Array.from(m.weights);
    const b = Float64Array.from(m.intercepts);
    for (const arr of [w, b]) {
      for (let t = 0; t < arr.length; t++) {
        const v = arr[t]!;
        arr[t] = v + h;
        const up = f(w, b);
        arr[t] = v - h;
        const down = f(w, b);
        arr[t] = v;
        expect(Math.abs((up - down) / (2 * h)), `partial ${t}`).to.be.below(1e-6);
      }
    }
    expect(w.length).to.equal(k * d);
  });

  it('learns separable blobs on features of very different scales well above chance', () => {
    const data = blobs(600, 11);
    const m = fitLogReg(slice(data, 0, 450), defaultLogRegParams(), new Rng(1));
    const test = slice(data, 450, 600);
    expect(accuracy(m.predictProba(test.columns, 150), test.y, 5)).to.be.above(0.9);
  });

  it('gives classes absent from training probability 0 and every row sums to 1', () => {
    const data = blobs(90, 5); // labels 0..2 of nClasses 5
    const m = fitLogReg(data, defaultLogRegParams(), new Rng(1));
    const p = m.predictProba(data.columns, 90);
    expect(maxRowSumError(p, 5)).to.be.below(1e-12);
    for (let i = 0; i < 90; i++) expect(p[i * 5 + 3]).to.equal(0);
  });

  it("classWeight 'balanced' raises the predicted share of a rare class", () => {
    const data = blobs(400, 9, { k: 2, d: 2, sep: 1 });
    // Keep 1 in 8 rows of class 1 so it is rare.
    const keep: number[] = [];
    for (let i = 0; i < 400; i++) if (data.y[i] === 0 || i % 16 === 1) keep.push(i);
    const cols = data.columns.map((c) => Float64Array.from(keep, (i) => c[i]!));
    const rare = { columns: cols, n: keep.length, y: Uint8Array.from(keep, (i) => data.y[i]!), nClasses: 2 };
    const mean1 = (p: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < rare.n; i++) s += p[i * 2 + 1]!;
      return s / rare.n;
    };
    const plain = fitLogReg(rare, defaultLogRegParams(), new Rng(1)).predictProba(cols, rare.n);
    const bal = fitLogReg(rare, { ...defaultLogRegParams(), classWeight: 'balanced' }, new Rng(1)).predictProba(cols, rare.n);
    expect(mean1(bal)).to.be.above(mean1(plain) + 0.1);
  });

  it('treats a NaN feature as the training mean of that feature', () => {
    const m = fitLogReg(tiny(), defaultLogRegParams(), new Rng(1));
    const withNaN = m.predictProba([Float64Array.from([NaN]), Float64Array.from([4])], 1);
    const withMean = m.predictProba([Float64Array.from([m.scaler.mean[0]!]), Float64Array.from([4])], 1);
    for (let c = 0; c < 3; c++) expect(withNaN[c]).to.be.closeTo(withMean[c]!, 1e-12);
  });

  it('is deterministic and round-trips through JSON to identical probabilities', () => {
    const data = blobs(120, 4);
    const a = fitLogReg(data, defaultLogRegParams(), new Rng(1));
    const b = fitLogReg(data, defaultLogRegParams(), new Rng(99));
    expect(JSON.stringify(a.toJSON())).to.equal(JSON.stringify(b.toJSON()));
    const back = LogRegModel.fromJSON(viaJson(a.toJSON()));
    expect(Array.from(back.predictProba(data.columns, 120))).to.deep.equal(Array.from(a.predictProba(data.columns, 120)));
  });

  it('rejects corrupted state naming the field, and bad parameters', () => {
    const good = fitLogReg(tiny(), defaultLogRegParams(), new Rng(1)).toJSON();
    const bad = (patch: Record<string, unknown>): unknown => ({ ...(viaJson(good) as object), ...patch });
    expect(() => LogRegModel.fromJSON(bad({ weights: [1, 2] }))).to.throw(/model\.weights must have 6 entries/);
    const w = (viaJson(good) as { weights: unknown[] }).weights;
    w[2] = null; // what JSON.stringify makes of NaN
    expect(() => LogRegModel.fromJSON(bad({ weights: w }))).to.throw(/model\.weights\[2\]/);
    expect(() => LogRegModel.fromJSON(bad({ version: 2 }))).to.throw(/model\.version 2 is not supported/);
    expect(() => LogRegModel.fromJSON(bad({ classes: [0, 0, 1] }))).to.throw(/model\.classes\[1\]/);
    expect(() => LogRegModel.fromJSON(bad({ scaler: { mean: [0], scale: [1] } }))).to.throw(/model\.scaler\.mean/);
    expect(() => fitLogReg(tiny(), { ...defaultLogRegParams(), C: 0 }, new Rng(1))).to.throw(/C must be a positive number/);
    const m = LogRegModel.fromJSON(viaJson(good));
    expect(() => m.predictProba([new Float64Array(1)], 1)).to.throw(/expects 2 feature columns/);
  });

  it('predicting rows with an infinite value names the first one in column order, even past the first 4096-row chunk', () => {
    const m = fitLogReg(tiny(), defaultLogRegParams(), new Rng(1));
    const n = 10_000;
    const a = new Float64Array(n).fill(1);
    const b = new Float64Array(n).fill(2);
    a[9000] = -Infinity; // column 0, a later chunk
    b[5] = Infinity; // column 1, the first chunk
    expect(() => m.predictProba([a, b], n)).to.throw(/logreg model: feature 0 row 9000 is infinite/);
    a[9000] = 1;
    expect(() => m.predictProba([a, b], n)).to.throw(/logreg model: feature 1 row 5 is infinite/);
    b[5] = 2;
    const p = m.predictProba([a, b], n);
    expect(p.length).to.equal(n * 3);
    expect(Object.is(p[3 * 9000], p[0])).to.equal(true);
  });

  it('predicts any number of rows in chunks with the same values as one row at a time', () => {
    const data = blobs(9000, 3);
    const m = fitLogReg(slice(data, 0, 600), defaultLogRegParams(), new Rng(1));
    const all = m.predictProba(data.columns, 9000);
    for (const i of [0, 4095, 4096, 8191, 8192, 8999]) {
      const one = m.predictProba(data.columns.map((c) => c.subarray(i, i + 1)), 1);
      for (let c = 0; c < one.length; c++) expect(Object.is(all[i * one.length + c], one[c]), `row ${i}`).to.equal(true);
    }
  });
});
