import { denseArena } from '../src/core/models/dense-kernels.js';
import { Rng } from '../src/core/util/rng.js';
import { fmt, type Bench, type BenchTable } from './lib.js';

/*
 * The MLP's matrix product z = a·W + bias alone: the JavaScript 4 × 2 register tiles the MLP used
 * before the WebAssembly kernels (kept here, verbatim, as the baseline) against the f64x2 kernel of
 * src/wasm/dense.ts, on the bench network's two layer shapes with a batch of 200 rows. Both run on
 * the same values; the table also says whether the outputs are bit-identical.
 */

const REPS = Number(process.env['MM_BENCH_KERNELS_REPS'] ?? 3000);

/** z (b × nout) = a (b × nin) · W + bias, W = theta[wo ..] row-major (nin × nout), bias at theta[bo ..]. */
function jsMatmulBias(a: Float64Array, theta: Float64Array, wo: number, bo: number, z: Float64Array, b: number, nin: number, nout: number): void {
  const b4 = b - (b % 4);
  const n2 = nout - (nout % 2);
  for (let i = 0; i < b4; i += 4) {
    const a0 = i * nin;
    const a1 = a0 + nin;
    const a2 = a1 + nin;
    const a3 = a2 + nin;
    for (let o = 0; o < n2; o += 2) {
      const bA = theta[bo + o] as number;
      const bB = theta[bo + o + 1] as number;
      let z0A = bA;
      let z0B = bB;
      let z1A = bA;
      let z1B = bB;
      let z2A = bA;
      let z2B = bB;
      let z3A = bA;
      let z3B = bB;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) {
        const wA = theta[wj] as number;
        const wB = theta[wj + 1] as number;
        const v0 = a[a0 + j] as number;
        const v1 = a[a1 + j] as number;
        const v2 = a[a2 + j] as number;
        const v3 = a[a3 + j] as number;
        z0A += v0 * wA;
        z0B += v0 * wB;
        z1A += v1 * wA;
        z1B += v1 * wB;
        z2A += v2 * wA;
        z2B += v2 * wB;
        z3A += v3 * wA;
        z3B += v3 * wB;
      }
      const zo = i * nout + o;
      z[zo] = z0A;
      z[zo + 1] = z0B;
      z[zo + nout] = z1A;
      z[zo + nout + 1] = z1B;
      z[zo + 2 * nout] = z2A;
      z[zo + 2 * nout + 1] = z2B;
      z[zo + 3 * nout] = z3A;
      z[zo + 3 * nout + 1] = z3B;
    }
    for (let o = n2; o < nout; o++) {
      const bA = theta[bo + o] as number;
      let z0 = bA;
      let z1 = bA;
      let z2 = bA;
      let z3 = bA;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) {
        const wA = theta[wj] as number;
        z0 += (a[a0 + j] as number) * wA;
        z1 += (a[a1 + j] as number) * wA;
        z2 += (a[a2 + j] as number) * wA;
        z3 += (a[a3 + j] as number) * wA;
      }
      z[i * nout + o] = z0;
      z[(i + 1) * nout + o] = z1;
      z[(i + 2) * nout + o] = z2;
      z[(i + 3) * nout + o] = z3;
    }
  }
  for (let i = b4; i < b; i++) {
    const ar = i * nin;
    for (let o = 0; o < nout; o++) {
      let s = theta[bo + o] as number;
      for (let j = 0, wj = wo + o; j < nin; j++, wj += nout) s += (a[ar + j] as number) * (theta[wj] as number);
      z[i * nout + o] = s;
    }
  }
}


function timePerCall(fn: () => void, reps: number): number {
  for (let r = 0; r < 50; r++) fn();
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e3 / reps);
  }
  return runs.sort((x, y) => x - y)[2] as number;
}

export const kernelsBench: Bench = {
  name: 'kernels',
  async run(): Promise<BenchTable[]> {
    const rng = new Rng(11);
    const rows: (string | number | null)[][] = [];
    for (const [b, nin, nout] of [
      [200, 20, 100],
      [200, 100, 5],
    ] as const) {
      const theta = new Float64Array(nin * nout + nout).map(() => rng.next() - 0.5);
      const a = new Float64Array(b * nin).map(() => rng.next() - 0.5);
      const zJs = new Float64Array(b * nout);
      const ar = denseArena([a.length, theta.length, b * nout]);
      ar.view(0).set(a);
      ar.view(1).set(theta);
      const [pa, pt, pz] = [ar.ptr(0), ar.ptr(1), ar.ptr(2)];
      const k = ar.exports;
      const js = timePerCall(() => jsMatmulBias(a, theta, 0, nin * nout, zJs, b, nin, nout), REPS);
      const wasm = timePerCall(() => k.matmulBias(pa, pt, pt + 8 * nin * nout, pz, b, nin, nout, 0), REPS);
      const zW = ar.view(2);
      let same = true;
      for (let i = 0; i < zJs.length; i++) if (!Object.is(zJs[i], zW[i])) same = false;
      rows.push([`${b}×${nin} · ${nin}×${nout} + bias`, fmt(js, 1), fmt(wasm, 1), fmt(wasm / js, 2), same ? 'yes' : 'NO']);
    }
    return [
      {
        title: 'dense product alone: JS register tiles vs WebAssembly f64x2 kernel (µs per call, median of 5 × reps)',
        columns: ['product', 'JS µs', 'wasm µs', 'wasm / JS', 'bit-identical'],
        rows,
        notes: [`${REPS} calls per timing (MM_BENCH_KERNELS_REPS), one thread`],
      },
    ];
  },
};
