import { expect } from 'chai';
import { argsortFloat, argsortValues, averageRanks, rocAuc, thresholdCounts } from '../../../src/core/evaluate/index.js';
import { Rng } from '../../../src/core/util/rng.js';

/** Values from a few levels (frequent ties), −0 beside 0, and the infinities. */
function tiedValues(rng: Rng, n: number): Float64Array {
  const levels = [-Infinity, -3, -0.5, -0, 0, 1e-300, 0.25, 0.25 + 2 ** -50, 2, Infinity];
  return Float64Array.from({ length: n }, () => levels[rng.int(levels.length)] as number);
}

describe('argsortFloat', () => {
  it('orders negatives, zeros, positives and extremes like a numeric sort', () => {
    const x = Float64Array.of(3.5, -0.25, 0, -1e300, 1e-300, -5, 2, -0.25, 1e300, -1e-300);
    const order = Array.from(argsortFloat(x), (i) => x[i] as number);
    expect(order).to.deep.equal(Array.from(x).sort((a, b) => a - b));
  });
});

describe('averageRanks', () => {
  it('is #smaller + (#equal + 1) / 2 for every value, ties (−0 = 0) and infinities included', () => {
    const rng = new Rng(3);
    // below and above the size where the radix sort takes over
    for (const n of [1, 2, 17, 700, 5000]) {
      const x = tiedValues(rng, n);
      const want = Array.from(x, (v) => {
        let less = 0;
        let equal = 0;
        for (const u of x) {
          if (u < v) less++;
          else if (u === v) equal++;
        }
        return less + (equal + 1) / 2;
      });
      expect(Array.from(averageRanks(x))).to.deep.equal(want);
    }
    expect(Array.from(averageRanks(Float64Array.of(3, 1, 3, 2)))).to.deep.equal([3.5, 1, 3.5, 2]);
  });

  it('still returns a permutation and finite ranks when NaN slips in', () => {
    const x = Float64Array.of(2, NaN, 1, NaN, 3);
    expect(Array.from(argsortValues(x)).sort()).to.deep.equal([0, 1, 2, 3, 4]);
    expect(Array.from(averageRanks(x)).every(Number.isFinite)).to.equal(true);
  });
});

describe('thresholdCounts and rocAuc', () => {
  it('count positives and negatives at or above each distinct score, highest first, as a brute-force count does', () => {
    const rng = new Rng(8);
    for (const n of [1, 5, 64, 900, 4500]) {
      const s = tiedValues(rng, n);
      const pos = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      const got = thresholdCounts(s, pos);
      const distinct = [...new Set(Array.from(s, (v) => (v === 0 ? 0 : v)))].sort((a, b) => b - a);
      expect(Array.from(got.thresholds, (v) => (v === 0 ? 0 : v))).to.deep.equal(distinct);
      const at = (t: number, p: number): number => Array.from(s).filter((v, i) => v >= t && pos[i] === p).length;
      expect(Array.from(got.tps)).to.deep.equal(distinct.map((t) => at(t, 1)));
      expect(Array.from(got.fps)).to.deep.equal(distinct.map((t) => at(t, 0)));
      // Mann–Whitney: P(score of a positive > score of a negative), ties one half
      let wins = 0;
      let np = 0;
      let nn = 0;
      for (let i = 0; i < n; i++) {
        if (pos[i]) np++;
        else nn++;
        for (let j = 0; j < n; j++) if (pos[i] && !pos[j]) wins += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
      const auc = rocAuc(s, pos);
      if (np === 0 || nn === 0) expect(auc).to.equal(null);
      else expect(auc).to.be.closeTo(wins / (np * nn), 1e-12);
    }
  });
});
