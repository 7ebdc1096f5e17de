import type { Rng } from '../../util/rng.js';
import { NAN_BIN } from './binning.js';
import { growTreeWasm, type ResolvedGrowOptions } from './grow-wasm.js';
import { addClassHistogram, HIST_BINS, histSize, subtractHistogram } from './histogram.js';

/** Training data after binning, shared read-only by every tree (and every worker) of a fit. */
export interface BinnedData {
  /** One bin-code column per feature (see binning.ts). */
  readonly bins: readonly Uint8Array[];
  /** Value bins per feature (the binner's edges length). */
  readonly nBins: ArrayLike<number>;
  readonly n: number;
  readonly y: Uint8Array;
  readonly nClasses: number;
}

export interface GrowOptions {
  /** Deepest node depth allowed (root = 0); null grows until leaves are pure or too small. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Features drawn per split (already resolved from 'sqrt', 'log2', …). */
  mtry: number;
  /** 'best': best bin threshold per drawn feature (RandomForest); 'random': one random threshold (ExtraTrees). */
  splitter: 'best' | 'random';
  /**
   * Keep all-feature histograms per node and get the larger child's by subtraction. Pays off when
   * most features are drawn per split (mtry ≥ half); with 'sqrt' sampling, building only the drawn
   * features' histograms is cheaper. Default: mtry * 2 ≥ number of features. Same tree either way.
   */
  subtract?: boolean;
  /** Nodes with fewer rows are searched by sorting their bin codes instead of histograms (same result). */
  sortBelow?: number;
  /**
   * With `subtract`, only nodes of at least this many rows keep all-feature histograms: below it the
   * fixed cost of clearing and subtracting F × 256 bins exceeds building the drawn features directly.
   */
  subtractAbove?: number;
  /** 'random' splitter: nodes of at least this many rows draw their split from a histogram (same result). */
  randomHistFrom?: number;
  /**
   * 'wasm' (default) grows in the WebAssembly port of this file's Grower (src/wasm/grow.ts), 'js' in
   * the Grower itself: the same tree to the bit (the port falls back to 'js' when it cannot take a tree).
   */
  engine?: 'wasm' | 'js';
}

/**
 * A grown tree in bin space, nodes in preorder (left child of node i is i + 1). Leaves have
 * feature −1; their class weights are in leafCounts (nClasses per leaf, leaves in node order).
 */
export interface GrownTree {
  feature: Int32Array;
  /** Split bin t: `bin ≤ t` goes left. */
  bin: Uint8Array;
  /** 1 when rows with NaN go left. */
  nanLeft: Uint8Array;
  /** Index of the right child (0 for leaves). */
  right: Int32Array;
  leafCounts: Float64Array;
  /** Weighted impurity decrease per feature (not normalised). */
  importance: Float64Array;
}

const DEFAULT_SORT_BELOW = 256;
const DEFAULT_SUBTRACT_ABOVE = 2048;
/** ExtraTrees nodes of at least this many rows find their random split from a histogram (one pass). */
const DEFAULT_RANDOM_HIST_FROM = 512;
/** Row-count thresholds are capped here: the WebAssembly port takes them as i32. */
const MAX_ROWS = 2 ** 31 - 1;

/**
 * Grow one classification tree with the Gini criterion (as scikit-learn) on binned data.
 * `w` holds integer row weights (bootstrap counts; 0 = not in this tree's sample), so a bootstrap
 * never duplicates rows. min_samples_leaf / min_samples_split count distinct rows, like scikit-learn.
 * NaN rows: at each candidate threshold both directions are tried and the better kept; when a node
 * has no NaN for the chosen feature, NaN goes to the heavier child (scikit-learn's rule).
 */
export function growTree(data: BinnedData, w: Float64Array, opts: GrowOptions, rng: Rng): GrownTree {
  const o = resolveGrowOptions(data, opts);
  if (opts.engine !== 'js') {
    const g = growTreeWasm(data, w, o, rng);
    if (g !== null) return g;
  }
  return new Grower(data, w, o, rng).grow();
}

/** The options with every default filled in, as both growers read them. */
export function resolveGrowOptions(d: BinnedData, o: GrowOptions): ResolvedGrowOptions {
  return {
    maxDepth: o.maxDepth,
    minSamplesLeaf: o.minSamplesLeaf,
    minSamplesSplit: o.minSamplesSplit,
    mtry: o.mtry,
    random: o.splitter === 'random',
    subtract: o.splitter === 'best' && (o.subtract ?? o.mtry * 2 >= d.bins.length),
    // keys pack (bin << 16 | local row), so sorted nodes must stay below 65536 rows
    sortBelow: Math.max(0, Math.min(o.sortBelow ?? DEFAULT_SORT_BELOW, 65536)),
    // row counts: thresholds beyond any count (Infinity in tests) are the same as 2³¹ − 1, which the port takes as an i32
    subtractAbove: Math.max(Math.min(o.subtractAbove ?? DEFAULT_SUBTRACT_ABOVE, MAX_ROWS), 1),
    randomHistFrom: Math.max(0, Math.min(o.randomHistFrom ?? DEFAULT_RANDOM_HIST_FROM, MAX_ROWS)),
  };
}

class Grower {
  private readonly F: number;
  private readonly C: number;
  private readonly S: number;
  private readonly HS: number;
  private readonly idx: Int32Array;
  /** (weight << 8) | class of row idx[j], kept aligned with idx so hot loops read it sequentially. */
  private readonly code: Int32Array;
  private readonly feats: Int32Array;
  private readonly constFeats: Int32Array;
  /** Constant features known after the last findSplit (inherited by that node's children). */
  private nConst = 0;
  private readonly keys: Int32Array;
  /** Counting sort of sortedFeature: first slot per bin, and each row's bin. */
  private readonly binStart = new Int32Array(HIST_BINS + 1);
  private readonly keyBins: Uint8Array;
  private readonly scratch: Float64Array;
  private readonly pool: Float64Array[] = [];
  private readonly totals: Float64Array[] = [];
  // per-node sums
  private readonly T: Float64Array;
  private tc = 0;
  // per-feature sweep state
  private readonly L: Float64Array;
  private lc = 0;
  private readonly N: Float64Array;
  private nc = 0;
  // best split so far at the current node
  private bestScore = -Infinity;
  private bestF = -1;
  private bestBin = 0;
  private bestNanLeft = false;
  private bestNc = 0;
  private readonly bestL: Float64Array;
  /** ExtraTrees sweep: left / right / NaN blocks of C class weights + a row count. */
  private readonly side: Float64Array;
  // output, preorder
  private readonly oFeature: number[] = [];
  private readonly oBin: number[] = [];
  private readonly oNanLeft: number[] = [];
  private readonly oRight: number[] = [];
  private readonly oLeaf: number[] = [];
  private readonly importance: Float64Array;

  constructor(
    private readonly d: BinnedData,
    w: Float64Array,
    private readonly o: ResolvedGrowOptions,
    private readonly rng: Rng,
  ) {
    this.F = d.bins.length;
    this.C = d.nClasses;
    this.S = this.C + 1;
    this.HS = histSize(this.S);
    let m = 0;
    for (let i = 0; i < d.n; i++) if ((w[i] as number) > 0) m++;
    this.idx = new Int32Array(m);
    this.code = new Int32Array(m);
    for (let i = 0, j = 0; i < d.n; i++) {
      if ((w[i] as number) > 0) {
        this.idx[j] = i;
        // bootstrap counts are small integers (Poisson(1)-like), far below the 2^23 this packing allows
        this.code[j++] = ((w[i] as number) << 8) | (d.y[i] as number);
      }
    }
    this.feats = Int32Array.from({ length: this.F }, (_, i) => i);
    this.constFeats = new Int32Array(this.F);
    this.keys = new Int32Array(o.sortBelow);
    this.keyBins = new Uint8Array(o.sortBelow);
    this.scratch = new Float64Array(this.HS);
    this.T = new Float64Array(this.C);
    this.L = new Float64Array(this.C);
    this.N = new Float64Array(this.C);
    this.bestL = new Float64Array(this.C);
    this.side = new Float64Array(3 * this.S);
    this.importance = new Float64Array(this.F);
  }

  grow(): GrownTree {
    const m = this.idx.length;
    let hist: Float64Array | null = null;
    if (this.o.subtract && m >= this.o.subtractAbove) hist = this.fullHistogram(0, m);
    this.node(0, m, 0, hist, null, 0);
    return {
      feature: Int32Array.from(this.oFeature),
      bin: Uint8Array.from(this.oBin),
      nanLeft: Uint8Array.from(this.oNanLeft),
      right: Int32Array.from(this.oRight),
      leafCounts: Float64Array.from(this.oLeaf),
      importance: this.importance,
    };
  }

  private acquire(): Float64Array {
    const h = this.pool.pop();
    if (h === undefined) return new Float64Array(this.F * this.HS);
    h.fill(0);
    return h;
  }

  private fullHistogram(start: number, end: number): Float64Array {
    const h = this.acquire();
    const { bins, nClasses } = this.d;
    for (let f = 0; f < this.F; f++) addClassHistogram(bins[f] as Uint8Array, this.idx, this.code, start, end, nClasses, h, f * this.HS);
    return h;
  }

  /** Class totals of the children at depth d: slots 2d (left) and 2d + 1 (right), reused across the tree. */
  private childTotals(depth: number, side: 0 | 1): Float64Array {
    const k = 2 * depth + side;
    while (this.totals.length <= k) this.totals.push(new Float64Array(this.C));
    return this.totals[k] as Float64Array;
  }

  /** `given`: the node's class totals, known from the parent's split (null at the root). */
  private node(start: number, end: number, depth: number, hist: Float64Array | null, given: Float64Array | null, nKnown: number): void {
    const id = this.oFeature.length;
    this.oFeature.push(-1);
    this.oBin.push(0);
    this.oNanLeft.push(0);
    this.oRight.push(0);
    const C = this.C;
    const T = this.T;
    if (given !== null) T.set(given);
    else {
      T.fill(0);
      const code = this.code;
      for (let j = start; j < end; j++) addAt(T, (code[j] as number) & 255, (code[j] as number) >>> 8);
    }
    const m = end - start;
    let wt = 0;
    let nonzero = 0;
    for (let k = 0; k < C; k++) {
      wt += T[k] as number;
      if ((T[k] as number) > 0) nonzero++;
    }
    this.tc = m;
    const o = this.o;
    const leaf =
      nonzero <= 1 ||
      m < o.minSamplesSplit ||
      m < 2 * o.minSamplesLeaf ||
      (o.maxDepth !== null && depth >= o.maxDepth) ||
      !this.findSplit(start, end, hist, nKnown);
    if (leaf) {
      for (let k = 0; k < C; k++) this.oLeaf.push(T[k] as number);
      if (hist !== null) this.pool.push(hist);
      return;
    }
    const f = this.bestF;
    const t = this.bestBin;
    // importance: weighted impurity decrease, as scikit-learn's feature_importances_
    let wl = 0;
    let sl = 0;
    let sr = 0;
    let st = 0;
    for (let k = 0; k < C; k++) {
      const l = this.bestL[k] as number;
      const r = (T[k] as number) - l;
      wl += l;
      sl += l * l;
      sr += r * r;
      st += (T[k] as number) * (T[k] as number);
    }
    const wr = wt - wl;
    const nanLeft = this.bestNc > 0 ? this.bestNanLeft : wl >= wr;
    this.importance[f] = (this.importance[f] as number) + wt - st / wt - (wl - sl / wl) - (wr - sr / wr);
    this.oFeature[id] = f;
    this.oBin[id] = t;
    this.oNanLeft[id] = nanLeft ? 1 : 0;
    const mid = this.partition(start, end, f, t, nanLeft);

    let hl: Float64Array | null = null;
    let hr: Float64Array | null = null;
    if (hist !== null) {
      const nl = mid - start;
      const nr = end - mid;
      if (Math.max(nl, nr) >= this.o.subtractAbove) {
        // build the smaller child directly, the larger one by subtraction from the parent
        const leftSmaller = nl <= nr;
        const small = leftSmaller ? this.fullHistogram(start, mid) : this.fullHistogram(mid, end);
        subtractHistogram(hist, small, this.F * this.HS);
        const smallNeeds = Math.min(nl, nr) >= this.o.subtractAbove;
        if (!smallNeeds) this.pool.push(small);
        hl = leftSmaller ? (smallNeeds ? small : null) : hist;
        hr = leftSmaller ? hist : smallNeeds ? small : null;
      } else {
        this.pool.push(hist);
      }
    }
    const tl = this.childTotals(depth + 1, 0);
    const tr = this.childTotals(depth + 1, 1);
    for (let k = 0; k < C; k++) {
      tl[k] = this.bestL[k] as number;
      tr[k] = (T[k] as number) - (this.bestL[k] as number);
    }
    const nConst = this.nConst;
    this.node(start, mid, depth + 1, hl, tl, nConst);
    this.oRight[id] = this.oFeature.length;
    this.node(mid, end, depth + 1, hr, tr, nConst);
  }

  /**
   * Draw features without replacement until mtry non-constant ones were searched, skipping features
   * already known to be constant in this node (they stay constant in every descendant). This is
   * scikit-learn's bookkeeping: feats[0..nKnown) holds the known constants, feats is a permutation
   * of all features, and constFeats keeps the known constants in order for siblings and children.
   */
  private findSplit(start: number, end: number, hist: Float64Array | null, nKnown: number): boolean {
    this.bestScore = -Infinity;
    this.bestF = -1;
    const feats = this.feats;
    const consts = this.constFeats;
    const random = this.o.random;
    const sorted = !random && hist === null && end - start < this.o.sortBelow;
    const mtry = this.o.mtry;
    let fi = this.F;
    let visited = 0;
    let nFound = 0;
    let nDrawn = 0;
    let nTotal = nKnown;
    while (fi > nTotal && (visited < mtry || visited <= nFound + nDrawn)) {
      visited++;
      let fj = nDrawn + this.rng.int(fi - nFound - nDrawn);
      if (fj < nKnown) {
        // a known constant: move it to the drawn-constants prefix, no pass over the rows
        swap(feats, nDrawn, fj);
        nDrawn++;
        continue;
      }
      fj += nFound;
      const f = feats[fj] as number;
      let ok: boolean;
      if (random) ok = this.randomFeature(f, start, end);
      else if (sorted) ok = this.sortedFeature(f, start, end);
      else if (hist !== null) ok = this.sweepHistogram(f, hist, f * this.HS);
      else {
        addClassHistogram(this.d.bins[f] as Uint8Array, this.idx, this.code, start, end, this.C, this.scratch, 0);
        ok = this.sweepHistogram(f, this.scratch, 0);
        this.scratch.fill(0);
      }
      if (!ok) {
        swap(feats, fj, nTotal);
        nFound++;
        nTotal++;
        continue;
      }
      fi--;
      swap(feats, fi, fj);
    }
    for (let i = 0; i < nKnown; i++) feats[i] = consts[i] as number;
    for (let i = nKnown; i < nTotal; i++) consts[i] = feats[i] as number;
    this.nConst = nTotal;
    return this.bestF >= 0;
  }

  /** Score the split "bins ≤ b (plus NaN when nanLeft) go left" from the sweep state; keep it if best. */
  private consider(f: number, b: number, nanLeft: boolean): void {
    const lcount = this.lc + (nanLeft ? this.nc : 0);
    const rcount = this.tc - lcount;
    const msl = this.o.minSamplesLeaf;
    if (lcount < msl || rcount < msl) return;
    const C = this.C;
    let wl = 0;
    let wr = 0;
    let sl = 0;
    let sr = 0;
    for (let k = 0; k < C; k++) {
      const l = (this.L[k] as number) + (nanLeft ? (this.N[k] as number) : 0);
      const r = (this.T[k] as number) - l;
      wl += l;
      wr += r;
      sl += l * l;
      sr += r * r;
    }
    // Gini proxy: maximising Σl²/wl + Σr²/wr minimises the weighted child impurity
    const score = sl / wl + sr / wr;
    if (score > this.bestScore) {
      this.bestScore = score;
      this.bestF = f;
      this.bestBin = b;
      this.bestNanLeft = nanLeft;
      this.bestNc = this.nc;
      for (let k = 0; k < C; k++) this.bestL[k] = (this.L[k] as number) + (nanLeft ? (this.N[k] as number) : 0);
    }
  }

  /** Candidates after each non-empty bin; NaN tried on both sides. Returns false for a constant feature. */
  private sweepHistogram(f: number, h: Float64Array, off: number): boolean {
    const C = this.C;
    const S = this.S;
    const nb = this.d.nBins[f] as number;
    const no = off + NAN_BIN * S;
    this.nc = h[no + C] as number;
    for (let k = 0; k < C; k++) this.N[k] = h[no + k] as number;
    let minB = -1;
    let maxB = -1;
    for (let b = 0; b < nb; b++) {
      if ((h[off + b * S + C] as number) > 0) {
        if (minB < 0) minB = b;
        maxB = b;
      }
    }
    if (minB < 0 || (minB === maxB && this.nc === 0)) return false;
    this.L.fill(0);
    this.lc = 0;
    for (let b = minB; b <= maxB; b++) {
      const o = off + b * S;
      const cnt = h[o + C] as number;
      if (cnt === 0) continue;
      for (let k = 0; k < C; k++) this.L[k] = (this.L[k] as number) + (h[o + k] as number);
      this.lc += cnt;
      this.candidates(f, b, maxB);
    }
    return true;
  }

  private candidates(f: number, b: number, maxB: number): void {
    if (b < maxB) {
      this.consider(f, b, false);
      if (this.nc > 0) this.consider(f, b, true);
    } else if (this.nc > 0) {
      this.consider(f, b, false); // every value left, NaN right
    }
  }

  /** Same candidates as sweepHistogram, from the node's rows sorted by bin (cheaper for small nodes). */
  private sortedFeature(f: number, start: number, end: number): boolean {
    const m = end - start;
    const keys = this.keys;
    const bins = this.d.bins[f] as Uint8Array;
    const idx = this.idx;
    const code = this.code;
    // Counting sort by bin, stable in j: the order of sorting the packed keys (bin << 16 | j), which
    // are distinct, without TypedArray#sort (most of this function's time at a node's ~100 rows).
    const cnt = this.binStart;
    const kb = this.keyBins;
    cnt.fill(0);
    for (let j = 0; j < m; j++) {
      const b = bins[idx[start + j] as number] as number;
      kb[j] = b;
      cnt[b + 1] = (cnt[b + 1] as number) + 1;
    }
    for (let b = 1; b <= HIST_BINS; b++) cnt[b] = (cnt[b] as number) + (cnt[b - 1] as number);
    for (let j = 0; j < m; j++) {
      const b = kb[j] as number;
      const to = cnt[b] as number;
      cnt[b] = to + 1;
      keys[to] = (b << 16) | j;
    }
    const ks = keys;
    this.N.fill(0);
    this.nc = 0;
    let e = m;
    while (e > 0 && (ks[e - 1] as number) >>> 16 === NAN_BIN) {
      e--;
      const c = code[start + ((ks[e] as number) & 0xffff)] as number;
      addAt(this.N, c & 255, c >>> 8);
      this.nc++;
    }
    if (e === 0) return false;
    const minB = (ks[0] as number) >>> 16;
    const maxB = (ks[e - 1] as number) >>> 16;
    if (minB === maxB && this.nc === 0) return false;
    this.L.fill(0);
    this.lc = 0;
    let j = 0;
    while (j < e) {
      const b = (ks[j] as number) >>> 16;
      while (j < e && (ks[j] as number) >>> 16 === b) {
        const c = code[start + ((ks[j] as number) & 0xffff)] as number;
        addAt(this.L, c & 255, c >>> 8);
        this.lc++;
        j++;
      }
      this.candidates(f, b, maxB);
    }
    return true;
  }

  /** ExtraTrees: one threshold drawn uniformly between the node's min and max bin; NaN side drawn too. */
  private randomFeature(f: number, start: number, end: number): boolean {
    if (end - start >= this.o.randomHistFrom) return this.randomFeatureHist(f, start, end);
    const bins = this.d.bins[f] as Uint8Array;
    const idx = this.idx;
    let minB = NAN_BIN;
    let maxB = -1;
    let hasNan = false;
    for (let j = start; j < end; j++) {
      const b = bins[idx[j] as number] as number;
      if (b === NAN_BIN) hasNan = true;
      else {
        if (b < minB) minB = b;
        if (b > maxB) maxB = b;
      }
    }
    if (maxB < 0 || (minB === maxB && !hasNan)) return false;
    let t = maxB;
    let nanLeft = false;
    if (maxB > minB) {
      t = minB + this.rng.int(maxB - minB);
      if (hasNan) nanLeft = this.rng.next() < 0.5;
    }
    // One branch-free pass: each row adds its weight to the left (slot 0), right (1) or NaN (2) block
    // of `side`, C class weights then a row count per block; a data-dependent branch here mispredicts
    // about half the time, which showed as the hottest line of ExtraTrees fits.
    const code = this.code;
    const side = this.side;
    const S = this.S;
    const C = this.C;
    side.fill(0);
    // row counts in locals: a `+= 1` on one array slot would chain every iteration through memory
    let rc = 0;
    let nc = 0;
    for (let j = start; j < end; j++) {
      const b = bins[idx[j] as number] as number;
      const c = code[j] as number;
      const right = (b > t) as unknown as number;
      const nan = (b === NAN_BIN) as unknown as number;
      rc += right;
      nc += nan;
      addAt(side, (right + nan) * S + (c & 255), c >>> 8);
    }
    for (let k = 0; k < C; k++) {
      this.L[k] = side[k] as number;
      this.N[k] = side[2 * S + k] as number;
    }
    this.lc = end - start - rc;
    this.nc = nc;
    this.consider(f, t, nanLeft);
    return true;
  }

  /**
   * randomFeature for a large node in one pass over its rows instead of two: the feature's class
   * histogram gives the min and max bin and, once the threshold is drawn (the same draws), the left
   * and NaN sums. Every sum adds whole-number weights, so they are exactly the two-pass sums.
   */
  private randomFeatureHist(f: number, start: number, end: number): boolean {
    const C = this.C;
    const S = this.S;
    const h = this.scratch;
    addClassHistogram(this.d.bins[f] as Uint8Array, this.idx, this.code, start, end, C, h, 0);
    const nb = this.d.nBins[f] as number;
    let minB = -1;
    let maxB = -1;
    for (let b = 0; b < nb; b++) {
      if ((h[b * S + C] as number) > 0) {
        if (minB < 0) minB = b;
        maxB = b;
      }
    }
    const no = NAN_BIN * S;
    const nc = h[no + C] as number;
    const hasNan = nc > 0;
    if (maxB < 0 || (minB === maxB && !hasNan)) {
      h.fill(0);
      return false;
    }
    let t = maxB;
    let nanLeft = false;
    if (maxB > minB) {
      t = minB + this.rng.int(maxB - minB);
      if (hasNan) nanLeft = this.rng.next() < 0.5;
    }
    this.L.fill(0);
    let lc = 0;
    for (let b = minB; b <= t; b++) {
      const o = b * S;
      for (let k = 0; k < C; k++) this.L[k] = (this.L[k] as number) + (h[o + k] as number);
      lc += h[o + C] as number;
    }
    for (let k = 0; k < C; k++) this.N[k] = h[no + k] as number;
    this.lc = lc;
    this.nc = nc;
    h.fill(0);
    this.consider(f, t, nanLeft);
    return true;
  }

  /** In-place partition of idx[start..end): left rows first. Returns the first right position. */
  private partition(start: number, end: number, f: number, t: number, nanLeft: boolean): number {
    const bins = this.d.bins[f] as Uint8Array;
    const idx = this.idx;
    const code = this.code;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const r = idx[i] as number;
      const b = bins[r] as number;
      if (b === NAN_BIN ? nanLeft : b <= t) i++;
      else {
        idx[i] = idx[j] as number;
        idx[j] = r;
        const c = code[i] as number;
        code[i] = code[j] as number;
        code[j] = c;
        j--;
      }
    }
    return i;
  }
}

function addAt(a: Float64Array, i: number, v: number): void {
  a[i] = (a[i] as number) + v;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}
