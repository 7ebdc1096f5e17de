import { WasmArena } from '../util/wasm.js';
import type { Tree } from './tree/tree.js';

/** The walks of src/wasm/tree-predict.ts. Pointers are byte offsets into the arena's memory. */
interface TreePredictKernels {
  pack(feature: number, right: number, leafSlot: number, bin: number, nanLeft: number, nNodes: number, F: number, leafBytes: number, dst: number, vals: number): void;
  widen(src: number, n: number, F: number, dst: number): void;
  accumulate(roots: number, t0: number, t1: number, C: number, xb: number, F: number, n: number, acc: number): void;
  addScores(roots: number, t0: number, t1: number, K: number, xb: number, F: number, n: number, out: number): void;
  normalise(acc: number, n: number, C: number): void;
}

/** Trees whose nodes and leaves need more than this stay on the JavaScript walk. */
const MAX_ARENA_BYTES = 1 << 30;
/** A node's code holds its byte index in the widened row (2F bytes) in 16 bits (see src/wasm/tree-predict.ts). */
const MAX_FEATURES = 1 << 15;
/** Bytes per node (see src/wasm/tree-predict.ts). */
const NODE = 12;
/** Trees walked per kernel call (see TreeWalk.walk). */
const TREES_PER_CALL = 4;
/** Row codes plus accumulators per block, about: bounds the arena whatever the number of rows. */
const BLOCK_BYTES = 1 << 20;

/**
 * One tree as the kernel packs it: nodes in preorder (the left child of a split i is i + 1), feature
 * −1 on leaves, leafSlot the leaf's index into payload (leafBytes per leaf: a float32 class
 * distribution or a float64 score).
 */
export interface WalkTree {
  readonly feature: Int32Array;
  readonly bin: Uint8Array;
  readonly nanLeft: Uint8Array;
  readonly right: Int32Array;
  readonly leafSlot: Int32Array;
  readonly payload: Float32Array | Float64Array;
}

/**
 * Trees packed once into a WebAssembly instance's memory (12-byte nodes, the leaves' payloads), with
 * room for one block of rows and their accumulators (width float64 per row).
 */
export class TreeWalk {
  private constructor(
    readonly arena: WasmArena<TreePredictKernels>,
    readonly nTrees: number,
    readonly F: number,
    readonly width: number,
    readonly blockRows: number,
  ) {}

  /**
   * @returns null when the trees do not fit the kernel (over 32768 features, or nodes and leaves
   *   beyond the arena limit): the caller then walks them in JavaScript
   */
  static create(trees: readonly WalkTree[], F: number, width: number): TreeWalk | null {
    if (F < 1 || F > MAX_FEATURES || trees.length === 0) return null;
    let nodes = 0;
    let payload = 0;
    let maxNodes = 0;
    for (const t of trees) {
      nodes += t.feature.length;
      payload += t.payload.byteLength;
      maxNodes = Math.max(maxNodes, t.feature.length);
    }
    const blockRows = Math.max(16, Math.min(4096, Math.floor(BLOCK_BYTES / (3 * F + 8 * width))));
    // regions (float64 units): nodes, leaf payloads, roots (uint32), row codes, widened row codes,
    // accumulators, one tree's arrays while it is packed (int32 feature, right, leafSlot, uint8 bin, nanLeft)
    const i32s = Math.ceil(maxNodes / 2);
    const u8s = Math.ceil(maxNodes / 8);
    const lengths = [Math.ceil((nodes * NODE) / 8), Math.ceil(payload / 8), Math.ceil(trees.length / 2), Math.ceil((blockRows * F) / 8), Math.ceil((blockRows * 2 * F) / 8), blockRows * width, i32s, i32s, i32s, u8s, u8s];
    if (lengths.reduce((s, l) => s + l + 2, 0) * 8 > MAX_ARENA_BYTES) return null;
    const arena = new WasmArena<TreePredictKernels>('tree-predict', lengths);
    const buf = arena.f64.buffer;
    const payloadBytes = new Uint8Array(buf, arena.ptr(1), payload);
    const roots = new Uint32Array(buf, arena.ptr(2), trees.length);
    const [pf, pr, pl, pb, pn] = [6, 7, 8, 9, 10].map((r) => arena.ptr(r)) as [number, number, number, number, number];
    let node = 0;
    let at = 0;
    for (let ti = 0; ti < trees.length; ti++) {
      const t = trees[ti] as WalkTree;
      const nn = t.feature.length;
      const dst = arena.ptr(0) + NODE * node;
      roots[ti] = dst;
      // a model's trees all carry one payload type, so float64 scores stay 8-byte aligned
      payloadBytes.set(new Uint8Array(t.payload.buffer, t.payload.byteOffset, t.payload.byteLength), at);
      new Int32Array(buf, pf, nn).set(t.feature);
      new Int32Array(buf, pr, nn).set(t.right);
      new Int32Array(buf, pl, nn).set(t.leafSlot);
      new Uint8Array(buf, pb, nn).set(t.bin);
      new Uint8Array(buf, pn, nn).set(t.nanLeft);
      arena.exports.pack(pf, pr, pl, pb, pn, nn, F, t.payload.BYTES_PER_ELEMENT * (t.payload instanceof Float32Array ? width : 1), dst, arena.ptr(1) + at);
      node += nn;
      at += t.payload.byteLength;
    }
    return new TreeWalk(arena, trees.length, F, width, blockRows);
  }

  /** The accumulators of the current block (blockRows × width float64). */
  get acc(): Float64Array {
    return this.arena.view(5);
  }

  /** Copy rows [i0, i0 + m) of xb (row-major, F codes per row, see binRows) into the arena, widened. */
  loadRows(xb: Uint8Array, i0: number, m: number): void {
    const { arena, F } = this;
    new Uint8Array(arena.f64.buffer, arena.ptr(3), m * F).set(xb.subarray(i0 * F, (i0 + m) * F));
    arena.exports.widen(arena.ptr(3), m, F, arena.ptr(4));
  }

  /** Walk the loaded m rows through trees [0, t1) with `kernel`, into the accumulators. */
  walk(kernel: 'accumulate' | 'addScores', t1: number, m: number): void {
    const { arena, F, width } = this;
    const run = arena.exports[kernel];
    // a few trees per call: V8 first runs a kernel as baseline code and swaps in its optimised code
    // (compiled in the background once the kernel is hot) only for later calls
    for (let t0 = 0; t0 < t1; t0 += TREES_PER_CALL) run(arena.ptr(2), t0, Math.min(t1, t0 + TREES_PER_CALL), width, arena.ptr(4), F, m, arena.ptr(5));
  }

  /** Divide each of the first m accumulator rows by its sum (summed in class order). */
  normalise(m: number): void {
    this.arena.exports.normalise(this.arena.ptr(5), m, this.width);
  }
}

/**
 * A forest's trees in the WebAssembly walk (float32 leaf distributions): probabilities identical to
 * the bit to forestProbaJs.
 */
export class ForestWasm {
  private constructor(private readonly w: TreeWalk) {}

  /**
   * Pack the trees of a forest over F features and C classes.
   * @returns null when the forest does not fit the kernel (see TreeWalk.create)
   */
  static create(trees: readonly Tree[], F: number, C: number): ForestWasm | null {
    const w = TreeWalk.create(
      trees.map((t) => ({ feature: t.feature, bin: t.bin, nanLeft: t.nanLeft, right: t.right, leafSlot: t.leafSlot, payload: t.leafProba })),
      F,
      C,
    );
    return w === null ? null : new ForestWasm(w);
  }

  /**
   * Class probabilities of n rows binned row-major (xb, F codes per row, see binRows), written to out
   * (n × C, row-major): the leaf distributions added tree by tree, each row divided by its sum.
   */
  predict(xb: Uint8Array, n: number, out: Float64Array): void {
    const { w } = this;
    const C = w.width;
    const acc = w.acc;
    for (let i0 = 0; i0 < n; i0 += w.blockRows) {
      const m = Math.min(w.blockRows, n - i0);
      w.loadRows(xb, i0, m);
      acc.fill(0, 0, m * C);
      w.walk('accumulate', w.nTrees, m);
      w.normalise(m);
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
