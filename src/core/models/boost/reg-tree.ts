import { DataError } from '../../errors.js';
import { expectNumberArray, expectObject, expectString } from '../../util/validate.js';
import { NAN_BIN } from '../tree/binning.js';
import type { GrownRegTree } from './grow.js';

/**
 * A fitted boosting regression tree: typed arrays, explicit children (both larger than their parent,
 * which rules out cycles), thresholds as raw feature values (`x <= threshold` goes left, NaN follows
 * nanLeft) so prediction needs no binning. Leaf values already include the learning rate.
 */
export class RegTree {
  constructor(
    readonly feature: Int32Array,
    /** Bin of the split (what JSON stores; threshold = edges[feature][bin]). */
    readonly bin: Uint8Array,
    readonly threshold: Float64Array,
    readonly nanLeft: Uint8Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    /** Per node; 0 on split nodes. */
    readonly value: Float64Array,
  ) {}

  get nNodes(): number {
    return this.feature.length;
  }

  static fromGrown(g: GrownRegTree, edges: readonly Float64Array[]): RegTree {
    const n = g.feature.length;
    const threshold = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = g.feature[i] as number;
      if (f >= 0) threshold[i] = (edges[f] as Float64Array)[g.bin[i] as number] ?? Infinity;
    }
    return new RegTree(g.feature, g.bin, threshold, g.nanLeft, g.left, g.right, g.value);
  }

  /** out[i * stride + k] += this tree's value for row i of the raw columns. */
  addRaw(columns: readonly Float64Array[], n: number, out: Float64Array, stride: number, k: number): void {
    const { feature, threshold, nanLeft, left, right, value } = this;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const x = (columns[f] as Float64Array)[i] as number;
        const goLeft = x !== x ? nanLeft[node] === 1 : x <= (threshold[node] as number);
        node = goLeft ? (left[node] as number) : (right[node] as number);
        f = feature[node] as number;
      }
      const o = i * stride + k;
      out[o] = (out[o] as number) + (value[node] as number);
    }
  }

  /**
   * Same as addRaw on row-major bin codes (rowBins[i * F + f], binned with the fit's edges): a row's
   * codes share a cache line and the walk compares bytes. `bin(x) ≤ t ⟺ x ≤ edges[t]`, so the result
   * is addRaw's to the bit.
   */
  addRowBinned(rowBins: Uint8Array, F: number, n: number, out: Float64Array, stride: number, k: number): void {
    const { feature, bin, nanLeft, left, right, value } = this;
    if ((feature[0] as number) < 0) {
      const v = value[0] as number;
      for (let i = 0, o = k; i < n; i++, o += stride) out[o] = (out[o] as number) + v;
      return;
    }
    for (let i = 0, base = 0, o = k; i < n; i++, base += F, o += stride) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const b = rowBins[base + f] as number;
        const goLeft = b === NAN_BIN ? nanLeft[node] === 1 : b <= (bin[node] as number);
        node = goLeft ? (left[node] as number) : (right[node] as number);
        f = feature[node] as number;
      }
      out[o] = (out[o] as number) + (value[node] as number);
    }
  }

  /** Same as addRaw on columns binned with the fit's binner (validation rows during training). */
  addBinned(bins: readonly Uint8Array[], n: number, out: Float64Array, stride: number, k: number): void {
    const { feature, bin, nanLeft, left, right, value } = this;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        const b = (bins[f] as Uint8Array)[i] as number;
        const goLeft = b === NAN_BIN ? nanLeft[node] === 1 : b <= (bin[node] as number);
        node = goLeft ? (left[node] as number) : (right[node] as number);
        f = feature[node] as number;
      }
      const o = i * stride + k;
      out[o] = (out[o] as number) + (value[node] as number);
    }
  }

  /** Compact JSON: bins (edges live once in the model), NaN sides as a 0/1 string, leaf values only. */
  toJSON(): RegTreeState {
    const n = this.nNodes;
    let nan = '';
    const value: number[] = [];
    for (let i = 0; i < n; i++) {
      nan += this.nanLeft[i] === 1 ? '1' : '0';
      if ((this.feature[i] as number) < 0) value.push(this.value[i] as number);
    }
    return { feature: Array.from(this.feature), bin: Array.from(this.bin), nanLeft: nan, left: Array.from(this.left), right: Array.from(this.right), value };
  }

  /**
   * Rebuild and validate a stored tree: array lengths, feature and bin ranges, children indices (each
   * larger than its parent, every node but the root with exactly one parent: a tree, no cycles, all
   * reachable), finite leaf values.
   * @throws DataError naming the bad field.
   */
  static fromJSON(state: unknown, where: string, edges: readonly Float64Array[]): RegTree {
    const o = expectObject(state, where);
    const feature = expectNumberArray(o['feature'], `${where}.feature`);
    const n = feature.length;
    if (n === 0) throw new DataError(`${where}.feature must not be empty`);
    const bin = expectNumberArray(o['bin'], `${where}.bin`, n);
    const left = expectNumberArray(o['left'], `${where}.left`, n);
    const right = expectNumberArray(o['right'], `${where}.right`, n);
    const nanStr = expectString(o['nanLeft'], `${where}.nanLeft`);
    if (nanStr.length !== n || !/^[01]*$/.test(nanStr)) throw new DataError(`${where}.nanLeft must be ${n} characters of 0/1`);
    const nF = edges.length;
    const parents = new Uint8Array(n);
    let leaves = 0;
    for (let i = 0; i < n; i++) {
      const f = feature[i] as number;
      if (!Number.isInteger(f) || f < -1 || f >= nF) throw new DataError(`${where}.feature[${i}] must be a feature index in -1..${nF - 1}, got ${f}`);
      const b = bin[i] as number;
      const maxBin = f < 0 ? 0 : (edges[f] as Float64Array).length - 1;
      if (!Number.isInteger(b) || b < 0 || b > maxBin) throw new DataError(`${where}.bin[${i}] must be in 0..${maxBin}, got ${b}`);
      if (f < 0) {
        leaves++;
        if (left[i] !== 0 || right[i] !== 0) throw new DataError(`${where}: leaf ${i} must have left = right = 0`);
        continue;
      }
      for (const [name, c] of [['left', left[i] as number], ['right', right[i] as number]] as const) {
        if (!Number.isInteger(c) || c <= i || c >= n) throw new DataError(`${where}.${name}[${i}] must be a node index in ${i + 1}..${n - 1}, got ${c}`);
        if (parents[c] === 1) throw new DataError(`${where}.${name}[${i}]: node ${c} already has a parent`);
        parents[c] = 1;
      }
    }
    // n − 1 child links with distinct targets > 0 and parents before children: every node hangs off the root
    for (let i = 1; i < n; i++) if (parents[i] !== 1) throw new DataError(`${where}: node ${i} is not reachable from the root`);
    const leafValues = expectNumberArray(o['value'], `${where}.value`, leaves);
    const value = new Float64Array(n);
    const fArr = Int32Array.from(feature);
    const bArr = Uint8Array.from(bin);
    const threshold = new Float64Array(n);
    for (let i = 0, l = 0; i < n; i++) {
      const f = fArr[i] as number;
      if (f >= 0) threshold[i] = (edges[f] as Float64Array)[bArr[i] as number] as number;
      else value[i] = leafValues[l++] as number;
    }
    const nanLeft = new Uint8Array(n);
    for (let i = 0; i < n; i++) nanLeft[i] = nanStr.charCodeAt(i) === 49 ? 1 : 0;
    return new RegTree(fArr, bArr, threshold, nanLeft, Int32Array.from(left), Int32Array.from(right), value);
  }
}

export interface RegTreeState {
  feature: number[];
  bin: number[];
  nanLeft: string;
  left: number[];
  right: number[];
  /** Leaf values in node order. */
  value: number[];
}
