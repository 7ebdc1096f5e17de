import { expect } from 'chai';
import {
  averagePrecision, classCurves, prCurve, rocAuc, rocCurve, scoreClassifier,
} from '../../../src/core/evaluate/index.js';
import { Rng } from '../../../src/core/util/rng.js';

// 8 rows, 4 positives, ties at 0.8 (one positive, one negative) and at 0.6 (one positive, two negatives).
// Distinct thresholds, highest first, with cumulative (tp, fp): 0.9 (1, 0), 0.8 (2, 1), 0.6 (3, 3), 0.3 (4, 3), 0.1 (4, 4).
const S = Float64Array.from([0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.3, 0.1]);
const Y = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 0]);

const trapezoid = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number)) / 2;
  return a;
};

/** Σ (R_k − R_{k−1}) · P_k: scikit-learn's average precision read off a PR curve. */
const stepArea = (recall: ArrayLike<number>, precision: ArrayLike<number>): number => {
  let a = 0;
  for (let i = 1; i < recall.length; i++) a += ((recall[i] as number) - (recall[i - 1] as number)) * (precision[i] as number);
  return a;
};

/** Scores on a coarse grid (many ties) and labels that lean towards high scores. */
function randomCase(n: number, seed: number): { score: Float64Array; positive: Uint8Array } {
  const rng = new Rng(seed);
  const score = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    score[i] = Math.round(rng.next() * 20) / 20;
    positive[i] = rng.next() < 0.2 + 0.5 * (score[i] as number) ? 1 : 0;
  }
  return { score, positive };
}

describe('ROC and PR curve points', () => {
  it('rocCurve gives one point per distinct score from (0, 0) to (1, 1) (hand-computed)', () => {
    const c = rocCurve(S, Y);
    expect(c).to.not.equal(null);
    // fpr = fp / 4, tpr = tp / 4 at each threshold, after the (0, 0) point at +∞.
    expect([...(c?.fpr ?? [])]).to.deep.equal([0, 0, 0.25, 0.75, 0.75, 1]);
    expect([...(c?.tpr ?? [])]).to.deep.equal([0, 0.25, 0.5, 0.75, 1, 1]);
    expect([...(c?.thresholds ?? [])]).to.deep.equal([Infinity, 0.9, 0.8, 0.6, 0.3, 0.1]);
  });

  it('the trapezoid under the full ROC curve equals rocAuc with ties counted one half', () => {
    const c = rocCurve(S, Y);
    // Mann–Whitney by hand: positives .9 → 4, .8 → 3 + ½, .6 → 1 + 2·½, .3 → 1; 10.5 of 16 pairs.
    expect(trapezoid(c?.fpr ?? [], c?.tpr ?? [])).to.be.closeTo(10.5 / 16, 1e-12);
    expect(rocAuc(S, Y)).to.be.closeTo(10.5 / 16, 1e-12);
    for (const seed of [1, 2, 3]) {
      const { score, positive } = randomCase(400, seed);
      const r = rocCurve(score, positive);
      expect(trapezoid(r?.fpr ?? [], r?.tpr ?? [])).to.be.closeTo(rocAuc(score, positive) as number, 1e-12);
    }
  });

  it('prCurve starts at (0, 1) and gives precision tp / (tp + fp) per distinct score (hand-computed)', () => {
    const c = prCurve(S, Y);
    expect([...(c?.recall ?? [])]).to.deep.equal([0, 0.25, 0.5, 0.75, 1, 1]);
    const want = [1, 1, 2 / 3, 0.5, 4 / 7, 0.5];
    (c?.precision ?? []).forEach((p, i) => expect(p).to.be.closeTo(want[i] as number, 1e-12));
    // AP = ¼·(1 + 2/3 + 1/2 + 4/7) = 0.6845238095…
    expect(stepArea(c?.recall ?? [], c?.precision ?? [])).to.be.closeTo(0.25 * (1 + 2 / 3 + 0.5 + 4 / 7), 1e-12);
    expect(averagePrecision(S, Y)).to.be.closeTo(0.25 * (1 + 2 / 3 + 0.5 + 4 / 7), 1e-12);
    for (const seed of [4, 5]) {
      const { score, positive } = randomCase(400, seed);
      const p = prCurve(score, positive);
      expect(stepArea(p?.recall ?? [], p?.precision ?? [])).to.be.closeTo(averagePrecision(score, positive) as number, 1e-12);
    }
  });

  it('tied rows enter together: their order in the input does not change either curve', () => {
    // Same rows with each tie group reversed: a row-by-row staircase would differ.
    const s2 = Float64Array.from([0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.3, 0.1]);
    const y2 = Uint8Array.from([1, 0, 1, 0, 0, 1, 1, 0]);
    expect(rocCurve(s2, y2)).to.deep.equal(rocCurve(S, Y));
    expect(prCurve(s2, y2)).to.deep.equal(prCurve(S, Y));
  });

  it('is null where the curve is undefined: no positives (both), no negatives (ROC only)', () => {
    const s = Float64Array.from([0.2, 0.5, 0.7]);
    expect(rocCurve(s, Uint8Array.from([0, 0, 0]))).to.equal(null);
    expect(prCurve(s, Uint8Array.from([0, 0, 0]))).to.equal(null);
    expect(rocCurve(s, Uint8Array.from([1, 1, 1]))).to.equal(null);
    expect([...(prCurve(s, Uint8Array.from([1, 1, 1]))?.precision ?? [])]).to.deep.equal([1, 1, 1, 1]);
  });

  it('classCurves keeps short curves whole and downsamples long ones to maxPoints with both endpoints', () => {
    // Two classes, one-vs-rest on column k: class 1 scores S, class 0 scores 1 − S.
    const proba = new Float64Array(16);
    S.forEach((s, i) => {
      proba[i * 2] = 1 - s;
      proba[i * 2 + 1] = s;
    });
    const whole = classCurves(Y, proba, 2);
    expect(whole.roc[1]).to.deep.equal([[0, 0], [0, 0.25], [0.25, 0.5], [0.75, 0.75], [0.75, 1], [1, 1]]);
    expect(whole.pr[1]).to.deep.equal([[0, 1], [0.25, 1], [0.5, 0.6667], [0.75, 0.5], [1, 0.5714], [1, 0.5]]);

    const { score, positive } = randomCase(2000, 9);
    const n = score.length;
    const p2 = new Float64Array(n * 2);
    // A continuous score (few ties) so the full curves have far more than 16 points.
    score.forEach((s, i) => {
      const v = s + i * 1e-6;
      p2[i * 2] = 1 - v;
      p2[i * 2 + 1] = v;
    });
    const few = classCurves(positive, p2, 2, { maxPoints: 16 });
    const full = rocCurve(Float64Array.from({ length: n }, (_, i) => p2[i * 2 + 1] as number), positive);
    expect(full?.fpr.length).to.be.above(1000);
    for (const curve of [...few.roc, ...few.pr]) expect(curve).to.have.length(16);
    expect(few.roc[1]?.[0]).to.deep.equal([0, 0]);
    expect(few.roc[1]?.[15]).to.deep.equal([1, 1]);
    expect(few.pr[1]?.[0]).to.deep.equal([0, 1]);
    // The last PR point is recall 1 at the prevalence of the class.
    const prevalence = positive.reduce((a, b) => a + b, 0) / n;
    expect(few.pr[1]?.[15]?.[0]).to.equal(1);
    expect(few.pr[1]?.[15]?.[1]).to.be.closeTo(prevalence, 1e-4);
    // Kept points are points of the full curve (to the 4 stored decimals), in order.
    const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;
    const onCurve = new Set(Array.from(full?.fpr ?? [], (x, i) => `${r4(x)},${r4(full?.tpr[i] as number)}`));
    for (const [x, y] of few.roc[1] ?? []) expect(onCurve.has(`${x},${y}`), `${x},${y}`).to.equal(true);
    const fx = few.roc[1]?.map((p) => p[0]) ?? [];
    expect(fx).to.deep.equal([...fx].sort((a, b) => a - b));
  });

  it('scoreClassifier attaches curves only when asked, one per class, null for an absent class', () => {
    const y = Uint8Array.from([0, 1, 1, 0]);
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.4, 0.5, 0.1, 0.6, 0.3, 0.1]);
    expect(scoreClassifier(y, proba, 3)).to.not.have.property('curves');
    const m = scoreClassifier(y, proba, 3, { curves: true });
    expect(m.curves?.roc).to.have.length(3);
    expect(m.curves?.roc[2]).to.equal(null); // class 2 never occurs
    expect(m.curves?.pr[2]).to.equal(null);
    expect(m.curves?.roc[1]).to.deep.equal([[0, 0], [0, 0.5], [0, 1], [0.5, 1], [1, 1]]);
  });
});
