import { expect } from 'chai';
import { binColumns, binOf, binRows, fitBinner, NAN_BIN, sortValues } from '../../../../src/core/models/tree/binning.js';
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
  it('sortValues orders like TypedArray#sort to the bit (−0 before +0, ±Infinity, subnormals, ties), below and above the radix size', () => {
    const rng = new Rng(12);
    const special = [0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 2 ** -1030];
    for (const n of [0, 1, 5, 1023, 1024, 1500, 20_000]) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        v[i] = u < 0.1 ? (special[rng.int(special.length)] as number) : u < 0.4 ? rng.int(30) - 15 : (rng.next() - 0.5) * 10 ** (rng.int(40) - 20);
      }
      const want = v.slice().sort();
      const got = sortValues(v.slice());
      let same = got.length === want.length;
      for (let i = 0; same && i < n; i++) same = Object.is(got[i], want[i]);
      expect(same, `n = ${n}`).to.equal(true);
    }
  });

  it('binColumns and binRows give binOf of every value: NaN, ±Infinity, values on an edge, between edges and outside them', () => {
    const rng = new Rng(13);
    const n = 3000;
    const columns = [0, 1, 2].map((f) => Float64Array.from({ length: n }, (_, i) => (f === 2 ? i % 7 : rng.normal() * (f + 1))));
    // 48 bins: few enough that the edge values drawn below fall on many different bins
    const binner = fitBinner(columns, n, 48);
    // values exactly on edges, just beside them, NaN and infinities
    for (let f = 0; f < columns.length; f++) {
      const e = binner.edges[f] as Float64Array;
      const col = columns[f] as Float64Array;
      for (let i = 0; i < 600; i++) {
        const k = rng.int(e.length);
        const u = rng.next();
        col[i] = u < 0.2 ? NaN : u < 0.3 ? Infinity : u < 0.4 ? -Infinity : u < 0.7 ? (e[k] as number) : (e[k] as number) + (rng.next() - 0.5) * 1e-9;
      }
    }
    const byCol = binColumns(columns, n, binner);
    const byRow = binRows(columns, n, binner.edges);
    let checked = 0;
    for (let f = 0; f < columns.length; f++) {
      for (let i = 0; i < n; i++) {
        const want = binOf(binner.edges[f] as Float64Array, (columns[f] as Float64Array)[i] as number);
        expect((byCol[f] as Uint8Array)[i], `column ${f}, row ${i}`).to.equal(want);
        expect(byRow[i * columns.length + f], `row ${i}, feature ${f}`).to.equal(want);
        checked++;
      }
    }
    expect(checked).to.equal(3 * n);
  });
});

