import { WasmArena } from '../../util/wasm.js';
import { softmaxGradients } from './softmax.js';
import { GH_FEATURE, GH_STRIDE, scanFeature, subtractInto, type SplitCandidate, type SplitConstraints } from './grad-histogram.js';

/** The histogram kernels of src/wasm/boost.ts (pointers are byte offsets into the arena's memory). */
interface BoostKernels {
  buildRoot(rowBins: number, nFeatures: number, n: number, gh: number, hist: number): void;
  build(rowBins: number, nFeatures: number, idx: number, s: number, e: number, gh: number, hist: number): void;
  subtract(parent: number, child: number, len: number): void;
  partition(col: number, idx: number, gh: number, tmpI: number, tmpGH: number, s: number, e: number, t: number, nanLeft: number, sums: number): number;
  scan(hist: number, nBins: number, nFeatures: number, G: number, H: number, cnt: number, l2: number, msl: number, mh: number, out: number): void;
  softmax(raw: number, yk: number, n: number, K: number, gh: number): void;
  addLeaf(raw: number, idx: number, s: number, e: number, v: number): void;
}

/** Histogram slots in WebAssembly memory at most, and at most this many bytes of them. */
const MAX_SLOTS = 256;
const MAX_SLOT_BYTES = 512 * 1024 * 1024;

/**
 * The best split of one histogram (F features × GH_FEATURE doubles) by the WebAssembly scan kernel or
 * by scanFeature over the features, into `best` (gain 0, feature −1 when none). The grower runs the
 * kernel on its own slots; this copies the histogram into a fresh instance, for tests that compare
 * the two on crafted histograms.
 */
export function bestSplitOf(hist: Float64Array, nBins: ArrayLike<number>, G: number, H: number, cnt: number, c: SplitConstraints, kernels: 'wasm' | 'js'): SplitCandidate {
  const F = nBins.length;
  const best: SplitCandidate = { gain: 0, feature: -1, bin: 0, nanLeft: false };
  if (kernels === 'js') {
    for (let f = 0; f < F; f++) scanFeature(hist, f * GH_FEATURE, nBins[f] as number, f, G, H, cnt, c, best);
    return best;
  }
  const arena = new WasmArena<BoostKernels>('boost', [F * GH_FEATURE, Math.ceil(F / 2), 4]);
  arena.view(0).set(hist.subarray(0, F * GH_FEATURE));
  new Int32Array(arena.f64.buffer, arena.ptr(1), F).set(Array.from({ length: F }, (_, f) => nBins[f] as number));
  arena.exports.scan(arena.ptr(0), arena.ptr(1), F, G, H, cnt, c.l2, c.minSamplesLeaf, c.minHessianLeaf, arena.ptr(2));
  const r = arena.view(2);
  best.gain = r[0] as number;
  best.feature = r[1] as number;
  best.bin = r[2] as number;
  best.nanLeft = r[3] === 1;
  return best;
}

export interface RegGrowOptions {
  /** A node at depth d (root 0) splits only when d < maxDepth; null = no limit. */
  maxDepth: number | null;
  /** Leaves at most, grown best-first; null = no limit. */
  maxLeafNodes: number | null;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  l2: number;
  /** Multiplies every leaf value −G/(H + λ). */
  learningRate: number;
  /**
   * Build only the smaller child's histogram and get the larger one as parent − smaller. Default true;
   * false builds both directly (same tree, used by tests to check the subtraction).
   */
  subtract?: boolean;
  /**
   * Histogram kernels: 'wasm' (default) runs them in WebAssembly on buffers in its memory, 'js' in
   * plain loops (same tree to the bit; tests compare the two). Histograms beyond the WebAssembly
   * slots (trees with no leaf or depth bound) always take the JavaScript loops.
   */
  kernels?: 'wasm' | 'js';
  /**
   * WebAssembly histogram slots; default: one per histogram that can be alive at once (leaves + 2,
   * at most 256). Tests lower it to send the histograms past the slots through the JavaScript loops.
   */
  slots?: number;
}

/**
 * A grown regression tree in bin space. Nodes are numbered in creation order, so both children of a
 * node have larger indices than the node (what RegTree's validation relies on). Leaves have feature −1.
 */
export interface GrownRegTree {
  feature: Int32Array;
  /** Split bin t: `bin ≤ t` goes left. */
  bin: Uint8Array;
  /** 1 when rows with NaN go left. */
  nanLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf value (already multiplied by the learning rate); 0 on split nodes. */
  value: Float64Array;
  /**
   * Training rows per node: rows[start[i]..end[i]) are node i's rows. The grower's own buffer: valid
   * until its next grow() call.
   */
  rows: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

/**
 * Leaf-wise (best-first) regression-tree grower on gradients and hessians, as scikit-learn's
 * HistGradientBoosting: the open leaf with the largest gain is split next until maxLeafNodes leaves
 * exist or no leaf can split. One grower serves every tree of a fit: row buffers and histograms are
 * allocated once and reused.
 */
export class RegTreeGrower {
  private readonly F: number;
  private readonly idx: Int32Array;
  /** Gradient and hessian of the row at each position of idx, interleaved (g, h): one stream, not two. */
  private readonly ghOrd: Float64Array;
  private readonly tmpI: Int32Array;
  private readonly tmpGH: Float64Array;
  /** Free histograms: WebAssembly slots (views into the kernels' memory), taken first … */
  private readonly pool: Float64Array[] = [];
  /** … then plain arrays, made when every slot is in use (JavaScript loops). */
  private readonly jsPool: Float64Array[] = [];
  private readonly rowBins: Uint8Array;
  private readonly subtract: boolean;
  /** Row counts per bin of the root (count channel only; g and h channels 0). */
  private readonly rootCounts: Float64Array;
  /** The kernels' exports and memory; null with kernels 'js'. */
  private readonly wasm: BoostKernels | null;
  private readonly mem: ArrayBufferLike | null;
  /** Byte offset of the column-major codes in the kernels' memory (−1 without them). */
  private readonly colPtr: number;
  /** Byte offset of the value-bin count per feature (int32) in the kernels' memory (−1 without). */
  private readonly nBinsPtr: number;
  /** partition's left and right sums (g, h, g, h), then scan's best split (gain, feature, bin, nanLeft). */
  private readonly sums: Float64Array;
  private readonly best: SplitCandidate = { gain: 0, feature: -1, bin: 0, nanLeft: false };
  /** Training scores, class-major (class k of row i at k·n + i): the caller sets the initial scores. */
  readonly scores: Float64Array;
  /** Each training row's class as an index into the K classes: the caller fills it. */
  readonly labels: Int32Array;
  /** Every class's (g, h) pairs from gradients(), class-major: class k of row i at 2(k·n + i). */
  readonly ghAll: Float64Array;
  private identity: Int32Array | null = null;
  /** Histograms built so far by the WebAssembly kernels and by the JavaScript loops (for tests). */
  readonly built = { wasm: 0, js: 0 };
  private sumGL = 0;
  private sumHL = 0;
  private sumGR = 0;
  private sumHR = 0;

  constructor(
    private readonly bins: readonly Uint8Array[],
    private readonly nBins: ArrayLike<number>,
    private readonly n: number,
    private readonly o: RegGrowOptions,
    /** Classes whose training scores the grower keeps for the boosting loop (scores, gradients, growClass); 0 = none. */
    private readonly K = 0,
  ) {
    this.F = bins.length;
    const F = this.F;
    this.subtract = o.subtract ?? true;
    const histLen = F * GH_FEATURE;
    if ((o.kernels ?? 'wasm') === 'wasm') {
      // live histograms at once: one per open leaf (≤ leaves) plus the small child being built
      const leaves = o.maxLeafNodes ?? (o.maxDepth !== null && o.maxDepth <= 16 ? 2 ** o.maxDepth : Infinity);
      const slots = o.slots ?? Math.max(2, Math.min(leaves + 2, MAX_SLOTS, Math.floor(MAX_SLOT_BYTES / (8 * histLen))));
      // regions in doubles: rowBins (bytes), idx and tmpI (int32), ghOrd and tmpGH, the slots, the
      // codes column-major (bytes, what partition reads), partition's four sums
      const arena = new WasmArena<BoostKernels>('boost', [Math.ceil((n * F) / 8), Math.ceil(n / 2), Math.ceil(n / 2), 2 * n, 2 * n, slots * histLen, Math.ceil((n * F) / 8), 4, Math.ceil(F / 2), K * n, 2 * K * n, Math.ceil(n / 2)]);
      const buf = arena.f64.buffer;
      this.wasm = arena.exports;
      this.mem = buf;
      this.rowBins = new Uint8Array(buf, arena.ptr(0), n * F);
      this.idx = new Int32Array(buf, arena.ptr(1), n);
      this.tmpI = new Int32Array(buf, arena.ptr(2), n);
      this.ghOrd = arena.view(3);
      this.tmpGH = arena.view(4);
      const all = arena.view(5);
      for (let k = slots - 1; k >= 0; k--) this.pool.push(all.subarray(k * histLen, (k + 1) * histLen));
      this.colPtr = arena.ptr(6);
      const colBins = new Uint8Array(buf, this.colPtr, n * F);
      for (let f = 0; f < F; f++) colBins.set((bins[f] as Uint8Array).subarray(0, n), f * n);
      this.sums = arena.view(7);
      this.nBinsPtr = arena.ptr(8);
      this.scores = arena.view(9);
      this.ghAll = arena.view(10);
      this.labels = new Int32Array(buf, arena.ptr(11), n);
      new Int32Array(buf, this.nBinsPtr, F).set(Array.from({ length: F }, (_, f) => nBins[f] as number));
    } else {
      this.wasm = null;
      this.mem = null;
      this.colPtr = -1;
      this.nBinsPtr = -1;
      this.sums = new Float64Array(4);
      this.scores = new Float64Array(K * n);
      this.ghAll = new Float64Array(2 * K * n);
      this.labels = new Int32Array(n);
      this.rowBins = new Uint8Array(n * F);
      this.idx = new Int32Array(n);
      this.ghOrd = new Float64Array(2 * n);
      this.tmpI = new Int32Array(n);
      this.tmpGH = new Float64Array(2 * n);
    }
    // row-major copy of the codes: a child's rows are scattered, and reading all F codes of a row from
    // one cache line beats F column reads per row (one miss per row instead of F)
    for (let f = 0; f < F; f++) {
      const col = bins[f] as Uint8Array;
      for (let i = 0; i < n; i++) this.rowBins[i * F + f] = col[i] as number;
    }
    // every tree's root holds all n rows: its per-bin row counts are the same for every tree of the fit
    this.rootCounts = new Float64Array(histLen);
    for (let f = 0; f < F; f++) {
      const col = bins[f] as Uint8Array;
      for (let i = 0; i < n; i++) {
        const o = f * GH_FEATURE + (col[i] as number) * GH_STRIDE + 2;
        this.rootCounts[o] = (this.rootCounts[o] as number) + 1;
      }
    }
  }

  /** A free histogram (contents undefined): a WebAssembly slot if one is free. */
  private take(): Float64Array | undefined {
    return this.pool.pop() ?? this.jsPool.pop();
  }

  private release(h: Float64Array): void {
    if (this.ptrOf(h) >= 0) this.pool.push(h);
    else this.jsPool.push(h);
  }

  /** Byte offset of h in the kernels' memory, or −1 for a plain array (JavaScript loops). */
  private ptrOf(h: Float64Array): number {
    return h.buffer === this.mem ? h.byteOffset : -1;
  }

  /** Grow one tree on per-row gradients g and hessians h (length ≥ n). */
  grow(g: Float64Array, h: Float64Array): GrownRegTree {
    const n = this.n;
    const { idx, ghOrd } = this;
    for (let i = 0; i < n; i++) {
      idx[i] = i;
      ghOrd[2 * i] = g[i] as number;
      ghOrd[2 * i + 1] = h[i] as number;
    }
    return this.growTree();
  }

  /**
   * The softmax cross-entropy gradients of every class at the current scores, into ghAll (see
   * softmaxGradients; the WebAssembly kernel's exp is Math.exp to the bit, so both give the same pairs).
   */
  gradients(): void {
    if (this.wasm !== null) this.wasm.softmax(this.scores.byteOffset, this.labels.byteOffset, this.n, this.K, this.ghAll.byteOffset);
    else softmaxGradients(this.scores, this.labels, this.n, this.K, this.ghAll, new Float64Array(this.K));
  }

  /** Grow class k's tree on its pairs from the last gradients(). */
  growClass(k: number): GrownRegTree {
    this.resetRows();
    const n2 = 2 * this.n;
    this.ghOrd.set(this.ghAll.subarray(k * n2, (k + 1) * n2));
    return this.growTree();
  }

  /** Add a grown tree's leaf values to class k's training scores through its leaves' row ranges. */
  addLeaves(k: number, grown: GrownRegTree): void {
    const { start, end, value, feature } = grown;
    const { idx, scores } = this;
    const ko = k * this.n;
    for (let node = 0; node < feature.length; node++) {
      if ((feature[node] as number) >= 0) continue;
      const v = value[node] as number;
      if (this.wasm !== null) {
        this.wasm.addLeaf(scores.byteOffset + 8 * ko, idx.byteOffset, start[node] as number, end[node] as number, v);
        continue;
      }
      for (let j = start[node] as number; j < (end[node] as number); j++) {
        const o = ko + (idx[j] as number);
        scores[o] = (scores[o] as number) + v;
      }
    }
  }

  private resetRows(): void {
    const n = this.n;
    if (this.identity === null) this.identity = Int32Array.from({ length: n }, (_, i) => i);
    this.idx.set(this.identity);
  }

  /** Grow from idx = identity and ghOrd = the rows' (g, h). */
  private growTree(): GrownRegTree {
    const n = this.n;
    const { ghOrd } = this;
    const o = this.o;
    // per node (creation order)
    const start: number[] = [];
    const end: number[] = [];
    const depth: number[] = [];
    const G: number[] = [];
    const H: number[] = [];
    const feature: number[] = [];
    const bin: number[] = [];
    const nanLeft: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const gain: number[] = [];
    const hist: (Float64Array | null)[] = [];

    // node sums come straight from the rows (root pass, then partition), so leaf values do not depend
    // on whether histograms were built or subtracted
    const addNode = (s: number, e: number, d: number, gs: number, hs: number): number => {
      start.push(s);
      end.push(e);
      depth.push(d);
      G.push(gs);
      H.push(hs);
      feature.push(-1);
      bin.push(0);
      nanLeft.push(0);
      left.push(0);
      right.push(0);
      gain.push(0);
      hist.push(null);
      return start.length - 1;
    };
    const canSplit = (i: number): boolean =>
      (o.maxDepth === null || (depth[i] as number) < o.maxDepth) &&
      (end[i] as number) - (start[i] as number) >= 2 * o.minSamplesLeaf &&
      (H[i] as number) >= 2 * o.minHessianLeaf;
    /** Find node i's best split from its histogram; remember it in the node arrays (gain 0 = none). */
    const evaluate = (i: number): void => {
      const hi = hist[i] as Float64Array;
      const b = this.best;
      b.gain = 0;
      b.feature = -1;
      const cnt = (end[i] as number) - (start[i] as number);
      const ph = this.ptrOf(hi);
      if (this.wasm !== null && ph >= 0) {
        const r = this.sums;
        this.wasm.scan(ph, this.nBinsPtr, this.F, G[i] as number, H[i] as number, cnt, o.l2, o.minSamplesLeaf, o.minHessianLeaf, r.byteOffset);
        b.gain = r[0] as number;
        b.feature = r[1] as number;
        b.bin = r[2] as number;
        b.nanLeft = r[3] === 1;
      } else for (let f = 0; f < this.F; f++) scanFeature(hi, f * GH_FEATURE, this.nBins[f] as number, f, G[i] as number, H[i] as number, cnt, o, b);
      if (b.feature >= 0) {
        gain[i] = b.gain;
        feature[i] = b.feature;
        bin[i] = b.bin;
        nanLeft[i] = b.nanLeft ? 1 : 0;
      }
    };

    let g0 = 0;
    let h0 = 0;
    for (let j = 0; j < n; j++) {
      g0 += ghOrd[2 * j] as number;
      h0 += ghOrd[2 * j + 1] as number;
    }
    const root = addNode(0, n, 0, g0, h0);
    if (canSplit(root)) {
      hist[root] = this.buildRoot();
      evaluate(root);
    }
    let leaves = 1;
    for (;;) {
      if (o.maxLeafNodes !== null && leaves >= o.maxLeafNodes) break;
      // open leaves with a split candidate are those with gain > 0 and no children yet
      let pick = -1;
      for (let i = 0; i < start.length; i++) {
        if ((gain[i] as number) > 0 && left[i] === 0 && (pick < 0 || (gain[i] as number) > (gain[pick] as number))) pick = i;
      }
      if (pick < 0) break;
      const s = start[pick] as number;
      const e = end[pick] as number;
      const mid = this.partition(s, e, feature[pick] as number, bin[pick] as number, nanLeft[pick] === 1);
      const d = (depth[pick] as number) + 1;
      const l = addNode(s, mid, d, this.sumGL, this.sumHL);
      const r = addNode(mid, e, d, this.sumGR, this.sumHR);
      left[pick] = l;
      right[pick] = r;
      leaves++;
      const parentHist = hist[pick] as Float64Array;
      hist[pick] = null;
      // once the leaf budget is spent no child will split: skip their histograms (as scikit-learn)
      const full = o.maxLeafNodes !== null && leaves >= o.maxLeafNodes;
      const splitL = !full && canSplit(l);
      const splitR = !full && canSplit(r);
      if (splitL || splitR) {
        const small = mid - s <= e - mid ? l : r;
        const large = small === l ? r : l;
        const hs = this.build(start[small] as number, end[small] as number);
        let hl: Float64Array;
        if (this.subtract) {
          const pp = this.ptrOf(parentHist);
          const ps = this.ptrOf(hs);
          if (this.wasm !== null && pp >= 0 && ps >= 0) this.wasm.subtract(pp, ps, parentHist.length);
          else subtractInto(parentHist, hs, parentHist.length);
          hl = parentHist;
        } else {
          this.release(parentHist);
          hl = this.build(start[large] as number, end[large] as number);
        }
        hist[small] = hs;
        hist[large] = hl;
        for (const c of [l, r]) {
          if (c === l ? splitL : splitR) evaluate(c);
          if ((gain[c] as number) <= 0) {
            this.release(hist[c] as Float64Array);
            hist[c] = null;
          }
        }
      } else {
        this.release(parentHist);
      }
      // a split node's candidate is consumed
      gain[pick] = 0;
    }
    const nNodes = start.length;
    const value = new Float64Array(nNodes);
    const featOut = new Int32Array(nNodes);
    for (let i = 0; i < nNodes; i++) {
      const h = hist[i];
      if (h) this.release(h);
      if (left[i] === 0) {
        featOut[i] = -1;
        const den = (H[i] as number) + o.l2;
        const v = den > 0 ? (-o.learningRate * (G[i] as number)) / den : 0;
        value[i] = Number.isFinite(v) ? v : 0;
      } else featOut[i] = feature[i] as number;
    }
    return {
      feature: featOut,
      bin: Uint8Array.from(bin.map((b, i) => (left[i] === 0 ? 0 : b))),
      nanLeft: Uint8Array.from(nanLeft.map((b, i) => (left[i] === 0 ? 0 : b))),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value,
      rows: this.idx,
      start: Int32Array.from(start),
      end: Int32Array.from(end),
    };
  }

  /**
   * The root's histogram: rows in order (no index), g and h only; the count channel is copied from
   * rootCounts (integers, so the same values a row-by-row count gives).
   */
  private buildRoot(): Float64Array {
    const h = this.take() ?? new Float64Array(this.F * GH_FEATURE);
    h.set(this.rootCounts);
    const { ghOrd, rowBins, F, n } = this;
    const ph = this.ptrOf(h);
    if (this.wasm !== null && ph >= 0) {
      this.wasm.buildRoot(rowBins.byteOffset, F, n, ghOrd.byteOffset, ph);
      this.built.wasm++;
      return h;
    }
    this.built.js++;
    const F4 = F - (F % 4);
    for (let j = 0, base = 0; j < n; j++, base += F) {
      const gj = ghOrd[2 * j] as number;
      const hj = ghOrd[2 * j + 1] as number;
      let f = 0;
      for (; f < F4; f += 4) {
        const o0 = f * GH_FEATURE + (rowBins[base + f] as number) * GH_STRIDE;
        const o1 = (f + 1) * GH_FEATURE + (rowBins[base + f + 1] as number) * GH_STRIDE;
        const o2 = (f + 2) * GH_FEATURE + (rowBins[base + f + 2] as number) * GH_STRIDE;
        const o3 = (f + 3) * GH_FEATURE + (rowBins[base + f + 3] as number) * GH_STRIDE;
        h[o0] = (h[o0] as number) + gj;
        h[o0 + 1] = (h[o0 + 1] as number) + hj;
        h[o1] = (h[o1] as number) + gj;
        h[o1 + 1] = (h[o1 + 1] as number) + hj;
        h[o2] = (h[o2] as number) + gj;
        h[o2 + 1] = (h[o2 + 1] as number) + hj;
        h[o3] = (h[o3] as number) + gj;
        h[o3 + 1] = (h[o3 + 1] as number) + hj;
      }
      for (; f < F; f++) {
        const o = f * GH_FEATURE + (rowBins[base + f] as number) * GH_STRIDE;
        h[o] = (h[o] as number) + gj;
        h[o + 1] = (h[o + 1] as number) + hj;
      }
    }
    return h;
  }

  /**
   * Histogram of rows idx[s..e) over all features, one pass over the rows (see rowBins): in the
   * WebAssembly kernel when a slot is free, else in the loop below. Four features per step: their
   * twelve independent read-modify-writes overlap in the CPU where one feature at a time waits on
   * each (measured 25–30% less CPU per update). Every bin sums its rows in row order either way, so
   * the histogram is the same to the bit.
   */
  private build(s: number, e: number): Float64Array {
    const { idx, ghOrd, rowBins, F } = this;
    const pooled = this.take();
    const ph = pooled === undefined ? -1 : this.ptrOf(pooled);
    if (this.wasm !== null && ph >= 0) {
      this.wasm.build(rowBins.byteOffset, F, idx.byteOffset, s, e, ghOrd.byteOffset, ph);
      this.built.wasm++;
      return pooled as Float64Array;
    }
    this.built.js++;
    let h: Float64Array;
    if (pooled === undefined) h = new Float64Array(F * GH_FEATURE);
    else {
      h = pooled;
      h.fill(0);
    }
    const F4 = F - (F % 4);
    for (let j = s; j < e; j++) {
      const gj = ghOrd[2 * j] as number;
      const hj = ghOrd[2 * j + 1] as number;
      const base = (idx[j] as number) * F;
      let f = 0;
      for (; f < F4; f += 4) {
        const o0 = f * GH_FEATURE + (rowBins[base + f] as number) * GH_STRIDE;
        const o1 = (f + 1) * GH_FEATURE + (rowBins[base + f + 1] as number) * GH_STRIDE;
        const o2 = (f + 2) * GH_FEATURE + (rowBins[base + f + 2] as number) * GH_STRIDE;
        const o3 = (f + 3) * GH_FEATURE + (rowBins[base + f + 3] as number) * GH_STRIDE;
        h[o0] = (h[o0] as number) + gj;
        h[o0 + 1] = (h[o0 + 1] as number) + hj;
        h[o0 + 2] = (h[o0 + 2] as number) + 1;
        h[o1] = (h[o1] as number) + gj;
        h[o1 + 1] = (h[o1 + 1] as number) + hj;
        h[o1 + 2] = (h[o1 + 2] as number) + 1;
        h[o2] = (h[o2] as number) + gj;
        h[o2 + 1] = (h[o2 + 1] as number) + hj;
        h[o2 + 2] = (h[o2 + 2] as number) + 1;
        h[o3] = (h[o3] as number) + gj;
        h[o3 + 1] = (h[o3 + 1] as number) + hj;
        h[o3 + 2] = (h[o3 + 2] as number) + 1;
      }
      for (; f < F; f++) {
        const o = f * GH_FEATURE + (rowBins[base + f] as number) * GH_STRIDE;
        h[o] = (h[o] as number) + gj;
        h[o + 1] = (h[o + 1] as number) + hj;
        h[o + 2] = (h[o + 2] as number) + 1;
      }
    }
    return h;
  }

  /**
   * Stable partition of rows [s, e) (and their g, h) into left then right; returns the boundary and
   * leaves each side's gradient and hessian sums in sumGL/sumHL/sumGR/sumHR.
   */
  private partition(s: number, e: number, f: number, t: number, nanLeft: boolean): number {
    const { idx, ghOrd, tmpI, tmpGH } = this;
    if (this.wasm !== null) {
      const mid = this.wasm.partition(this.colPtr + f * this.n, idx.byteOffset, ghOrd.byteOffset, tmpI.byteOffset, tmpGH.byteOffset, s, e, t, nanLeft ? 1 : 0, this.sums.byteOffset);
      const sums = this.sums;
      this.sumGL = sums[0] as number;
      this.sumHL = sums[1] as number;
      this.sumGR = sums[2] as number;
      this.sumHR = sums[3] as number;
      return mid;
    }
    const col = this.bins[f] as Uint8Array;
    let w = s;
    let r = 0;
    let gl = 0;
    let hl = 0;
    let gr = 0;
    let hr = 0;
    // branch-free: a split's side is a coin flip to the branch predictor, so every row is written to
    // both sides and only the matching counter advances (w ≤ j: the in-place left side never
    // overtakes the reads). goL is 0 or 1; adding gj·0 = ±0 leaves a sum as it was.
    const nl = nanLeft ? 1 : 0;
    for (let j = s; j < e; j++) {
      const i = idx[j] as number;
      const b = col[i] as number;
      const gj = ghOrd[2 * j] as number;
      const hj = ghOrd[2 * j + 1] as number;
      // b ≤ t, or b is the NaN code (255) and NaN goes left
      const goL = (((t - b) >>> 31) ^ 1) | (nl & ((b + 1) >> 8));
      const goR = 1 - goL;
      idx[w] = i;
      ghOrd[2 * w] = gj;
      ghOrd[2 * w + 1] = hj;
      tmpI[r] = i;
      tmpGH[2 * r] = gj;
      tmpGH[2 * r + 1] = hj;
      w += goL;
      r += goR;
      gl += gj * goL;
      hl += hj * goL;
      gr += gj * goR;
      hr += hj * goR;
    }
    this.sumGL = gl;
    this.sumHL = hl;
    this.sumGR = gr;
    this.sumHR = hr;
    idx.set(tmpI.subarray(0, r), w);
    ghOrd.set(tmpGH.subarray(0, 2 * r), 2 * w);
    return w;
  }
}
