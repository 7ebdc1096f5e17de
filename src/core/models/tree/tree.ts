import { DataError } from '../../errors.js';
import { expectNumbers, expectObject } from '../../util/validate.js';
import { NAN_BIN } from './binning.js';
import type { GrownTree } from './grow.js';

/**
 * A fitted tree for prediction: compact typed arrays, nodes in preorder (left child of i is i + 1),
 * thresholds as raw feature values so prediction needs no binning: `x <= threshold` goes left, NaN
 * follows nanLeft. Leaf class distributions are normalised once, as Float32.
 */
export class Tree {
  constructor(
    readonly feature: Int32Array,
    /** Bin index of the split (what JSON stores; the raw threshold is edges[feature][bin]). */
    readonly bin: Uint8Array,
    readonly threshold: Float64Array,
    readonly nanLeft: Uint8Array,
    readonly right: Int32Array,
    /** Class weights per leaf (bootstrap counts; integers), leaves in node order. */
    readonly leafCounts: Float64Array,
    /** Per node: index of its leaf row in `leafProba`, −1 for split nodes. */
    readonly leafSlot: Int32Array,
    readonly leafProba: Float32Array,
    readonly nClasses: number,
  ) {}

  get nNodes(): number {
    return this.feature.length;
  }

  /** Build from a grown tree and the binner's edges (edges[f][bin], +Infinity past the last edge). */
  static fromGrown(g: GrownTree, edges: readonly Float64Array[], nClasses: number): Tree {
    const n = g.feature.length;
    const threshold = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = g.feature[i] as number;
      if (f >= 0) threshold[i] = (edges[f] as Float64Array)[g.bin[i] as number] ?? Infinity;
    }
    return Tree.assemble(g.feature, g.bin, threshold, g.nanLeft, g.right, g.leafCounts, nClasses);
  }

  private static assemble(
    feature: Int32Array,
    bin: Uint8Array,
    threshold: Float64Array,
    nanLeft: Uint8Array,
    right: Int32Array,
    leafCounts: Float64Array,
    nClasses: number,
  ): Tree {
    const n = feature.length;
    const leafSlot = new Int32Array(n);
    const leafProba = new Float32Array(leafCounts.length);
    let leaf = 0;
    for (let i = 0; i < n; i++) {
      if ((feature[i] as number) >= 0) {
        leafSlot[i] = -1;
        continue;
      }
      leafSlot[i] = leaf;
      const o = leaf * nClasses;
      let s = 0;
      for (let k = 0; k < nClasses; k++) s += leafCounts[o + k] as number;
      for (let k = 0; k < nClasses; k++) leafProba[o + k] = (leafCounts[o + k] as number) / s;
      leaf++;
    }
    return new Tree(feature, bin, threshold, nanLeft, right, leafCounts, leafSlot, leafProba, nClasses);
  }

  /**
   * accumulate on rows already binned with this tree's edges (row-major, nFeatures codes per row, see
   * binRows): `bin(x) <= bin` is `x <= edges[bin]`, and NaN's code is above every split bin, so every
   * row takes the same path as with raw values. A row's codes share a cache line; its raw values sit
   * in nFeatures separate columns.
   */
  accumulateBinned(xb: Uint8Array, nFeatures: number, n: number, acc: Float64Array): void {
    const { feature, bin, nanLeft, right, leafSlot, leafProba } = this;
    const C = this.nClasses;
    for (let i = 0; i < n; i++) {
      const row = i * nFeatures;
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const b = xb[row + f] as number;
        const left = b <= (bin[node] as number) || (b === NAN_BIN && nanLeft[node] === 1);
        node = left ? node + 1 : (right[node] as number);
        f = feature[node] as number;
      }
      const o = (leafSlot[node] as number) * C;
      const a = i * C;
      for (let k = 0; k < C; k++) acc[a + k] = (acc[a + k] as number) + (leafProba[o + k] as number);
    }
  }

  /** Add this tree's leaf distribution of each row into acc (row-major, nClasses per row). */
  accumulate(columns: readonly Float64Array[], n: number, acc: Float64Array): void {
    const { feature, threshold, nanLeft, right, leafSlot, leafProba } = this;
    const C = this.nClasses;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const x = (columns[f] as Float64Array)[i] as number;
        const left = x !== x ? nanLeft[node] === 1 : x <= (threshold[node] as number);
        node = left ? node + 1 : (right[node] as number);
        f = feature[node] as number;
      }
      const o = (leafSlot[node] as number) * C;
      const a = i * C;
      for (let k = 0; k < C; k++) acc[a + k] = (acc[a + k] as number) + (leafProba[o + k] as number);
    }
  }

  /**
   * The stored state: bins instead of raw thresholds (the model stores the edges once), the node
   * arrays as typed arrays (no copies; the model artifact writes them as binary).
   */
  toJSON(): TreeState {
    return { feature: this.feature, bin: this.bin, right: this.right, nanLeft: this.nanLeft, leafCounts: this.leafCounts };
  }

  /**
   * Rebuild and validate a stored tree: array lengths, feature and bin ranges, a well-formed preorder
   * (every node reached exactly once, children after parents, so no cycles), non-negative finite leaf
   * counts with a positive sum. Accepts typed arrays (binary artifacts) or JSON arrays, and the
   * older 0/1 string form of nanLeft.
   * @throws DataError naming the bad field.
   */
  static fromJSON(state: unknown, where: string, edges: readonly Float64Array[], nClasses: number): Tree {
    const o = expectObject(state, where);
    const feature = expectNumbers(o['feature'], `${where}.feature`);
    const n = feature.length;
    if (n === 0) throw new DataError(`${where}.feature must not be empty`);
    const bin = expectNumbers(o['bin'], `${where}.bin`, n);
    const right = expectNumbers(o['right'], `${where}.right`, n);
    const nanLeft = new Uint8Array(n);
    const rawNan = o['nanLeft'];
    if (typeof rawNan === 'string') {
      if (rawNan.length !== n || !/^[01]*$/.test(rawNan)) throw new DataError(`${where}.nanLeft must be ${n} characters of 0/1`);
      for (let i = 0; i < n; i++) nanLeft[i] = rawNan.charCodeAt(i) === 49 ? 1 : 0;
    } else {
      const a = expectNumbers(rawNan, `${where}.nanLeft`, n);
      for (let i = 0; i < n; i++) {
        const v = a[i] as number;
        if (v !== 0 && v !== 1) throw new DataError(`${where}.nanLeft[${i}] must be 0 or 1, got ${v}`);
        nanLeft[i] = v;
      }
    }
    const nF = edges.length;
    let leaves = 0;
    for (let i = 0; i < n; i++) {
      const f = feature[i] as number;
      if (!Number.isInteger(f) || f < -1 || f >= nF) throw new DataError(`${where}.feature[${i}] must be a feature index in -1..${nF - 1}, got ${f}`);
      const b = bin[i] as number;
      const maxBin = f < 0 ? 0 : (edges[f] as Float64Array).length - 1;
      if (!Number.isInteger(b) || b < 0 || b > maxBin) throw new DataError(`${where}.bin[${i}] must be in 0..${maxBin}, got ${b}`);
      if (f < 0) leaves++;
    }
    checkPreorder(feature, right, where);
    const counts = expectNumbers(o['leafCounts'], `${where}.leafCounts`, leaves * nClasses);
    for (let l = 0; l < leaves; l++) {
      let s = 0;
      for (let k = 0; k < nClasses; k++) {
        const c = counts[l * nClasses + k] as number;
        if (c < 0) throw new DataError(`${where}.leafCounts[${l * nClasses + k}] must be ≥ 0, got ${c}`);
        s += c;
      }
      if (!(s > 0)) throw new DataError(`${where}.leafCounts: leaf ${l} has no weight`);
    }
    // Arrays read from a binary artifact already have the right type: use them, no copy.
    const fArr = feature instanceof Int32Array ? feature : Int32Array.from(feature);
    const bArr = bin instanceof Uint8Array ? bin : Uint8Array.from(bin);
    const threshold = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = fArr[i] as number;
      if (f >= 0) threshold[i] = (edges[f] as Float64Array)[bArr[i] as number] as number;
    }
    return Tree.assemble(fArr, bArr, threshold, nanLeft, right instanceof Int32Array ? right : Int32Array.from(right), counts instanceof Float64Array ? counts : Float64Array.from(counts), nClasses);
  }
}

export interface TreeState {
  feature: Int32Array;
  bin: Uint8Array;
  right: Int32Array;
  /** 1 where NaN goes left. */
  nanLeft: Uint8Array;
  leafCounts: Float64Array;
}

/**
 * Walk the preorder the arrays claim: left child = i + 1, right child = right[i], and the right subtree
 * must start exactly where the left one ends. Indices only grow, so a cycle cannot pass.
 */
function checkPreorder(feature: ArrayLike<number>, right: ArrayLike<number>, where: string): void {
  const n = feature.length;
  const pending: number[] = [];
  let node = 0;
  for (;;) {
    if ((feature[node] as number) >= 0) {
      const r = right[node] as number;
      if (!Number.isInteger(r) || r <= node + 1 || r >= n) {
        throw new DataError(`${where}.right[${node}] must be a node index in ${node + 2}..${n - 1}, got ${r}`);
      }
      pending.push(r);
      node = node + 1;
      continue;
    }
    const next = node + 1;
    const r = pending.pop();
    if (r === undefined) {
      if (next !== n) throw new DataError(`${where}: nodes ${next}..${n - 1} are not reachable from the root`);
      return;
    }
    if (r !== next) throw new DataError(`${where}.right: node ${r} is not where the left subtree ending at ${node} says it should be (${next})`);
    node = r;
  }
}
