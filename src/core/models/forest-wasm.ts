import { WasmArena } from '../util/wasm.js';
import type { Tree } from './tree/tree.js';

/** The walks of src/wasm/tree-predict.ts. Pointers are byte offsets into the arena's memory. */
interface TreePredictKernels {
  pack(feature: number, right: number, leafSlot: number, bin: number, nanLeft: number, nNodes: number, F: number, C: number, dst: number, vals: number): void;
  widen(src: number, n: number, F: number, dst: number): void;
  accumulate(roots: number, t0: number, t1: number, C: number, xb: number, F: number, n: number, acc: number): void;
  normalise(acc: number, n: number, C: number): void;
}

/** Forests whose nodes and leaves need more than this stay on the JavaScript walk. */
const MAX_ARENA_BYTES = 1 << 30;
/** A node's code holds its byte index in the widened row (2F bytes) in 16 bits (see src/wasm/tree-predict.ts). */
const MAX_FEATURES = 1 << 15;
/** Bytes per node (see src/wasm/tree-predict.ts). */
const NODE = 12;
/** Trees walked per kernel call (see predict). */
const TREES_PER_CALL = 4;
/** Row codes plus accumulators per block, about: bounds the arena whatever the number of rows. */
const BLOCK_BYTES = 1 << 20;

/**
 * A forest's trees packed once into a WebAssembly instance's memory (12-byte nodes, float32 leaf
 * distributions), walked there for blocks of rows: probabilities identical to the bit to
 * forestProbaJs.
 */
export class ForestWasm {
  private constructor(
    private readonly arena: WasmArena<TreePredictKernels>,
    private readonly nTrees: number,
    private readonly F: number,
    private readonly C: number,
    private readonly blockRows: number,
  ) {}

  /**
   * Pack the trees of a forest over F features and C classes.
   * @returns null when the forest does not fit the kernel (too many features, or nodes and leaves
   *   beyond the arena limit): the caller then uses forestProbaJs
   */
  static create(trees: readonly Tree[], F: number, C: number): ForestWasm | null {
    if (F < 1 || F > MAX_FEATURES || trees.length === 0) return null;
    let nodes = 0;
    let vals = 0;
    for (const t of trees) {
      nodes += t.nNodes;
      vals += t.leafProba.length;
    }
    const blockRows = Math.max(16, Math.min(4096, Math.floor(BLOCK_BYTES / (3 * F + 8 * C))));
    let maxNodes = 0;
    for (const t of trees) maxNodes = Math.max(maxNodes, t.nNodes);
    // regions (float64 units): nodes, leaf distributions (float32), roots (uint32), row codes,
    // widened row codes, accumulators, one tree's arrays while it is packed (int32 feature, right,
    // leafSlot, uint8 bin, nanLeft)
    const i32s = Math.ceil(maxNodes / 2);
    const u8s = Math.ceil(maxNodes / 8);
    const lengths = [Math.ceil((nodes * NODE) / 8), Math.ceil(vals / 2), Math.ceil(trees.length / 2), Math.ceil((blockRows * F) / 8), Math.ceil((blockRows * 2 * F) / 8), blockRows * C, i32s, i32s, i32s, u8s, u8s];
    if (lengths.reduce((s, l) => s + l + 2, 0) * 8 > MAX_ARENA_BYTES) return null;
    const arena = new WasmArena<TreePredictKernels>('tree-predict', lengths);
    const buf = arena.f64.buffer;
    const leafVals = new Float32Array(buf, arena.ptr(1), vals);
    const roots = new Uint32Array(buf, arena.ptr(2), trees.length);
    const [pf, pr, pl, pb, pn] = [6, 7, 8, 9, 10].map((r) => arena.ptr(r)) as [number, number, number, number, number];
    let node = 0;
    let val = 0;
    for (let ti = 0; ti < trees.length; ti++) {
      const t = trees[ti] as Tree;
      const nn = t.nNodes;
      const at = arena.ptr(0) + NODE * node;
      roots[ti] = at;
      leafVals.set(t.leafProba, val);
      new Int32Array(buf, pf, nn).set(t.feature);
      new Int32Array(buf, pr, nn).set(t.right);
      new Int32Array(buf, pl, nn).set(t.leafSlot);
      new Uint8Array(buf, pb, nn).set(t.bin);
      new Uint8Array(buf, pn, nn).set(t.nanLeft);
      arena.exports.pack(pf, pr, pl, pb, pn, nn, F, C, at, arena.ptr(1) + 4 * val);
      node += nn;
      val += t.leafProba.length;
    }
    return new ForestWasm(arena, trees.length, F, C, blockRows);
  }

  /**
   * Class probabilities of n rows binned row-major (xb, F codes per row, see binRows), written to out
   * (n × C, row-major): the leaf distributions added tree by tree, each row divided by its sum.
   */
  predict(xb: Uint8Array, n: number, out: Float64Array): void {
    const { arena, F, C, blockRows } = this;
    const ex = arena.exports;
    const codes = new Uint8Array(arena.f64.buffer, arena.ptr(3), blockRows * F);
    const acc = arena.view(5);
    for (let i0 = 0; i0 < n; i0 += blockRows) {
      const m = Math.min(blockRows, n - i0);
      codes.set(xb.subarray(i0 * F, (i0 + m) * F));
      ex.widen(arena.ptr(3), m, F, arena.ptr(4));
      acc.fill(0, 0, m * C);
      // a few trees per call: V8 first runs a kernel as baseline code and swaps in its optimised code
      // (compiled in the background once the kernel is hot) only for later calls
      for (let t0 = 0; t0 < this.nTrees; t0 += TREES_PER_CALL) ex.accumulate(arena.ptr(2), t0, Math.min(this.nTrees, t0 + TREES_PER_CALL), C, arena.ptr(4), F, m, arena.ptr(5));
      ex.normalise(arena.ptr(5), m, C);
      out.set(acc.subarray(0, m * C), i0 * C);
    }
  }
}

/**
 * The JavaScript walk (the reference for ForestWasm and the fallback when a forest does not fit it):
 * each tree's leaf distributions added row by row in tree order, then each row divided by its sum.
 */
export function forestProbaJs(trees: readonly Tree[], xb: Uint8Array, F: number, n: number, C: number): Float64Array {
  const acc = new Float64Array(n * C);
  for (const t of trees) t.accumulateBinned(xb, F, n, acc);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < C; k++) s += acc[i * C + k] as number;
    // divide by the row sum rather than nTrees so Float32 leaf rounding cannot leave a row off 1
    for (let k = 0; k < C; k++) acc[i * C + k] = (acc[i * C + k] as number) / s;
  }
  return acc;
}
