import { expect } from 'chai';
import { solveSmo, type SmoProblem } from '../../../src/core/models/optim/smo.js';
import { defaultSvcParams, fitSvc } from '../../../src/core/models/svc.js';
import { SvcWasm } from '../../../src/core/models/svc-wasm.js';
import { Rng } from '../../../src/core/util/rng.js';
import { blobs, slice } from '../../fixtures/models/blobs.js';

/*
 * The WebAssembly SVC kernels against the plain loops they replace, compared exactly (Object.is on
 * every float64: the kernels only vectorise elementwise updates and order-independent argmax/argmin
 * reductions, see src/wasm/svc.ts), on sizes that are and are not multiples of the two-lane width.
 */

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}: element ${i} is ${got[i]}, the plain loop gives ${want[i]}`);
  }
}

/**
 * An RBF kernel on m random points in 3 dimensions, every third point a copy of an earlier one when
 * `dups` (equal kernel rows, so equal gradients: ties in both working-set selections).
 */
function rbfKernel(rng: Rng, m: number, dups: boolean, K: Float32Array): void {
  const x = new Float64Array(m * 3);
  for (let i = 0; i < m; i++) {
    const src = dups && i % 3 === 2 ? rng.int(i) : -1;
    for (let j = 0; j < 3; j++) x[i * 3 + j] = src >= 0 ? (x[src * 3 + j] as number) : rng.next() * 2 - 1;
  }
  for (let s = 0; s < m; s++) {
    for (let t = 0; t < m; t++) {
      let d = 0;
      for (let j = 0; j < 3; j++) d += ((x[s * 3 + j] as number) - (x[t * 3 + j] as number)) ** 2;
      K[s * m + t] = Math.exp(-1.5 * d);
    }
  }
}

/**
 * Kernels whose diagonal is not all 1, for the solver's general path (the RBF kernel's diagonal is
 * exp(−γ·0) = 1, which the solver serves by its unit-diagonal path): 'half' is half an RBF kernel
 * (a constant diagonal 0.5), 'linear' the Gram matrix of 3-dimensional points (a diagonal that
 * varies; duplicated points tie as in rbfKernel), 'one' an RBF kernel with a single diagonal entry
 * changed to 1.25, 'ones' an RBF kernel (unit diagonal) with a tenth of its off-diagonal pairs set to
 * 1 or 1.5 (so quad = 2 − 2K ≤ 0 for points that differ: the solver's TAU).
 */
function otherKernel(rng: Rng, m: number, dups: boolean, kind: 'half' | 'linear' | 'one' | 'ones', K: Float32Array): void {
  if (kind === 'linear') {
    const x = new Float64Array(m * 3);
    for (let i = 0; i < m; i++) {
      const src = dups && i % 3 === 2 ? rng.int(i) : -1;
      for (let j = 0; j < 3; j++) x[i * 3 + j] = src >= 0 ? (x[src * 3 + j] as number) : rng.next() * 2 - 1;
    }
    for (let s = 0; s < m; s++) for (let t = 0; t < m; t++) K[s * m + t] = x[s * 3]! * x[t * 3]! + x[s * 3 + 1]! * x[t * 3 + 1]! + x[s * 3 + 2]! * x[t * 3 + 2]!;
    return;
  }
  rbfKernel(rng, m, dups, K);
  if (kind === 'half') for (let i = 0; i < m * m; i++) K[i] = K[i]! * 0.5;
  else if (kind === 'one') K[rng.int(m) * (m + 1)] = 1.25;
  else {
    for (let s = 0; s < m; s++) {
      for (let t = s + 1; t < m; t++) {
        if (rng.next() < 0.1) K[s * m + t] = K[t * m + s] = rng.next() < 0.5 ? 1 : 1.5;
      }
    }
  }
}

/** The distance of the plain kernelMatrix loop, which sums row s's features minus row t's (s < t). */
function distOf(x: Float64Array, d: number, s: number, t: number): number {
  let dist = 0;
  for (let j = 0; j < d; j++) {
    const diff = x[s * d + j]! - x[t * d + j]!;
    dist += diff * diff;
  }
  return dist;
}

describe('svc WebAssembly kernels match the plain loops bit for bit', () => {
  it('smo: α, ρ and the iteration count of solveSmo, on whole problems and gathered subsets, for unit and other kernel diagonals', () => {
    const rng = new Rng(5);
    const cases: [number, boolean, number, number, 'rbf' | 'half' | 'linear' | 'one' | 'ones'][] = [
      // m, duplicate points, cPos, cNeg (small C: many α at the bound), kernel
      [1, false, 1, 1, 'rbf'],
      [2, false, 10, 10, 'rbf'],
      [3, true, 1, 1, 'rbf'],
      [7, true, 0.05, 0.3, 'rbf'],
      [16, false, 1, 1, 'rbf'],
      [33, true, 0.2, 0.2, 'rbf'],
      [64, true, 1, 2.5, 'rbf'],
      [101, false, 0.01, 0.01, 'rbf'],
      [150, true, 1, 1, 'rbf'],
      [257, true, 100, 100, 'rbf'],
      [5, false, 1, 1, 'half'],
      [41, true, 1, 1, 'half'],
      [130, true, 0.5, 2, 'half'],
      [9, true, 1, 1, 'linear'],
      [70, true, 0.3, 0.3, 'linear'],
      [203, false, 5, 5, 'linear'],
      [23, true, 1, 1, 'one'],
      [181, true, 1, 1, 'one'],
      [12, false, 1, 1, 'ones'],
      [90, false, 1, 1, 'ones'],
      [177, true, 0.5, 0.5, 'ones'],
    ];
    const wasm = SvcWasm.create(257, 257);
    expect(wasm).to.not.equal(null);
    let bound = 0;
    let iterations = 0;
    for (const [m, dups, cPos, cNeg, kind] of cases) {
      const K = wasm!.kernelView(m);
      if (kind === 'rbf') rbfKernel(rng, m, dups, K);
      else otherKernel(rng, m, dups, kind, K);
      const Kjs = K.slice();
      const y = new Int8Array(m);
      for (let t = 0; t < m; t++) y[t] = rng.next() < 0.4 ? 1 : -1;
      y[0] = 1;
      if (m > 1) y[m - 1] = -1;
      // the whole problem, then random subsets (as the Platt cross-validation's training folds)
      const subsets: Int32Array[] = [Int32Array.from({ length: m }, (_, t) => t)];
      for (let f = 0; f < 3 && m > 2; f++) subsets.push(Int32Array.from(Array.from({ length: m }, (_, t) => t).filter(() => rng.next() < 0.7)));
      for (const idx of subsets) {
        const ys = Int8Array.from(idx, (t) => y[t] as number);
        const p = (k: Float32Array): SmoProblem => ({ K: k, m, idx, y: ys, cPos, cNeg, eps: 1e-3, maxIter: 100_000 });
        const want = solveSmo(p(Kjs));
        const got = wasm!.solve(p(K));
        const what = `${kind} m=${m} l=${idx.length} C=(${cPos}, ${cNeg})`;
        expectSame(got.alpha, want.alpha, `${what} alpha`);
        expect(Object.is(got.rho, want.rho), `${what} rho ${got.rho} vs ${want.rho}`).to.equal(true);
        expect(got.iterations, `${what} iterations`).to.equal(want.iterations);
        iterations += want.iterations;
        for (let t = 0; t < idx.length; t++) if (want.alpha[t] === (ys[t]! > 0 ? cPos : cNeg)) bound++;
      }
      expectSame(K, Kjs, `m=${m} kernel untouched by the solver`);
    }
    // the cases do exercise the clipping at C and many iterations
    expect(bound).to.be.above(50);
    expect(iterations).to.be.above(500);
  });

  it('pairKernel (class blocks + cross block): float32 exp(−γ‖xₛ − xₜ‖²) with the distance summed in feature order, as the plain loop', () => {
    const rng = new Rng(11);
    for (const [n, k, d] of [
      [5, 2, 1],
      [9, 3, 3],
      [40, 3, 5],
      [64, 5, 20],
      [80, 4, 7],
    ] as const) {
      const x = new Float64Array(n * d);
      for (let i = 0; i < x.length; i++) x[i] = (rng.next() - 0.5) * 6;
      // classes interleaved in row order, every class present
      const y = Uint8Array.from({ length: n }, (_, i) => (i < k ? i : rng.int(k)));
      const rowsByClass = Array.from({ length: k }, (_, c) => Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => y[i] === c)));
      const posOf = new Int32Array(n);
      for (const rows of rowsByClass) rows.forEach((i, p) => (posOf[i] = p));
      const gamma = 0.05 + rng.next();
      const wasm = SvcWasm.create(n, n, d, rowsByClass.map((r) => r.length))!;
      wasm.classBlocks(x, rowsByClass, gamma);
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          const members = Array.from({ length: n }, (_, i) => i).filter((i) => y[i] === a || y[i] === b);
          const got = wasm.pairKernel(x, rowsByClass, a, b, members, y, posOf, gamma);
          const want = new Float32Array(members.length * members.length);
          for (let s = 0; s < members.length; s++) {
            for (let t = 0; t < members.length; t++) {
              let dist = 0;
              for (let j = 0; j < d; j++) {
                const diff = x[members[s]! * d + j]! - x[members[t]! * d + j]!;
                dist += diff * diff;
              }
              want[s * members.length + t] = s === t ? 1 : Math.exp(-gamma * (s < t ? dist : distOf(x, d, members[t]!, members[s]!)));
            }
          }
          expectSame(got, want, `n=${n} k=${k} pair (${a}, ${b}) d=${d}`);
        }
      }
    }
  });

  it('fitSvc: the same model (JSON) and probabilities with the WebAssembly and the plain-loop kernels', () => {
    for (const [n, k, seed] of [
      [301, 5, 3],
      [120, 2, 4],
      [97, 3, 9],
    ] as const) {
      const data = blobs(n + 50, seed, { k, d: 4 });
      const train = slice(data, 0, n);
      const test = slice(data, n, n + 50);
      const a = fitSvc(train, { ...defaultSvcParams(), C: 0.5 }, new Rng(seed), 'wasm');
      const b = fitSvc(train, { ...defaultSvcParams(), C: 0.5 }, new Rng(seed), 'js');
      expect(JSON.stringify(a.toJSON())).to.equal(JSON.stringify(b.toJSON()));
      const pw = a.predictProba(test.columns, 50);
      expectSame(pw, b.predictProba(test.columns, 50), `n=${n} k=${k} probabilities`);
      expectSame(pw, a.predictProba(test.columns, 50, 'js'), `n=${n} k=${k} probabilities, plain-loop kernel rows`);
    }
    // more queries than one kernel block (256), an odd number of them
    const data = blobs(900, 21, { k: 4, d: 5 });
    const m = fitSvc(slice(data, 0, 300), defaultSvcParams(), new Rng(2));
    const q = slice(data, 300, 899);
    expectSame(m.predictProba(q.columns, 599), m.predictProba(q.columns, 599, 'js'), '599 queries');
  });
});
