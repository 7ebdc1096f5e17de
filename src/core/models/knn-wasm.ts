import { WasmArena } from '../util/wasm.js';
import { buildPcaIndex, COV_ROWS, MAX_DEFECT, MAX_DIMS, type HeapBlock, type PcaIndex } from './knn-search.js';

/**
 * The pruned search of src/wasm/knn.ts: the same neighbours, in the same heap layout, as
 * prunedSearch and bruteSearch (see knn-search.ts), with the first filter in float32 SIMD over 12
 * leading rotated coordinates. Pointers are byte offsets into the arena's memory.
 */
interface KnnKernels {
  search(q: number, pq: number, pq32: number, qinfo: number, nq: number, d: number, tx: number, rest32: number, qrest32: number, nr: number, lead32: number, tt32: number, nt: number, k: number, hd: number, hi: number, lanes: number): void;
  rotate(x: number, axesT: number, out: number, n: number, d: number): void;
  pcaAxes(x: number, nt: number, d: number, ns: number, axes: number, scratch: number): number;
  rowNorms(x: number, nt: number, d: number, norms: number): number;
  layout(rot: number, norms: number, nt: number, d: number, nr: number, lead32: number, tt32: number, rest32: number): void;
  prepare(q: number, axesT: number, pq: number, pq32: number, qrest32: number, qinfo: number, nq: number, d: number, nr: number, maxNorm: number, limit: number): number;
}

/** Leading rotated coordinates in the float32 filter (as in src/wasm/knn.ts). */
const LEAD32 = 12;
/**
 * The float32 filter's widening (as in src/wasm/knn.ts). With u, v the float64 rotated coordinates
 * of query and row (a < 12) and B = Σ(u − v)², the kernel compares s = fl32(T + Σ fl32(u)·fl32(−2v))
 * (T = fl32(Σv² − REL32·‖t‖²), summed one term at a time) with L = fl32(thr·(1 + REL32) +
 * REL32·‖q‖² − Σu²), thr the float64 search's threshold. Each float32 rounding is ≤ 2⁻²⁴ ≈ 6e-8
 * relative: 15 of them over terms whose magnitudes add up to ≤ 2.1·(‖q‖² + ‖t‖²) (2|uv| ≤ u² + v²),
 * so s and L are off by at most ~2.1e-6·(thr + ‖q‖² + ‖t‖²), 45 times less than the widening: s > L
 * implies B > thr, and such a row cannot enter the heap.
 */
const REL32 = 1e-4;
/**
 * Rotated coordinates and norms beyond this stay far inside float32's range (3.4e38) even squared
 * and summed, so the float32 filter cannot overflow; larger values use the float64 search.
 */
const F32_SAFE = 1e15;

/** Larger training sets use the float64 JavaScript search (no second copy of the rows). */
const MAX_ARENA_BYTES = 1 << 30;

/** Queries per kernel call (the arena holds this many). */
const BLOCK = 256;

/**
 * A kernel instance holding one model's training rows (rotated by the kernel), reused for every
 * block of one predict call.
 */
export class KnnWasm {
  private constructor(
    private readonly arena: WasmArena<KnnKernels>,
    private readonly d: number,
    private readonly nt: number,
    private readonly k: number,
    private readonly maxNorm: number,
    /** float32 rotated coordinates per row past the lead (d − 12 rounded up to four, or 0) */
    private readonly nr: number,
  ) {}

  /**
   * The kernel over nt scaled training rows tx (row-major, d features). `known`: the model's pruning
   * index if built already (null: none can be), else undefined, and then the kernel builds it (the
   * same numbers as buildPcaIndex, computed in WebAssembly).
   * @returns the index (for the model to keep) and the kernel, which is null when there is no index,
   *   when a training row is too large for the float32 filter or the rows for the arena (the caller
   *   then uses prunedSearch or brute force)
   */
  static create(tx: Float64Array, nt: number, d: number, k: number, known: PcaIndex | null | undefined): { kw: KnnWasm | null; ix: PcaIndex | null } {
    if (known === null || d < 1 || d > MAX_DIMS) return { kw: null, ix: null };
    // two float64 copies of the rows plus the float32 coordinates and the norms: keep far inside wasm32's 4 GiB
    if ((2 * nt * d + 8 * nt + Math.ceil((nt * d) / 2)) * 8 > MAX_ARENA_BYTES) return { kw: null, ix: known ?? buildPcaIndex(tx, nt, d) };
    if (known !== undefined && !(known.maxNorm <= F32_SAFE * F32_SAFE)) return { kw: null, ix: known };
    const dp = d + (d & 1);
    const nr = (Math.max(0, d - LEAD32) + 3) & ~3;
    // regions (float64 units): tx, pt, lead32, tt32, q, pq, pq32, qinfo, hd, hi, lanes, axesT, rest32,
    // qrest32, norms, axes, scratch
    const arena = new WasmArena<KnnKernels>('knn', [nt * d, nt * d, ((nt + 15) >> 4) * 8 * LEAD32, ((nt + 15) >> 4) * 8, BLOCK * d, BLOCK * d, (BLOCK * LEAD32) / 2, BLOCK * 3, BLOCK * k, BLOCK * k, BLOCK * 8 + 8, d * dp, (nt * nr) / 2, (BLOCK * nr) / 2, nt, d * d, 3 * d * d + 3 * d]);
    arena.view(0).set(tx);
    let ix = known;
    if (ix === undefined) {
      const defect = arena.exports.pcaAxes(arena.ptr(0), nt, d, Math.min(nt, COV_ROWS), arena.ptr(15), arena.ptr(16));
      if (!(defect <= MAX_DEFECT)) return { kw: null, ix: null };
      const maxNorm = arena.exports.rowNorms(arena.ptr(0), nt, d, arena.ptr(14));
      ix = { d, nt, axes: arena.view(15).slice(), maxNorm, norms: arena.view(14).slice(), js: null };
    } else arena.view(14).set(ix.norms);
    if (!(ix.maxNorm <= F32_SAFE * F32_SAFE)) return { kw: null, ix };
    const axesT = arena.view(11);
    for (let a = 0; a < d; a++) for (let j = 0; j < d; j++) axesT[j * dp + a] = ix.axes[a * d + j] as number;
    // in chunks, so that V8's optimised code (ready after the first calls) rotates most rows
    for (let r0 = 0; r0 < nt; r0 += 1024) arena.exports.rotate(arena.ptr(0) + r0 * d * 8, arena.ptr(11), arena.ptr(1) + r0 * d * 8, Math.min(1024, nt - r0), d);
    arena.exports.layout(arena.ptr(1), arena.ptr(14), nt, d, nr, arena.ptr(2), arena.ptr(3), arena.ptr(12));
    return { kw: new KnnWasm(arena, d, nt, k, ix.maxNorm, nr), ix };
  }

  /**
   * Queries [i0, i1) of q (row-major, scaled; i1 − i0 ≤ 256) into heaps b, exactly as prunedSearch
   * would leave them.
   * @returns false (heaps untouched) when a query's values are too large for the float32 filter
   */
  search(q: Float64Array, i0: number, i1: number, b: HeapBlock): boolean {
    const { arena, d, k } = this;
    const nq = i1 - i0;
    arena.view(4).set(q.subarray(i0 * d, i1 * d));
    if (arena.exports.prepare(arena.ptr(4), arena.ptr(11), arena.ptr(5), arena.ptr(6), arena.ptr(13), arena.ptr(7), nq, d, this.nr, this.maxNorm, F32_SAFE * F32_SAFE) === 0) return false;
    arena.exports.search(arena.ptr(4), arena.ptr(5), arena.ptr(6), arena.ptr(7), nq, d, arena.ptr(0), arena.ptr(12), arena.ptr(13), this.nr, arena.ptr(2), arena.ptr(3), this.nt, k, arena.ptr(8), arena.ptr(9), arena.ptr(10));
    // rows come as whole float64 numbers: set() converts them to int32 exactly
    b.hd.set(arena.view(8).subarray(0, nq * k));
    b.hi.set(arena.view(9).subarray(0, nq * k));
    return true;
  }
}
