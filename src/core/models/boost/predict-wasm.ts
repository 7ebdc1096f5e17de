import { TreeWalk, type WalkTree } from '../forest-wasm.js';
import type { RegTree } from './reg-tree.js';

/**
 * A booster's regression trees in the WebAssembly walk of src/wasm/tree-predict.ts (the forest's
 * walk, leaves carrying a float64 score): each tree adds its leaf's score into its class's column in
 * tree order, the additions of RegTree.addRowBinned, so the raw scores are identical to the bit.
 */
export class BoostWasm {
  private constructor(private readonly w: TreeWalk) {}

  /**
   * Pack the trees (round-major, K per round) of a booster over F features.
   * @returns null when they do not fit the kernel (see TreeWalk.create)
   */
  static create(trees: readonly RegTree[], F: number, K: number): BoostWasm | null {
    const w = TreeWalk.create(trees.map(preorder), F, K);
    return w === null ? null : new BoostWasm(w);
  }

  /**
   * Add the scores of trees [0, t1) (tree t into column t mod K) for n rows binned row-major (xb, F
   * codes per row, see binRows) into raw (n × K, row-major).
   */
  addScores(xb: Uint8Array, n: number, raw: Float64Array, t1: number): void {
    const { w } = this;
    const K = w.width;
    const acc = w.acc;
    for (let i0 = 0; i0 < n; i0 += w.blockRows) {
      const m = Math.min(w.blockRows, n - i0);
      w.loadRows(xb, i0, m);
      acc.set(raw.subarray(i0 * K, (i0 + m) * K));
      w.walk('addScores', t1, m);
      raw.set(acc.subarray(0, m * K), i0 * K);
    }
  }
}

/** The tree's nodes renumbered in preorder (left child first, so it follows its parent), leaves' scores in that order. */
function preorder(t: RegTree): WalkTree {
  const n = t.nNodes;
  const order = new Int32Array(n);
  const index = new Int32Array(n);
  const stack = [0];
  let next = 0;
  let leaves = 0;
  while (stack.length > 0) {
    const i = stack.pop() as number;
    order[next] = i;
    index[i] = next++;
    if ((t.feature[i] as number) >= 0) stack.push(t.right[i] as number, t.left[i] as number);
    else leaves++;
  }
  const feature = new Int32Array(n);
  const bin = new Uint8Array(n);
  const nanLeft = new Uint8Array(n);
  const right = new Int32Array(n);
  const leafSlot = new Int32Array(n);
  const payload = new Float64Array(leaves);
  for (let j = 0, l = 0; j < n; j++) {
    const i = order[j] as number;
    const f = t.feature[i] as number;
    feature[j] = f;
    if (f < 0) {
      leafSlot[j] = l;
      payload[l++] = t.value[i] as number;
    } else {
      bin[j] = t.bin[i] as number;
      nanLeft[j] = t.nanLeft[i] as number;
      right[j] = index[t.right[i] as number] as number;
    }
  }
  return { feature, bin, nanLeft, right, leafSlot, payload };
}
