import { expect } from 'chai';
import { binColumns, binOf, fitBinner, NAN_BIN, sortFloat64 } from '../../../../src/core/models/tree/binning.js';
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

  it('binOf agrees with the raw threshold test x <= edges[t] for every bin t', () => {
    const rng = new Rng(5);
    const col = Float64Array.from({ length: 500 }, () => Math.round(rng.normal() * 10) / 4);
    const edges = fitBinner([col], col.length, 8).edges[0] as Float64Array;
    for (const x of col) {
      const b = binOf(edges, x);
      for (let t = 0; t < edges.length; t++) expect(x <= (edges[t] as number)).to.equal(b <= t);
    }
  });

  it('sortFloat64 (radix) puts doubles in exactly the built-in sort order: signed zeros, infinities, subnormals, ties', () => {
    const rng = new Rng(5);
    const specials = [-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];
    for (const n of [1, 255, 256, 257, 1000, 4097, 20000]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = rng.next();
        if (r < 0.2) a[i] = specials[rng.int(specials.length)] as number;
        else if (r < 0.4) a[i] = rng.int(11) - 5;
        else a[i] = (rng.next() - 0.5) * Math.exp(rng.next() * 80 - 40);
      }
      const want = a.slice().sort();
      const got = sortFloat64(a.slice());
      let same = true;
      for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) same = false;
      expect(same, `n = ${n}`).to.equal(true);
    }
    // every value sharing its high word (the radix passes over it are skipped) still sorts by the low word
    const close = Float64Array.from({ length: 600 }, (_, i) => 1 + ((i * 7919) % 600) * Number.EPSILON);
    expect(Array.from(sortFloat64(close.slice()))).to.deep.equal(Array.from(close.slice().sort()));
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
