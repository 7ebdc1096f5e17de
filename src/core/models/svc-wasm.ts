import { WasmArena } from '../util/wasm.js';
import type { SmoProblem, SmoResult } from './optim/smo.js';

/** The kernels of src/wasm/svc.ts (pointers are byte offsets into the arena's memory). */
interface SvcKernels {
  gather(K: number, ld: number, idx: number, l: number, dst: number): void;
  smo(K: number, ld: number, l: number, y: number, cPos: number, cNeg: number, eps: number, maxIter: number, alpha: number, G: number, QD: number, out: number): void;
}

// arena regions (float64 units)
const R_K = 0;
const R_SUB = 1;
const R_Y = 2;
const R_ALPHA = 3;
const R_G = 4;
const R_QD = 5;
const R_IDX = 6;
const R_OUT = 7;

/**
 * One SVC fit's WebAssembly memory: the float32 kernel matrix of the current class pair (m × m, at
 * most maxM rows), room for a gathered sub-kernel of up to maxL rows, and the solver's vectors.
 * `solve` returns what solveSmo returns for the same problem, to the bit (see src/wasm/svc.ts).
 */
export class SvcWasm {
  private constructor(
    private readonly arena: WasmArena<SvcKernels>,
    private readonly maxM: number,
    private readonly maxL: number,
  ) {}

  /**
   * @returns null when the arena would not fit WebAssembly's 4 GiB (the caller uses the JavaScript
   * solver on its own kernel matrix)
   */
  static create(maxM: number, maxL: number): SvcWasm | null {
    const half = (v: number): number => Math.ceil(v / 2);
    const f64Units = half(maxM * maxM) + half(maxL * maxL) + 4 * maxM + half(maxM) + 2;
    if (f64Units * 8 > 3.5 * 2 ** 30) return null;
    const arena = new WasmArena<SvcKernels>('svc', [half(maxM * maxM), half(maxL * maxL), maxM, maxM, maxM, maxM, half(maxM), 2]);
    return new SvcWasm(arena, maxM, maxL);
  }

  /** The kernel matrix region as an m × m row-major float32 matrix (m ≤ maxM); valid until the next kernelView. */
  kernelView(m: number): Float32Array {
    if (m > this.maxM) throw new RangeError(`svc kernels: ${m} rows, the arena holds ${this.maxM}`);
    return new Float32Array(this.arena.f64.buffer, this.arena.ptr(R_K), m * m);
  }

  /** solveSmo on p, whose K must be this arena's kernelView(p.m). */
  solve(p: SmoProblem): SmoResult {
    const { arena } = this;
    const { m, idx } = p;
    const l = idx.length;
    let identity = l === m;
    for (let t = 0; identity && t < l; t++) identity = idx[t] === t;
    let kPtr = arena.ptr(R_K);
    if (!identity) {
      if (l > this.maxL) throw new RangeError(`svc kernels: a sub-problem of ${l} rows, the arena holds ${this.maxL}`);
      new Int32Array(arena.f64.buffer, arena.ptr(R_IDX), l).set(idx);
      arena.exports.gather(kPtr, m, arena.ptr(R_IDX), l, arena.ptr(R_SUB));
      kPtr = arena.ptr(R_SUB);
    }
    const yv = arena.view(R_Y);
    for (let t = 0; t < l; t++) yv[t] = p.y[t] as number;
    arena.exports.smo(kPtr, identity ? m : l, l, arena.ptr(R_Y), p.cPos, p.cNeg, p.eps, p.maxIter, arena.ptr(R_ALPHA), arena.ptr(R_G), arena.ptr(R_QD), arena.ptr(R_OUT));
    const out = arena.view(R_OUT);
    return { alpha: arena.view(R_ALPHA).slice(0, l), rho: out[0] as number, iterations: out[1] as number };
  }
}
