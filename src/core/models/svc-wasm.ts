import { WasmArena } from '../util/wasm.js';
import type { SmoProblem, SmoResult } from './optim/smo.js';

/** The kernels of src/wasm/svc.ts (pointers are byte offsets into the arena's memory). */
interface SvcKernels {
  gather(K: number, ld: number, idx: number, l: number, dst: number): void;
  kernelMatrix(xT: number, m: number, d: number, ng: number, K: number, buf: number, prow: number): void;
  crossBlock(xa: number, na: number, xbT: number, nb: number, d: number, ng: number, dst: number, buf: number): void;
  assemble(K: number, m: number, side: number, pos: number, src: number, Da: number, na: number, Db: number, nb: number, X: number, XT: number, tmp: number): void;
  kernelRows(q: number, nb: number, svT: number, ns: number, d: number, ng: number, kv: number): void;
  decisionsF32(M: number, ld: number, rows: number, nr: number, cols: number, coef: number, nc: number, rho: number, out: number): void;
  decisionsF64(M: number, ld: number, rows: number, nr: number, cols: number, coef: number, nc: number, rho: number, out: number): void;
  smo(K: number, ld: number, l: number, y: number, cPos: number, cNeg: number, eps: number, maxIter: number, alpha: number, H: number, QD: number, out: number, notUp: number, notLow: number, S: number): void;
}

// arena regions (float64 units)
const R_K = 0;
const R_SUB = 1;
const R_Y = 2;
const R_ALPHA = 3;
// the solver's y·G (see smo in src/wasm/svc.ts)
const R_H = 4;
const R_QD = 5;
const R_IDX = 6;
const R_OUT = 7;
const R_XT = 8;
const R_BUF = 9;
const R_PROW = 10;
// the solver's index-set masks (all ones outside I_up / I_low)
const R_UP = 11;
const R_LOW = 12;
const R_ROWS = 13;
const R_COLS = 14;
const R_COEF = 15;
const R_DEC = 16;
const R_DIAG = 17;
const R_CROSS = 18;
const R_XA = 19;
const R_SIDE = 20;
const R_POS = 21;
const R_SRC = 22;
const R_XTB = 23;
const R_TMP = 24;
// the solver's j-selection values
const R_SEL = 25;

/** Queries per kernelRows call in predictDecisions. */
const BLOCK = 256;

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
    private readonly d: number,
  ) {}

  /** Float32 offset of each class's own block in R_DIAG (set by classBlocks). */
  private diagAt: number[] = [];

  /**
   * `counts`: rows per class of the fit, for the class blocks of classBlocks/pairKernel (none: the
   * arena only solves, on kernel matrices written into kernelView).
   * @returns null when the arena would not fit WebAssembly's 4 GiB (the caller uses the JavaScript
   * solver on its own kernel matrix)
   */
  static create(maxM: number, maxL: number, d = 1, counts: readonly number[] = []): SvcWasm | null {
    const half = (v: number): number => Math.ceil(v / 2);
    let diag = 0;
    let cross = 0;
    let maxClass = 0;
    for (let a = 0; a < counts.length; a++) {
      const na = counts[a] as number;
      diag += na * na;
      maxClass = Math.max(maxClass, na);
      for (let b = a + 1; b < counts.length; b++) cross = Math.max(cross, na * (counts[b] as number));
    }
    const lengths = [
      half(maxM * maxM),
      half(maxL * maxL),
      maxM,
      maxM,
      maxM,
      maxM,
      half(maxM),
      2,
      d * maxM,
      maxM,
      d,
      maxM,
      maxM,
      half(maxM),
      half(maxM),
      maxM,
      maxM,
      half(diag),
      half(cross),
      d * maxClass,
      half(maxM),
      half(maxM),
      half(maxM),
      half(cross),
      half(maxM),
      maxM,
    ];
    let f64Units = 0;
    for (const len of lengths) f64Units += len + 1;
    if (f64Units * 8 > 3.5 * 2 ** 30) return null;
    return new SvcWasm(new WasmArena<SvcKernels>('svc', lengths), maxM, maxL, d);
  }

  /**
   * Each class's own kernel block (kernelMatrix of its rows, in row order), computed once per fit:
   * with k classes every block serves k − 1 pairs, so pairKernel computes only the cross blocks.
   */
  classBlocks(x: Float64Array, rowsByClass: readonly Int32Array[], gamma: number): void {
    const { arena, d } = this;
    const xT = arena.view(R_XT);
    this.diagAt = [];
    let at = 0;
    for (const rows of rowsByClass) {
      const n = rows.length;
      for (let t = 0; t < n; t++) {
        const o = (rows[t] as number) * d;
        for (let j = 0; j < d; j++) xT[j * n + t] = x[o + j] as number;
      }
      this.diagAt.push(at);
      if (n > 0) arena.exports.kernelMatrix(arena.ptr(R_XT), n, d, -gamma, arena.ptr(R_DIAG) + at * 4, arena.ptr(R_BUF), arena.ptr(R_PROW));
      at += n * n;
    }
  }

  /**
   * Pair (a, b)'s kernel matrix over `members` (the rows of both classes in row order; posOf[i] is
   * row i's position in its class) into kernelView(m), from classBlocks' blocks and the a × b cross
   * block: entry for entry what svc.ts's plain kernelMatrix gives for the same members.
   */
  pairKernel(x: Float64Array, rowsByClass: readonly Int32Array[], a: number, b: number, members: readonly number[], y: Uint8Array, posOf: Int32Array, gamma: number): Float32Array {
    const { arena, d } = this;
    const ra = rowsByClass[a] as Int32Array;
    const rb = rowsByClass[b] as Int32Array;
    const na = ra.length;
    const nb = rb.length;
    const xa = arena.view(R_XA);
    for (let s = 0; s < na; s++) xa.set(x.subarray((ra[s] as number) * d, ((ra[s] as number) + 1) * d), s * d);
    const xbT = arena.view(R_XT);
    for (let t = 0; t < nb; t++) {
      const o = (rb[t] as number) * d;
      for (let j = 0; j < d; j++) xbT[j * nb + t] = x[o + j] as number;
    }
    arena.exports.crossBlock(arena.ptr(R_XA), na, arena.ptr(R_XT), nb, d, -gamma, arena.ptr(R_CROSS), arena.ptr(R_BUF));
    const m = members.length;
    const side = new Int32Array(arena.f64.buffer, arena.ptr(R_SIDE), m);
    const pos = new Int32Array(arena.f64.buffer, arena.ptr(R_POS), m);
    const src = new Int32Array(arena.f64.buffer, arena.ptr(R_SRC), m);
    for (let t = 0; t < m; t++) {
      const i = members[t] as number;
      const inA = y[i] === a;
      side[t] = inA ? 0 : 1;
      pos[t] = posOf[i] as number;
      src[t] = inA ? (posOf[i] as number) : na + (posOf[i] as number);
    }
    const diag = arena.ptr(R_DIAG);
    arena.exports.assemble(
      arena.ptr(R_K),
      m,
      arena.ptr(R_SIDE),
      arena.ptr(R_POS),
      arena.ptr(R_SRC),
      diag + (this.diagAt[a] as number) * 4,
      na,
      diag + (this.diagAt[b] as number) * 4,
      nb,
      arena.ptr(R_CROSS),
      arena.ptr(R_XTB),
      arena.ptr(R_TMP),
    );
    return this.kernelView(m);
  }

  /** The kernel matrix region as an m × m row-major float32 matrix (m ≤ maxM); valid until the next kernelView. */
  kernelView(m: number): Float32Array {
    if (m > this.maxM) throw new RangeError(`svc kernels: ${m} rows, the arena holds ${this.maxM}`);
    return new Float32Array(this.arena.f64.buffer, this.arena.ptr(R_K), m * m);
  }

  /**
   * Decision values of the held-out rows `rows` of kernelView(m): out[r] = −rho + Σₛ coef[s]·K[rows[r]][cols[s]]
   * (s < nc, in order), as svc.ts's plain loop; the result is valid until the next call.
   */
  decisions(m: number, rows: Int32Array, cols: Int32Array, coef: Float64Array, nc: number, rho: number): Float64Array {
    const { arena } = this;
    const nr = rows.length;
    if (nr > this.maxM || nc > this.maxM) throw new RangeError(`svc kernels: ${nr} rows × ${nc} columns, the arena holds ${this.maxM}`);
    new Int32Array(arena.f64.buffer, arena.ptr(R_ROWS), nr).set(rows);
    new Int32Array(arena.f64.buffer, arena.ptr(R_COLS), nc).set(cols.subarray(0, nc));
    arena.view(R_COEF).set(coef.subarray(0, nc));
    arena.exports.decisionsF32(arena.ptr(R_K), m, arena.ptr(R_ROWS), nr, arena.ptr(R_COLS), arena.ptr(R_COEF), nc, rho, arena.ptr(R_DEC));
    return arena.view(R_DEC).subarray(0, nr);
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
    arena.exports.smo(kPtr, identity ? m : l, l, arena.ptr(R_Y), p.cPos, p.cNeg, p.eps, p.maxIter, arena.ptr(R_ALPHA), arena.ptr(R_H), arena.ptr(R_QD), arena.ptr(R_OUT), arena.ptr(R_UP), arena.ptr(R_LOW), arena.ptr(R_SEL));
    const out = arena.view(R_OUT);
    return { alpha: arena.view(R_ALPHA).slice(0, l), rho: out[0] as number, iterations: out[1] as number };
  }
}

/** One one-vs-one machine's decision function: −rho + Σ coef[t]·K(x, sv[t]). */
export interface PairDecision {
  sv: Int32Array;
  coef: Float64Array;
  rho: number;
}

/**
 * Calls fn(i0, i1, dec) for consecutive blocks of the n queries (row-major x, d features), with
 * dec[q·(i1 − i0) + (i − i0)] the decision value of pair q for query i: −rho + Σₜ coef[t]·exp(−gamma ·
 * ‖x[i] − sv[sv[t]]‖²), bit for bit SvcModel.predictProba's plain loops (each kernel row's distances
 * summed in feature order, exp as Math.exp; the decision sum in t order). dec is only valid during the call.
 * @returns false (fn never called) when the support vectors and a block's rows do not fit the arena
 */
export function predictDecisions(
  x: Float64Array,
  n: number,
  sv: Float64Array,
  ns: number,
  d: number,
  gamma: number,
  pairs: readonly PairDecision[],
  fn: (i0: number, i1: number, dec: Float64Array) => void,
): boolean {
  const nb = Math.min(BLOCK, n);
  let total = 0;
  for (const p of pairs) total += p.sv.length;
  const half = (v: number): number => Math.ceil(v / 2);
  if ((ns * d + nb * d + nb * ns + half(nb) + half(total) + total + pairs.length * nb) * 8 > 3.5 * 2 ** 30) return false;
  const arena = new WasmArena<SvcKernels>('svc', [ns * d, nb * d, nb * ns, half(nb), half(total), total, pairs.length * nb]);
  const svT = arena.view(0);
  for (let s = 0; s < ns; s++) for (let j = 0; j < d; j++) svT[j * ns + s] = sv[s * d + j] as number;
  const q = arena.view(1);
  const rows = new Int32Array(arena.f64.buffer, arena.ptr(3), nb);
  for (let r = 0; r < nb; r++) rows[r] = r;
  const cols = new Int32Array(arena.f64.buffer, arena.ptr(4), total);
  const coef = arena.view(5);
  const offsets: number[] = [];
  let at = 0;
  for (const p of pairs) {
    offsets.push(at);
    cols.set(p.sv, at);
    coef.set(p.coef, at);
    at += p.sv.length;
  }
  const dec = arena.view(6);
  for (let i0 = 0; i0 < n; i0 += nb) {
    const i1 = Math.min(n, i0 + nb);
    const m = i1 - i0;
    q.set(x.subarray(i0 * d, i1 * d));
    arena.exports.kernelRows(arena.ptr(1), m, arena.ptr(0), ns, d, -gamma, arena.ptr(2));
    for (let p = 0; p < pairs.length; p++) {
      const pr = pairs[p] as PairDecision;
      const o = offsets[p] as number;
      arena.exports.decisionsF64(arena.ptr(2), ns, arena.ptr(3), m, arena.ptr(4) + o * 4, arena.ptr(5) + o * 8, pr.sv.length, pr.rho, arena.ptr(6) + p * m * 8);
    }
    fn(i0, i1, dec.subarray(0, pairs.length * m));
  }
  return true;
}
