import { expect } from 'chai';
import { binColumns, binOf, binRows, fitBinner, NAN_BIN } from '../../../../src/core/models/tree/binning.js';
import { defaultForestParams, fitForest } from '../../../../src/core/models/forest.js';
import { UsageError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/util/rng.js';

describe('tree binning', () => {
  it('fitBinner gives one bin per distinct value, with edges at the midpoints, when there are few values', () => {
    const col = Float64Array.from([3, 1, 2, 2, 1, NaN, 3]);
    const { edges } = fitBinner([col], col.length, 255);
    // distinct values 1, 2, 3 → midpoints 1.5 and 2.5, then the implicit +Infinity
    expect(Array.from(edges[0] as Float64Array)).to.deep.equal([1.5, 2.5, Infinity]);
    const [bins] = binColumns([col], col.length, { edges });
    expect(Array.from(bins as Uint8Array)).to.deep.equal([2, 0, 1, 1, 0, NAN_BIN, 2]);
  });

  it('fitBinner cuts a continuous feature into at most maxBins bins of roughly equal size', () => {
    const rng = new Rng(3);
    const n = 10_000;
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = rng.normal();
    const binner = fitBinner([col], n, 16);
    const edges = binner.edges[0] as Float64Array;
    expect(edges.length).to.be.at.most(16).and.at.least(15);
    const [bins] = binColumns([col], n, binner);
    const counts = new Array<number>(edges.length).fill(0);
    for (const b of bins as Uint8Array) counts[b] = (counts[b] as number) + 1;
    // quantile bins: each near n/16 = 625 rows (exact up to the integer positions of the quantiles)
    for (const c of counts) expect(c).to.be.within(600, 650);
  });

  it('trees walked on binned rows take the raw-value paths: NaN, ±Infinity and values exactly on an edge included', async () => {
    const rng = new Rng(17);
    const n = 1200;
    const columns = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => Math.round(rng.normal() * 8) / 4));
    for (let i = 0; i < n; i += 11) (columns[2] as Float64Array)[i] = NaN;
    const y = Uint8Array.from({ length: n }, (_, i) => ((columns[0] as Float64Array)[i]! > 0 ? 1 : 0) + ((columns[1] as Float64Array)[i]! > 0.5 ? 1 : 0));
    for (const kind of ['rf', 'et'] as const) {
      const m = await fitForest({ columns, n, y, nClasses: 3 }, { ...defaultForestParams(kind), nTrees: 20, nJobs: 1, kind }, new Rng(4));
      // queries: training values, every edge itself, its neighbours, NaN and the infinities
      const q = Array.from({ length: 4 }, (_, f) => {
        const e = Array.from(m.edges[f] as Float64Array).filter(Number.isFinite);
        return Float64Array.from([...(columns[f] as Float64Array).subarray(0, 300), ...e, ...e.map((v) => v + 1e-12), ...e.map((v) => v - 1e-12), NaN, Infinity, -Infinity]);
      });
      const nq = Math.min(...q.map((c) => c.length));
      const cols = q.map((c) => c.subarray(0, nq));
      const xb = binRows(cols, nq, m.edges);
      for (const t of m.trees) {
        const raw = new Float64Array(nq * 3);
        const binned = new Float64Array(nq * 3);
        t.accumulate(cols, nq, raw);
        t.accumulateBinned(xb, 4, nq, binned);
        expect(Array.from(binned)).to.deep.equal(Array.from(raw));
      }
    }
  });

  it('binOf agrees with the raw threshold test x <= edges[t] for every bin t', () => {
    const rng = new Rng(5);
    const col = Float64Array.from({ length: 500 }, () => Math.round(rng.normal() * 10) / 4);
    const edges = fitBinner([col], col.length, 8).edges[0] as Float64Array;
    for (const x of col) {
      const b = binOf(edges, x);
      for (let t = 0; t < edges.length; t++) expect(x <= (edges[t] as number)).to.equal(b <= t);
    }
  });

  it('a constant or all-NaN feature gets a single value bin', () => {
    const { edges } = fitBinner([new Float64Array(5).fill(2), new Float64Array(5).fill(NaN)], 5);
    expect(Array.from(edges[0] as Float64Array)).to.deep.equal([Infinity]);
    expect(Array.from(edges[1] as Float64Array)).to.deep.equal([Infinity]);
  });

  it('rejects maxBins outside 2..255 with a UsageError', () => {
    expect(() => fitBinner([new Float64Array(3)], 3, 256)).to.throw(UsageError, /maxBins/);
    expect(() => fitBinner([new Float64Array(3)], 3, 1)).to.throw(UsageError, /maxBins/);
  });
});
