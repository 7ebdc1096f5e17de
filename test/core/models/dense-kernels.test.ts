import { expect } from 'chai';
import { denseArena } from '../../../src/core/models/dense-kernels.js';
import { softmaxInPlace } from '../../../src/core/models/optim/classes.js';
import { Rng } from '../../../src/core/util/rng.js';
import { WasmArena } from '../../../src/core/util/wasm.js';

/*
 * Each WebAssembly SIMD kernel against the plain loop it replaces, on random shapes that are and are
 * not multiples of the two-lane width and of the 4- and 8-wide tiles. The kernels vectorise across
 * independent outputs only and have no fused multiply-add, so the comparison is exact (Object.is:
 * the same float64, -0 and NaN included), not within a tolerance.
 */

function randArray(rng: Rng, n: number, specials = false): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    // some exact zeros, negative zeros and NaN where the kernel has a branch on the value (ReLU)
    a[i] = specials && u < 0.05 ? 0 : specials && u < 0.08 ? -0 : specials && u < 0.1 ? NaN : (rng.next() - 0.5) * 4;
  }
  return a;
}

function expectSame(got: Float64Array, want: Float64Array, what: string): void {
  expect(got.length, what).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${what}: element ${i} is ${got[i]}, the plain loop gives ${want[i]}`);
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [9, 2, 3],
  [200, 20, 100],
  [200, 100, 5],
  [17, 13, 11],
  [8, 6, 2],
  [33, 7, 9],
];

describe('dense SIMD kernels match the plain loops bit for bit', () => {
  it('matmulBias: z = a·W + bias, with and without the fused ReLU', () => {
    const rng = new Rng(1);
    for (const [b, nin, nout] of SHAPES) {
      for (const relu of [0, 1]) {
        const a = randArray(rng, b * nin, true);
        const w = randArray(rng, nin * nout);
        const bias = randArray(rng, nout);
        const want = new Float64Array(b * nout);
        for (let i = 0; i < b; i++) {
          for (let o = 0; o < nout; o++) {
            let s = bias[o] as number;
            for (let j = 0; j < nin; j++) s += (a[i * nin + j] as number) * (w[j * nout + o] as number);
            if (relu && s < 0) s = 0;
            want[i * nout + o] = s;
          }
        }
        const ar = denseArena([a.length, w.length, nout, b * nout]);
        ar.view(0).set(a);
        ar.view(1).set(w);
        ar.view(2).set(bias);
        ar.exports.matmulBias(ar.ptr(0), ar.ptr(1), ar.ptr(2), ar.ptr(3), b, nin, nout, relu);
        expectSame(ar.view(3), want, `matmulBias ${b}×${nin}·${nin}×${nout} relu ${relu}`);
      }
    }
  });

  it('weightGrad: (alpha·W + Aᵀ·Δ)/b and the bias column sums', () => {
    const rng = new Rng(2);
    for (const [b, nin, nout] of SHAPES) {
      const a = randArray(rng, b * nin);
      const delta = randArray(rng, b * nout);
      const w = randArray(rng, nin * nout);
      const alpha = 1e-4;
      const invB = 1 / b;
      const want = new Float64Array(nin * nout);
      const wantB = new Float64Array(nout);
      for (let j = 0; j < nin; j++) {
        for (let o = 0; o < nout; o++) {
          let g = alpha * (w[j * nout + o] as number);
          for (let i = 0; i < b; i++) g += (a[i * nin + j] as number) * (delta[i * nout + o] as number);
          want[j * nout + o] = g * invB;
        }
      }
      for (let o = 0; o < nout; o++) {
        let s = 0;
        for (let i = 0; i < b; i++) s += delta[i * nout + o] as number;
        wantB[o] = s * invB;
      }
      const ar = denseArena([a.length, delta.length, w.length, nin * nout, nout]);
      ar.view(0).set(a);
      ar.view(1).set(delta);
      ar.view(2).set(w);
      ar.exports.weightGrad(ar.ptr(0), ar.ptr(1), ar.ptr(2), ar.ptr(3), ar.ptr(4), b, nin, nout, alpha, invB);
      expectSame(ar.view(3), want, `weightGrad ${b}×${nin}, ${b}×${nout}`);
      expectSame(ar.view(4), wantB, `weightGrad bias ${b}×${nout}`);
    }
  });

  it('backDelta: Δ·Wᵀ masked by a > 0 (zeros, -0 and NaN activations included)', () => {
    const rng = new Rng(3);
    for (const [b, nin, nout] of SHAPES) {
      const a = randArray(rng, b * nin, true);
      const delta = randArray(rng, b * nout);
      const w = randArray(rng, nin * nout);
      const want = new Float64Array(b * nin);
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < nin; j++) {
          let s = 0;
          for (let o = 0; o < nout; o++) s += (delta[i * nout + o] as number) * (w[j * nout + o] as number);
          want[i * nin + j] = (a[i * nin + j] as number) > 0 ? s : 0;
        }
      }
      const ar = denseArena([a.length, delta.length, w.length, nin * nout, b * nin]);
      ar.view(0).set(a);
      ar.view(1).set(delta);
      ar.view(2).set(w);
      ar.exports.backDelta(ar.ptr(0), ar.ptr(1), ar.ptr(2), ar.ptr(3), ar.ptr(4), b, nin, nout);
      expectSame(ar.view(4), want, `backDelta ${b}×${nout}·(${nin}×${nout})ᵀ`);
    }
  });

  it('adam: one step over odd and even parameter counts', () => {
    const rng = new Rng(4);
    for (const n of [1, 2, 7, 2605]) {
      const theta = randArray(rng, n);
      const grad = randArray(rng, n);
      const m1 = randArray(rng, n);
      const m2 = randArray(rng, n).map(Math.abs);
      const [lr, b1, b2, eps] = [0.00123, 0.9, 0.999, 1e-8];
      const want = [theta.slice(), m1.slice(), m2.slice()] as const;
      for (let t = 0; t < n; t++) {
        const g = grad[t] as number;
        const a = b1 * (m1[t] as number) + (1 - b1) * g;
        const v = b2 * (m2[t] as number) + (1 - b2) * g * g;
        want[1][t] = a;
        want[2][t] = v;
        want[0][t] = (theta[t] as number) - (lr * a) / (Math.sqrt(v) + eps);
      }
      const ar = denseArena([n, n, n, n]);
      ar.view(0).set(theta);
      ar.view(1).set(grad);
      ar.view(2).set(m1);
      ar.view(3).set(m2);
      ar.exports.adam(ar.ptr(0), ar.ptr(1), ar.ptr(2), ar.ptr(3), n, lr, b1, 1 - b1, b2, 1 - b2, eps);
      expectSame(ar.view(0), want[0], `adam theta n=${n}`);
      expectSame(ar.view(2), want[1], `adam m1 n=${n}`);
      expectSame(ar.view(3), want[2], `adam m2 n=${n}`);
    }
  });

  it('logits and logregGrad: one block of column-major rows, any offset, odd and even class counts', () => {
    const rng = new Rng(5);
    for (const [n, d, k, i0, nb] of [
      [50, 3, 5, 7, 17],
      [64, 20, 5, 0, 64],
      [31, 1, 2, 30, 1],
      [40, 9, 3, 3, 35],
      [300, 4, 4, 44, 256],
      [12, 5, 7, 2, 9],
    ] as const) {
      const x = randArray(rng, n * d);
      const theta = randArray(rng, k * d + k);
      const ldz = nb + 3;
      const wantZ = new Float64Array(k * ldz);
      for (let c = 0; c < k; c++) {
        for (let r = 0; r < nb; r++) {
          let z = theta[k * d + c] as number;
          for (let j = 0; j < d; j++) z += (theta[c * d + j] as number) * (x[j * n + i0 + r] as number);
          wantZ[c * ldz + r] = z;
        }
      }
      const kp = k + (k % 2);
      const res = randArray(rng, nb * kp);
      for (let r = 0; r < nb; r++) for (let c = k; c < kp; c++) res[r * kp + c] = 0;
      const g0 = randArray(rng, k * d + k);
      const wantG = g0.slice();
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) {
          let g = g0[c * d + j] as number;
          for (let r = 0; r < nb; r++) g += (res[r * kp + c] as number) * (x[j * n + i0 + r] as number);
          wantG[c * d + j] = g;
        }
        let gb = g0[k * d + c] as number;
        for (let r = 0; r < nb; r++) gb += res[r * kp + c] as number;
        wantG[k * d + c] = gb;
      }
      const ar = denseArena([x.length, theta.length, k * ldz, res.length, g0.length]);
      ar.view(0).set(x);
      ar.view(1).set(theta);
      ar.view(3).set(res);
      ar.view(4).set(g0);
      ar.exports.logits(ar.ptr(0), n, i0, nb, d, k, ar.ptr(1), ar.ptr(2), ldz);
      const gotZ = ar.view(2).slice();
      for (let c = 0; c < k; c++) for (let r = nb; r < ldz; r++) gotZ[c * ldz + r] = 0; // padding is not written
      expectSame(gotZ, wantZ, `logits n=${n} d=${d} k=${k} rows ${i0}+${nb}`);
      ar.exports.logregGrad(ar.ptr(0), n, i0, nb, d, k, kp, ar.ptr(3), ar.ptr(4));
      expectSame(ar.view(4), wantG, `logregGrad n=${n} d=${d} k=${k} rows ${i0}+${nb}`);
    }
  });

  it('expArray and logArray equal Math.exp and Math.log (V8\'s fdlibm) bit for bit: random bit patterns, ranges and every branch boundary', () => {
    const rng = new Rng(6);
    const n = 200_000;
    const x = new Float64Array(n);
    const bits = new DataView(new ArrayBuffer(8));
    const special = [0, -0, NaN, Infinity, -Infinity, 1, -1, 2, 0.5, 709, -709, 709.78, 709.8, 710, -708.05, -708.4, -745.13, -745.2, 0.5 * Math.LN2, 1.5 * Math.LN2, -0.5 * Math.LN2, -1.5 * Math.LN2, 2 ** -28, -(2 ** -28), 5e-324, 2.2250738585072014e-308, Math.E];
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (i < special.length) x[i] = special[i] as number;
      else if (u < 0.2) x[i] = (special[i % special.length] as number) * (1 + (rng.next() - 0.5) * 1e-9);
      else if (u < 0.4) x[i] = -rng.next() * 50; // softmax arguments
      else if (u < 0.6) x[i] = (rng.next() - 0.5) * 1500;
      else if (u < 0.7) x[i] = (rng.next() - 0.5) * 2 ** (-20 - rng.next() * 20);
      else {
        bits.setUint32(0, rng.nextUint32(), true);
        bits.setUint32(4, rng.nextUint32(), true);
        x[i] = bits.getFloat64(0, true);
      }
    }
    const ar = denseArena([n, n, n]);
    ar.view(0).set(x);
    ar.exports.expArray(ar.ptr(0), ar.ptr(1), n);
    ar.exports.logArray(ar.ptr(0), ar.ptr(2), n);
    expectSame(ar.view(1), x.map(Math.exp), 'expArray');
    expectSame(ar.view(2), x.map(Math.log), 'logArray');
    // odd count: the last value takes the scalar path
    ar.exports.expArray(ar.ptr(0), ar.ptr(1), 7);
    expectSame(ar.view(1).slice(0, 7), x.slice(0, 7).map(Math.exp), 'expArray n=7');
  });

  it("expArrayF32 rounds to Math.exp's float32 everywhere, near every float32 rounding boundary too, and takes its cheap path for most values", () => {
    const rng = new Rng(16);
    const n = 400_000;
    const x = new Float64Array(n);
    const special = [0, -0, NaN, Infinity, -Infinity, 1, -1, 699.9, 700, -700, -700.1, -709, -745.2, -87.33654, -103.972, -103.28, 88.72, 89, 5e-324, -(2 ** -30)];
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (i < special.length) x[i] = special[i] as number;
      else if (u < 0.5) x[i] = -rng.next() * 30; // RBF kernel arguments
      else if (u < 0.8) {
        // x = log of a float32 rounding boundary (the midpoint of two neighbours), give or take a few ulps
        const f = Math.fround(Math.exp(-rng.next() * 100));
        const next = new Float32Array([f]);
        new Uint32Array(next.buffer)[0]! += 1;
        x[i] = Math.log((f + (next[0] as number)) / 2) + (rng.int(9) - 4) * 2 ** -52;
      } else x[i] = (rng.next() - 0.5) * 1600;
    }
    const ar = denseArena([n, n]);
    ar.view(0).set(x);
    ar.exports.expArrayF32(ar.ptr(0), ar.ptr(1), n);
    const got = ar.view(1);
    let cheap = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.exp(x[i] as number);
      expect(Object.is(Math.fround(got[i] as number), Math.fround(want)), `x = ${x[i]}`).to.equal(true);
      if (!Object.is(got[i], want)) cheap++;
    }
    // the cheap path is taken (its float64 values differ from Math.exp's now and then)
    expect(cheap).to.be.greaterThan(n / 100);
    ar.exports.expArrayF32(ar.ptr(0), ar.ptr(1), 7);
    for (let i = 0; i < 7; i++) expect(Object.is(Math.fround(ar.view(1)[i] as number), Math.fround(Math.exp(x[i] as number)))).to.equal(true);
  });

  it('logregSoftmax: loss, in-place exps and residuals as the plain row loop, odd and even rows and classes', () => {
    const rng = new Rng(7);
    for (const [nb, k, ldz] of [
      [1, 2, 1],
      [7, 5, 9],
      [256, 5, 256],
      [10, 3, 12],
      [5, 4, 5],
    ] as const) {
      const kp = k + (k % 2);
      const z = randArray(rng, k * ldz).map((v) => v * 5);
      const y = new Float64Array(nb).map(() => Math.floor(rng.next() * k));
      const sw = new Float64Array(nb).map(() => 0.5 + rng.next());
      const invN = 1 / 1234;
      const f0 = rng.next();
      const wantZ = z.slice();
      const wantR = new Float64Array(nb * kp);
      let f = f0;
      for (let r = 0; r < nb; r++) {
        let m = -Infinity;
        for (let c = 0, o = r; c < k; c++, o += ldz) if ((wantZ[o] as number) > m) m = wantZ[o] as number;
        const yi = y[r] as number;
        const zy = wantZ[yi * ldz + r] as number;
        let s = 0;
        for (let c = 0, o = r; c < k; c++, o += ldz) {
          const e = Math.exp((wantZ[o] as number) - m);
          wantZ[o] = e;
          s += e;
        }
        const wi = (sw[r] as number) * invN;
        f += wi * (m + Math.log(s) - zy);
        const inv = 1 / s;
        for (let c = 0, o = r; c < k; c++, o += ldz) wantR[r * kp + c] = wi * ((wantZ[o] as number) * inv - (c === yi ? 1 : 0));
      }
      const ar = denseArena([z.length, nb, nb, nb * kp]);
      ar.view(0).set(z);
      ar.view(1).set(y);
      ar.view(2).set(sw);
      const got = ar.exports.logregSoftmax(ar.ptr(0), ldz, nb, k, ar.ptr(1), ar.ptr(2), invN, ar.ptr(3), kp, f0);
      expect(Object.is(got, f), `loss ${got} vs ${f} (nb ${nb}, k ${k})`).to.equal(true);
      const gotZ = ar.view(0).slice();
      for (let c = 0; c < k; c++) for (let r = nb; r < ldz; r++) gotZ[c * ldz + r] = wantZ[c * ldz + r] as number; // rows past nb untouched
      expectSame(gotZ, wantZ, `logregSoftmax exps nb=${nb} k=${k}`);
      expectSame(ar.view(3), wantR, `logregSoftmax residuals nb=${nb} k=${k}`);
    }
  });

  it('softmaxRows: class-major logits to row-major probabilities as softmaxInPlace does', () => {
    const rng = new Rng(8);
    for (const [nb, k, ldz] of [
      [1, 1, 1],
      [1, 2, 3],
      [9, 5, 9],
      [64, 3, 70],
      [4, 6, 4],
    ] as const) {
      const z = randArray(rng, k * ldz).map((v) => v * 8);
      const want = new Float64Array(nb * k);
      for (let r = 0; r < nb; r++) for (let c = 0; c < k; c++) want[r * k + c] = z[c * ldz + r] as number;
      for (let r = 0; r < nb; r++) softmaxInPlace(want, r * k, k);
      const ar = denseArena([z.length, nb * k]);
      ar.view(0).set(z);
      ar.exports.softmaxRows(ar.ptr(0), ldz, nb, k, ar.ptr(1));
      expectSame(ar.view(1), want, `softmaxRows nb=${nb} k=${k}`);
    }
  });

  it('standardize: (v − mean)·inv in place, NaN → 0, and a flag for ±Infinity', () => {
    const rng = new Rng(9);
    for (const [nb, d, ld] of [
      [1, 1, 1],
      [7, 3, 9],
      [64, 20, 64],
      [5, 2, 5],
    ] as const) {
      const x = randArray(rng, d * ld, true);
      const mean = randArray(rng, d);
      const inv = randArray(rng, d).map((v) => 1 / (Math.abs(v) + 0.1));
      const want = x.slice();
      for (let j = 0; j < d; j++) for (let r = 0; r < nb; r++) {
        const v = x[j * ld + r] as number;
        want[j * ld + r] = v !== v ? 0 : (v - (mean[j] as number)) * (inv[j] as number);
      }
      const ar = denseArena([x.length, d, d]);
      ar.view(0).set(x);
      ar.view(1).set(mean);
      ar.view(2).set(inv);
      expect(ar.exports.standardize(ar.ptr(0), ld, nb, d, ar.ptr(1), ar.ptr(2))).to.equal(0);
      expectSame(ar.view(0), want, `standardize nb=${nb} d=${d}`);
      for (const at of [0, nb - 1, (d - 1) * ld + nb - 1]) {
        for (const inf of [Infinity, -Infinity]) {
          ar.view(0).set(x);
          ar.view(0)[at] = inf;
          expect(ar.exports.standardize(ar.ptr(0), ld, nb, d, ar.ptr(1), ar.ptr(2)), `${inf} at ${at}`).to.equal(1);
        }
      }
    }
  });

  it('a kernel module that was not built is a clear error naming the file and the build command', () => {
    expect(() => new WasmArena('no-such-kernel', [1])).to.throw(/no-such-kernel\.wasm is missing .*run `npm run build`/);
  });

  it('arenas are independent: a second instance does not see or disturb the first', () => {
    const a = denseArena([4]);
    a.view(0).set([1, 2, 3, 4]);
    const b = denseArena([4]);
    b.view(0).fill(9);
    expect(Array.from(a.view(0))).to.deep.equal([1, 2, 3, 4]);
  });
});
