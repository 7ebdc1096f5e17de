import { expect } from 'chai';
import { radixArgsort, radixSort } from '../../../src/core/util/radix.js';
import { Rng } from '../../../src/core/util/rng.js';

/** Ties, −0 beside 0, infinities, subnormals, and values of every magnitude. */
function values(rng: Rng, n: number): Float64Array {
  const special = [0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.25, 0.25 + 2 ** -50];
  return Float64Array.from({ length: n }, () => {
    const u = rng.next();
    if (u < 0.15) return special[rng.int(special.length)] as number;
    if (u < 0.4) return rng.int(50) - 25;
    return (rng.next() - 0.5) * 10 ** (rng.int(60) - 30);
  });
}

describe('radix sort of doubles', () => {
  // 11-bit digits up to 200,000 values, 16-bit beyond: both paths
  for (const n of [0, 1, 2, 999, 5_000, 250_000]) {
    it(`${n} values: the order of TypedArray#sort (−0 first) and an argsort with ties in index order`, () => {
      const rng = new Rng(n + 1);
      const x = values(rng, n);
      const sorted = radixSort(x.slice());
      const want = x.slice().sort();
      let same = true;
      for (let i = 0; i < n && same; i++) same = Object.is(sorted[i], want[i]);
      expect(same, 'radixSort').to.equal(true);
      const idx = radixArgsort(x);
      expect(idx.length).to.equal(n);
      for (let k = 1; k < n; k++) {
        const a = x[idx[k - 1] as number] as number;
        const b = x[idx[k] as number] as number;
        const ok = Object.is(a, b) ? (idx[k - 1] as number) < (idx[k] as number) : a < b || (Object.is(a, -0) && Object.is(b, 0));
        if (!ok) expect.fail(`radixArgsort: positions ${k - 1}, ${k} hold ${a} (row ${idx[k - 1]}) before ${b} (row ${idx[k]})`);
      }
    });
  }
});
