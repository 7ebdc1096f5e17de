import type { Rng } from '../../util/rng.js';
import { WasmArena } from '../../util/wasm.js';
import type { BinnedData, GrownTree } from './grow.js';
import { HIST_BINS, histSize } from './histogram.js';

/** The exports of src/wasm/grow.ts (pointers are byte offsets into the arena's memory). */
interface GrowKernels {
  setData(
    f: number, c: number, n: number, bins: number, nBins: number, y: number, w: number, idx: number, code: number, feats: number, consts: number,
    keys: number, keyBins: number, binStart: number, scratch: number, small: number, totals: number,
    oFeature: number, oBin: number, oNan: number, oRight: number, oLeaf: number, imp: number, pool: number, poolFree: number, cap: number, spare: number,
    levels: number,
  ): void;
  setOptions(depth: number, leaf: number, split: number, mtry: number, random: number, subtract: number, sortBelow: number, subtractAbove: number, randomHistFrom: number): void;
  grow(a: number, b: number, c: number, d: number, weights: number): number;
  rngState(k: number): number;
  leafCount(): number;
}

/** The grower's resolved options (grow.ts fills the defaults). */
export interface ResolvedGrowOptions {
  maxDepth: number | null;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  mtry: number;
  random: boolean;
  subtract: boolean;
  sortBelow: number;
  subtractAbove: number;
  randomHistFrom: number;
}

// arena regions (float64 units)
const R_Bins = 0;
const R_NBins = 1;
const R_Y = 2;
const R_W = 3;
const R_Idx = 4;
const R_Code = 5;
const R_Feats = 6;
const R_Consts = 7;
const R_Keys = 8;
const R_KeyBins = 9;
const R_BinStart = 10;
const R_Scratch = 11;
const R_Small = 12;
const R_Totals = 13;
const R_OFeature = 14;
const R_OBin = 15;
const R_ONan = 16;
const R_ORight = 17;
const R_OLeaf = 18;
const R_Imp = 19;
const R_Pool = 20;
const R_PoolFree = 21;
const R_Spare = 22;

/**
 * Depths the port keeps child totals for; a deeper tree is grown in JavaScript (such depths only come
 * from pathological data, and the port's recursion stays far from the stack's limit).
 */
const MAX_LEVELS = 1024;

/** Whole-feature histograms the subtraction pool may hold; a tree that needs more is grown in JavaScript. */
function poolCapacity(F: number, HS: number): number {
  return Math.max(4, Math.min(32, Math.floor((64 * 2 ** 20) / (F * HS * 8))));
}

/**
 * One fit's WebAssembly memory for growing its trees: the binned columns and labels copied in once,
 * then per tree the sample weights in, the node arrays out.
 */
class GrowArena {
  private constructor(
    private readonly arena: WasmArena<GrowKernels>,
    readonly sortBelow: number,
    readonly subtract: boolean,
    readonly cap: number,
    readonly levels: number,
  ) {}

  /** `cap`: histograms in the subtraction pool, by default from a 64 MiB budget; `depths`: MAX_LEVELS by default. */
  static create(data: BinnedData, sortBelow: number, subtract: boolean, cap?: number, depths?: number): GrowArena {
    const F = data.bins.length;
    const n = data.n;
    const C = data.nClasses;
    const S = C + 1;
    const HS = histSize(S);
    const pool = subtract ? (cap ?? poolCapacity(F, HS)) : 0;
    const levels = Math.min(n + 2, depths ?? MAX_LEVELS);
    // float64 units, in the order of the R_ regions above
    const lengths = [
      Math.ceil((F * n) / 8),
      Math.ceil(F / 2),
      Math.ceil(n / 8),
      n,
      Math.ceil(n / 2),
      Math.ceil(n / 2),
      Math.ceil(F / 2),
      Math.ceil(F / 2),
      Math.ceil(sortBelow / 2),
      Math.ceil(sortBelow / 8),
      Math.ceil((HIST_BINS + 1) / 2),
      HS,
      4 * C + 3 * S,
      2 * C * levels,
      n,
      Math.ceil((2 * n) / 8),
      Math.ceil((2 * n) / 8),
      n,
      n * C,
      F,
      pool * F * HS,
      Math.ceil(pool / 2),
      n,
    ];
    const arena = new WasmArena<GrowKernels>('grow', lengths);
    const bytes = new Uint8Array(arena.f64.buffer);
    const bp = arena.ptr(R_Bins);
    for (let f = 0; f < F; f++) bytes.set((data.bins[f] as Uint8Array).subarray(0, n), bp + f * n);
    const nb = new Int32Array(arena.f64.buffer, arena.ptr(R_NBins), F);
    for (let f = 0; f < F; f++) nb[f] = data.nBins[f] as number;
    bytes.set(data.y.subarray(0, n), arena.ptr(R_Y));
    const p = (r: number): number => arena.ptr(r);
    arena.exports.setData(
      F, C, n, p(R_Bins), p(R_NBins), p(R_Y), p(R_W), p(R_Idx), p(R_Code), p(R_Feats), p(R_Consts),
      p(R_Keys), p(R_KeyBins), p(R_BinStart), p(R_Scratch), p(R_Small), p(R_Totals),
      p(R_OFeature), p(R_OBin), p(R_ONan), p(R_ORight), p(R_OLeaf), p(R_Imp), p(R_Pool), p(R_PoolFree), pool, p(R_Spare),
      levels,
    );
    return new GrowArena(arena, sortBelow, subtract, pool, levels);
  }

  /** The tree grow.ts's Grower grows, or null when the pool ran out or the tree is too deep (rng then untouched). */
  grow(data: BinnedData, w: Weights, o: ResolvedGrowOptions, rng: Rng): GrownTree | null {
    const { arena } = this;
    const ex = arena.exports;
    const F = data.bins.length;
    const C = data.nClasses;
    if (typeof w !== 'string') arena.view(R_W).set(w.subarray(0, data.n));
    ex.setOptions(o.maxDepth ?? -1, o.minSamplesLeaf, o.minSamplesSplit, o.mtry, o.random ? 1 : 0, o.subtract ? 1 : 0, o.sortBelow, o.subtractAbove, o.randomHistFrom);
    const [a, b, c, d] = rng.words();
    const nodes = ex.grow(a, b, c, d, w === 'bootstrap' ? 1 : w === 'ones' ? 2 : 0);
    if (nodes < 0) return null;
    rng.setWords([ex.rngState(0), ex.rngState(1), ex.rngState(2), ex.rngState(3)]);
    const leaves = ex.leafCount();
    const buf = arena.f64.buffer;
    return {
      feature: new Int32Array(buf, arena.ptr(R_OFeature), nodes).slice(),
      bin: new Uint8Array(buf, arena.ptr(R_OBin), nodes).slice(),
      nanLeft: new Uint8Array(buf, arena.ptr(R_ONan), nodes).slice(),
      right: new Int32Array(buf, arena.ptr(R_ORight), nodes).slice(),
      leafCounts: arena.view(R_OLeaf).slice(0, leaves * C),
      importance: arena.view(R_Imp).slice(0, F),
    };
  }
}

/**
 * A tree's row weights: given, or drawn by the port as fitTreeAt draws them ('bootstrap': n draws with
 * replacement from the tree's generator, as counts; 'ones': every row once).
 */
export type Weights = Float64Array | 'bootstrap' | 'ones';

/** The port's capacities (tests make them small): histograms in the subtraction pool, tree depths. */
export interface GrowLimits {
  poolHistograms?: number;
  levels?: number;
}

// One arena per fit's binned data (and per thread: each worker has its own copy of the data object).
const arenas = new WeakMap<BinnedData, GrowArena | null>();

/**
 * Grow a tree with the WebAssembly port of the Grower: the same tree, to the bit, and the generator
 * left in the same state. Null when the port cannot take it (its histogram pool ran out); the caller
 * then grows it in JavaScript from the untouched generator.
 */
export function growTreeWasm(data: BinnedData, w: Weights, o: ResolvedGrowOptions, rng: Rng, limits: GrowLimits = {}): GrownTree | null {
  let a = arenas.get(data);
  if (a === null) return null;
  const { poolHistograms, levels } = limits;
  if (a === undefined || a.sortBelow < o.sortBelow || (o.subtract && !a.subtract) || (poolHistograms !== undefined && a.cap !== poolHistograms) || (levels !== undefined && a.levels !== levels)) {
    try {
      a = GrowArena.create(data, Math.max(o.sortBelow, a?.sortBelow ?? 0), o.subtract || (a?.subtract ?? false), poolHistograms, levels);
    } catch (e) {
      // data too large for WebAssembly's 4 GiB: every tree of this fit grows in JavaScript
      if (!(e instanceof RangeError)) throw e;
      arenas.set(data, null);
      return null;
    }
    arenas.set(data, a);
  }
  return a.grow(data, w, o, rng);
}
