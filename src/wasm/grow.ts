// The classification tree grower of src/core/models/tree/grow.ts (the Grower class), compiled by
// AssemblyScript to WebAssembly. It is that code operation for operation (the same random draws from
// the same sfc32 stream, the same floating-point operations in the same order) except that a node's
// rows may sit in another order after a partition, which no result depends on (see partition); so
// it grows the same tree to the bit (the host compares the two in its tests).
// Why it exists: its loops are random-access reads of one-byte codes and scattered additions into
// small histograms; WebAssembly runs them without bounds checks or tagged-number conversions.
// Pointers are byte offsets into this module's memory, laid out by the host (grow-wasm.ts).

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

const NAN_BIN: i32 = 255;
const HIST_BINS: i32 = 256;

// ---- the fit's data and options (setData / setOptions) ----
let F: i32 = 0; // features
let C: i32 = 0; // classes
let S: i32 = 0; // C + 1 channels per bin
let HS: i32 = 0; // doubles per feature histogram
let nRows: i32 = 0;
let pBins: usize = 0; // feature f's codes at pBins + f·nRows
let pNBins: usize = 0; // i32 per feature
let pY: usize = 0; // u8 per row
let pW: usize = 0; // f64 per row (bootstrap counts)
let pIdx: usize = 0; // i32, rows of the tree's sample
let pCode: usize = 0; // i32, (weight << 8) | class beside idx
let pFeats: usize = 0; // i32 F
let pConst: usize = 0; // i32 F
let pKeys: usize = 0; // i32 sortBelow
let pKeyBins: usize = 0; // u8 sortBelow
let pBinStart: usize = 0; // i32 HIST_BINS + 1
let pScratch: usize = 0; // f64 HS
let pT: usize = 0; // f64 C
let pL: usize = 0;
let pN: usize = 0;
let pBestL: usize = 0;
let pSide: usize = 0; // f64 3·S
let pTotals: usize = 0; // f64 C per (depth, side) slot, depths below `levels`
let levels: i32 = 0;
let pOFeature: usize = 0; // i32 per node
let pOBin: usize = 0; // u8 per node
let pONan: usize = 0; // u8 per node
let pORight: usize = 0; // i32 per node
let pOLeaf: usize = 0; // f64 C per leaf
let pImp: usize = 0; // f64 F
let pPool: usize = 0; // poolCap histograms of F·HS doubles
let pSpare: usize = 0; // i32 2·nRows: the right rows' idx then code during a partition
let poolCap: i32 = 0;

let maxDepth: i32 = -1; // −1: none
let minLeaf: i32 = 1;
let minSplit: i32 = 2;
let mtry: i32 = 1;
let random: bool = false;
let subtract: bool = false;
let sortBelow: i32 = 256;
let subtractAbove: i32 = 2048;
let randomHistFrom: i32 = 512;

// ---- per tree state ----
let nodes: i32 = 0;
let leaves: i32 = 0;
let poolTop: i32 = 0; // free histograms: slots poolFree[0..poolTop)
let poolUsed: i32 = 0; // slots ever handed out
let pPoolFree: usize = 0; // i32 poolCap
let overflow: bool = false;
let tc: i32 = 0;
let lc: f64 = 0;
let nc: f64 = 0;
let nConst: i32 = 0;
let bestScore: f64 = -Infinity;
let bestF: i32 = -1;
let bestBin: i32 = 0;
let bestNanLeft: bool = false;
let bestNc: f64 = 0;

// ---- sfc32, as src/core/util/rng.ts ----
let ra: u32 = 0;
let rb: u32 = 0;
let rc: u32 = 0;
let rd: u32 = 0;

function nextU32(): u32 {
  const t = ra + rb + rd;
  rd = rd + 1;
  ra = rb ^ (rb >>> 9);
  rb = rc + (rc << 3);
  rc = (rc << 21) | (rc >>> 11);
  rc = rc + t;
  return t;
}

function rngNext(): f64 {
  return <f64>nextU32() / 4294967296.0;
}

function rngInt(n: i32): i32 {
  return <i32>Math.floor(rngNext() * <f64>n);
}

/** Pointers of the fit's regions, in the order of the host's layout. */
export function setData(
  f: i32, c: i32, n: i32, bins: usize, nBins: usize, y: usize, w: usize, idx: usize, code: usize, feats: usize, consts: usize,
  keys: usize, keyBins: usize, binStart: usize, scratch: usize, small: usize, totals: usize,
  oFeature: usize, oBin: usize, oNan: usize, oRight: usize, oLeaf: usize, imp: usize, pool: usize, poolFree: usize, cap: i32, spare: usize,
  nLevels: i32,
): void {
  F = f;
  C = c;
  S = c + 1;
  HS = HIST_BINS * S;
  nRows = n;
  pBins = bins;
  pNBins = nBins;
  pY = y;
  pW = w;
  pIdx = idx;
  pCode = code;
  pFeats = feats;
  pConst = consts;
  pKeys = keys;
  pKeyBins = keyBins;
  pBinStart = binStart;
  pScratch = scratch;
  // small per-node vectors: T, L, N, bestL (C each), side (3·S)
  pT = small;
  pL = small + (<usize>c << 3);
  pN = small + (<usize>(2 * c) << 3);
  pBestL = small + (<usize>(3 * c) << 3);
  pSide = small + (<usize>(4 * c) << 3);
  pTotals = totals;
  pOFeature = oFeature;
  pOBin = oBin;
  pONan = oNan;
  pORight = oRight;
  pOLeaf = oLeaf;
  pImp = imp;
  pPool = pool;
  pPoolFree = poolFree;
  poolCap = cap;
  pSpare = spare;
  levels = nLevels;
}

export function setOptions(depth: i32, leaf: i32, split: i32, m: i32, isRandom: i32, isSubtract: i32, below: i32, above: i32, histFrom: i32): void {
  maxDepth = depth;
  minLeaf = leaf;
  minSplit = split;
  mtry = m;
  random = isRandom != 0;
  subtract = isSubtract != 0;
  sortBelow = below;
  subtractAbove = above;
  randomHistFrom = histFrom;
}

@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function f64Set(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline function i32Set(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}
@inline function addAt(p: usize, i: i32, v: f64): void {
  const q = p + (<usize>i << 3);
  store<f64>(q, load<f64>(q) + v);
}
function zero(p: usize, len: i32): void {
  memory.fill(p, 0, <usize>len << 3);
}
function swapI32(p: usize, i: i32, j: i32): void {
  const t = i32At(p, i);
  i32Set(p, i, i32At(p, j));
  i32Set(p, j, t);
}

/** addClassHistogram of histogram.ts: feature f's rows idx[start..end) into hist. */
function addClassHistogram(f: i32, start: i32, end: i32, hist: usize): void {
  const col = pBins + <usize>f * <usize>nRows;
  for (let j = start; j < end; j++) {
    const c = i32At(pCode, j);
    const o = <i32>load<u8>(col + <usize>i32At(pIdx, j)) * S;
    addAt(hist, o + (c & 255), <f64>(c >>> 8));
    addAt(hist, o + C, 1.0);
  }
}

function acquire(): usize {
  let slot: i32;
  if (poolTop > 0) {
    poolTop--;
    slot = i32At(pPoolFree, poolTop);
  } else {
    if (poolUsed >= poolCap) {
      overflow = true;
      slot = 0;
    } else slot = poolUsed++;
  }
  const h = pPool + <usize>slot * <usize>(F * HS) * 8;
  zero(h, F * HS);
  return h;
}

function release(h: usize): void {
  i32Set(pPoolFree, poolTop++, <i32>((h - pPool) / (<usize>(F * HS) * 8)));
}

function fullHistogram(start: i32, end: i32): usize {
  const h = acquire();
  for (let f = 0; f < F; f++) addClassHistogram(f, start, end, h + (<usize>(f * HS) << 3));
  return h;
}

function totalsAt(depth: i32, side: i32): usize {
  return pTotals + (<usize>((2 * depth + side) * C) << 3);
}

/** `grow`'s weights (anything else: the host's, already at w): drawn here as fitTreeAt's bootstrap, or 1 for every row. */
const WEIGHTS_BOOTSTRAP: i32 = 1;
const WEIGHTS_ONES: i32 = 2;

/**
 * Grow one tree from the generator state (a, b, c, d) and the weights `weights` names; returns the
 * node count, or −1 when the histogram pool ran out or the tree would be `levels` deep (the host then
 * grows it in JavaScript). The generator's final state is left for rngState().
 */
export function grow(a: u32, b: u32, c: u32, d: u32, weights: i32): i32 {
  ra = a;
  rb = b;
  rc = c;
  rd = d;
  if (weights == WEIGHTS_BOOTSTRAP) {
    // fitTreeAt's bootstrap: n draws with replacement from the same stream, kept as per-row counts
    zero(pW, nRows);
    for (let i = 0; i < nRows; i++) addAt(pW, rngInt(nRows), 1.0);
  } else if (weights == WEIGHTS_ONES) {
    for (let i = 0; i < nRows; i++) f64Set(pW, i, 1.0);
  }
  let m = 0;
  for (let i = 0; i < nRows; i++) {
    const wi = f64At(pW, i);
    if (wi > 0) {
      i32Set(pIdx, m, i);
      i32Set(pCode, m, (<i32>wi << 8) | <i32>load<u8>(pY + <usize>i));
      m++;
    }
  }
  for (let f = 0; f < F; f++) i32Set(pFeats, f, f);
  zero(pImp, F);
  nodes = 0;
  leaves = 0;
  nConst = 0;
  poolTop = 0;
  poolUsed = 0;
  overflow = false;
  let hist: usize = 0;
  if (!random && subtract && m >= subtractAbove) hist = fullHistogram(0, m);
  node(0, m, 0, hist, 0, 0);
  return overflow ? -1 : nodes;
}

export function rngState(k: i32): u32 {
  return k == 0 ? ra : k == 1 ? rb : k == 2 ? rc : rd;
}

export function leafCount(): i32 {
  return leaves;
}

/** `given`: the node's class totals from the parent's split (0 at the root); hist 0 = none. */
function node(start: i32, end: i32, depth: i32, hist: usize, given: usize, nKnown: i32): void {
  // a tree the port gave up on is grown again in JavaScript: stop at once
  if (overflow) return;
  const id = nodes++;
  i32Set(pOFeature, id, -1);
  store<u8>(pOBin + <usize>id, 0);
  store<u8>(pONan + <usize>id, 0);
  i32Set(pORight, id, 0);
  if (given != 0) memory.copy(pT, given, <usize>C << 3);
  else {
    zero(pT, C);
    for (let j = start; j < end; j++) {
      const c = i32At(pCode, j);
      addAt(pT, c & 255, <f64>(c >>> 8));
    }
  }
  const m = end - start;
  let wt: f64 = 0;
  let nonzero = 0;
  for (let k = 0; k < C; k++) {
    const v = f64At(pT, k);
    wt += v;
    if (v > 0) nonzero++;
  }
  tc = m;
  const leaf = nonzero <= 1 || m < minSplit || m < 2 * minLeaf || (maxDepth >= 0 && depth >= maxDepth) || !findSplit(start, end, hist, nKnown);
  if (leaf) {
    const o = pOLeaf + (<usize>(leaves * C) << 3);
    for (let k = 0; k < C; k++) f64Set(o, k, f64At(pT, k));
    leaves++;
    if (hist != 0) release(hist);
    return;
  }
  const f = bestF;
  const t = bestBin;
  let wl: f64 = 0;
  let sl: f64 = 0;
  let sr: f64 = 0;
  let st: f64 = 0;
  for (let k = 0; k < C; k++) {
    const l = f64At(pBestL, k);
    const tk = f64At(pT, k);
    const r = tk - l;
    wl += l;
    sl += l * l;
    sr += r * r;
    st += tk * tk;
  }
  const wr = wt - wl;
  const nanLeft = bestNc > 0 ? bestNanLeft : wl >= wr;
  f64Set(pImp, f, f64At(pImp, f) + wt - st / wt - (wl - sl / wl) - (wr - sr / wr));
  i32Set(pOFeature, id, f);
  store<u8>(pOBin + <usize>id, <u8>t);
  store<u8>(pONan + <usize>id, nanLeft ? 1 : 0);
  const mid = partition(start, end, f, t, nanLeft);

  let hl: usize = 0;
  let hr: usize = 0;
  if (hist != 0) {
    const nl = mid - start;
    const nr = end - mid;
    if (max(nl, nr) >= subtractAbove) {
      const leftSmaller = nl <= nr;
      const small = leftSmaller ? fullHistogram(start, mid) : fullHistogram(mid, end);
      const len = F * HS;
      for (let i = 0; i < len; i++) f64Set(hist, i, f64At(hist, i) - f64At(small, i));
      const smallNeeds = min(nl, nr) >= subtractAbove;
      if (!smallNeeds) release(small);
      hl = leftSmaller ? (smallNeeds ? small : 0) : hist;
      hr = leftSmaller ? hist : smallNeeds ? small : 0;
    } else {
      release(hist);
    }
  }
  if (depth + 1 >= levels) {
    overflow = true;
    return;
  }
  const tl = totalsAt(depth + 1, 0);
  const tr = totalsAt(depth + 1, 1);
  for (let k = 0; k < C; k++) {
    const l = f64At(pBestL, k);
    f64Set(tl, k, l);
    f64Set(tr, k, f64At(pT, k) - l);
  }
  const known = nConst;
  node(start, mid, depth + 1, hl, tl, known);
  i32Set(pORight, id, nodes);
  node(mid, end, depth + 1, hr, tr, known);
}

/** findSplit of grow.ts: scikit-learn's draw of features without replacement, constants skipped. */
function findSplit(start: i32, end: i32, hist: usize, nKnown: i32): bool {
  bestScore = -Infinity;
  bestF = -1;
  const sorted = !random && hist == 0 && end - start < sortBelow;
  let fi = F;
  let visited = 0;
  let nFound = 0;
  let nDrawn = 0;
  let nTotal = nKnown;
  while (fi > nTotal && (visited < mtry || visited <= nFound + nDrawn)) {
    visited++;
    let fj = nDrawn + rngInt(fi - nFound - nDrawn);
    if (fj < nKnown) {
      swapI32(pFeats, nDrawn, fj);
      nDrawn++;
      continue;
    }
    fj += nFound;
    const f = i32At(pFeats, fj);
    let ok: bool;
    if (random) ok = randomFeature(f, start, end);
    else if (sorted) ok = sortedFeature(f, start, end);
    else if (hist != 0) ok = sweepHistogram(f, hist + (<usize>(f * HS) << 3));
    else {
      addClassHistogram(f, start, end, pScratch);
      ok = sweepHistogram(f, pScratch);
      zero(pScratch, HS);
    }
    if (!ok) {
      swapI32(pFeats, fj, nTotal);
      nFound++;
      nTotal++;
      continue;
    }
    fi--;
    swapI32(pFeats, fi, fj);
  }
  for (let i = 0; i < nKnown; i++) i32Set(pFeats, i, i32At(pConst, i));
  for (let i = nKnown; i < nTotal; i++) i32Set(pConst, i, i32At(pFeats, i));
  nConst = nTotal;
  return bestF >= 0;
}

function consider(f: i32, b: i32, nanLeft: bool): void {
  const lcount = lc + (nanLeft ? nc : 0);
  const rcount = <f64>tc - lcount;
  const msl = <f64>minLeaf;
  if (lcount < msl || rcount < msl) return;
  let wl: f64 = 0;
  let wr: f64 = 0;
  let sl: f64 = 0;
  let sr: f64 = 0;
  if (nanLeft) {
    for (let k = 0; k < C; k++) {
      const l = f64At(pL, k) + f64At(pN, k);
      const r = f64At(pT, k) - l;
      wl += l;
      wr += r;
      sl += l * l;
      sr += r * r;
    }
  } else {
    // L[k] + 0 is L[k]: the left sums add non-negative whole weights from +0, so none is −0
    for (let k = 0; k < C; k++) {
      const l = f64At(pL, k);
      const r = f64At(pT, k) - l;
      wl += l;
      wr += r;
      sl += l * l;
      sr += r * r;
    }
  }
  const score = sl / wl + sr / wr;
  if (score > bestScore) {
    bestScore = score;
    bestF = f;
    bestBin = b;
    bestNanLeft = nanLeft;
    bestNc = nc;
    for (let k = 0; k < C; k++) f64Set(pBestL, k, f64At(pL, k) + (nanLeft ? f64At(pN, k) : 0));
  }
}

function candidates(f: i32, b: i32, maxB: i32): void {
  if (b < maxB) {
    consider(f, b, false);
    if (nc > 0) consider(f, b, true);
  } else if (nc > 0) {
    consider(f, b, false);
  }
}

function sweepHistogram(f: i32, h: usize): bool {
  const nb = i32At(pNBins, f);
  const no = NAN_BIN * S;
  nc = f64At(h, no + C);
  for (let k = 0; k < C; k++) f64Set(pN, k, f64At(h, no + k));
  let minB = -1;
  let maxB = -1;
  for (let b = 0; b < nb; b++) {
    if (f64At(h, b * S + C) > 0) {
      if (minB < 0) minB = b;
      maxB = b;
    }
  }
  if (minB < 0 || (minB == maxB && nc == 0)) return false;
  zero(pL, C);
  lc = 0;
  for (let b = minB; b <= maxB; b++) {
    const o = b * S;
    const cnt = f64At(h, o + C);
    if (cnt == 0) continue;
    for (let k = 0; k < C; k++) f64Set(pL, k, f64At(pL, k) + f64At(h, o + k));
    lc += cnt;
    candidates(f, b, maxB);
  }
  return true;
}

function sortedFeature(f: i32, start: i32, end: i32): bool {
  const m = end - start;
  const col = pBins + <usize>f * <usize>nRows;
  memory.fill(pBinStart, 0, <usize>(HIST_BINS + 1) << 2);
  for (let j = 0; j < m; j++) {
    const b = <i32>load<u8>(col + <usize>i32At(pIdx, start + j));
    store<u8>(pKeyBins + <usize>j, <u8>b);
    i32Set(pBinStart, b + 1, i32At(pBinStart, b + 1) + 1);
  }
  for (let b = 1; b <= HIST_BINS; b++) i32Set(pBinStart, b, i32At(pBinStart, b) + i32At(pBinStart, b - 1));
  for (let j = 0; j < m; j++) {
    const b = <i32>load<u8>(pKeyBins + <usize>j);
    const to = i32At(pBinStart, b);
    i32Set(pBinStart, b, to + 1);
    i32Set(pKeys, to, (b << 16) | j);
  }
  zero(pN, C);
  nc = 0;
  let e = m;
  while (e > 0 && <u32>i32At(pKeys, e - 1) >>> 16 == <u32>NAN_BIN) {
    e--;
    const c = i32At(pCode, start + (i32At(pKeys, e) & 0xffff));
    addAt(pN, c & 255, <f64>(c >>> 8));
    nc++;
  }
  if (e == 0) return false;
  const minB = <i32>(<u32>i32At(pKeys, 0) >>> 16);
  const maxB = <i32>(<u32>i32At(pKeys, e - 1) >>> 16);
  if (minB == maxB && nc == 0) return false;
  zero(pL, C);
  lc = 0;
  let j = 0;
  while (j < e) {
    const b = <i32>(<u32>i32At(pKeys, j) >>> 16);
    while (j < e && <i32>(<u32>i32At(pKeys, j) >>> 16) == b) {
      const c = i32At(pCode, start + (i32At(pKeys, j) & 0xffff));
      addAt(pL, c & 255, <f64>(c >>> 8));
      lc++;
      j++;
    }
    candidates(f, b, maxB);
  }
  return true;
}

function randomFeature(f: i32, start: i32, end: i32): bool {
  if (end - start >= randomHistFrom) return randomFeatureHist(f, start, end);
  const col = pBins + <usize>f * <usize>nRows;
  let minB = NAN_BIN;
  let maxB = -1;
  let hasNan = false;
  for (let j = start; j < end; j++) {
    const b = <i32>load<u8>(col + <usize>i32At(pIdx, j));
    if (b == NAN_BIN) hasNan = true;
    else {
      if (b < minB) minB = b;
      if (b > maxB) maxB = b;
    }
  }
  if (maxB < 0 || (minB == maxB && !hasNan)) return false;
  let t = maxB;
  let nanLeft = false;
  if (maxB > minB) {
    t = minB + rngInt(maxB - minB);
    if (hasNan) nanLeft = rngNext() < 0.5;
  }
  zero(pSide, 3 * S);
  let rcount = 0;
  let ncount = 0;
  for (let j = start; j < end; j++) {
    const b = <i32>load<u8>(col + <usize>i32At(pIdx, j));
    const c = i32At(pCode, j);
    const right = <i32>(b > t);
    const nan = <i32>(b == NAN_BIN);
    rcount += right;
    ncount += nan;
    addAt(pSide, (right + nan) * S + (c & 255), <f64>(c >>> 8));
  }
  for (let k = 0; k < C; k++) {
    f64Set(pL, k, f64At(pSide, k));
    f64Set(pN, k, f64At(pSide, 2 * S + k));
  }
  lc = <f64>(end - start - rcount);
  nc = <f64>ncount;
  consider(f, t, nanLeft);
  return true;
}

function randomFeatureHist(f: i32, start: i32, end: i32): bool {
  const h = pScratch;
  addClassHistogram(f, start, end, h);
  const nb = i32At(pNBins, f);
  let minB = -1;
  let maxB = -1;
  for (let b = 0; b < nb; b++) {
    if (f64At(h, b * S + C) > 0) {
      if (minB < 0) minB = b;
      maxB = b;
    }
  }
  const no = NAN_BIN * S;
  const ncount = f64At(h, no + C);
  const hasNan = ncount > 0;
  if (maxB < 0 || (minB == maxB && !hasNan)) {
    zero(h, HS);
    return false;
  }
  let t = maxB;
  let nanLeft = false;
  if (maxB > minB) {
    t = minB + rngInt(maxB - minB);
    if (hasNan) nanLeft = rngNext() < 0.5;
  }
  zero(pL, C);
  let lcount: f64 = 0;
  for (let b = minB; b <= t; b++) {
    const o = b * S;
    for (let k = 0; k < C; k++) f64Set(pL, k, f64At(pL, k) + f64At(h, o + k));
    lcount += f64At(h, o + C);
  }
  for (let k = 0; k < C; k++) f64Set(pN, k, f64At(h, no + k));
  lc = lcount;
  nc = ncount;
  zero(h, HS);
  consider(f, t, nanLeft);
  return true;
}

/**
 * Rows of idx[start..end) going left first, in their order, then the right ones in theirs, without a
 * data-dependent branch (every row is written to both places, the cursors move by the predicate).
 * The order of rows within a node changes no result: every sum over a node's rows adds whole-number
 * weights (exact in any order), and the sorted path breaks ties by position only among rows of one
 * bin, whose weights it adds together before it scores a split.
 */
function partition(start: i32, end: i32, f: i32, t: i32, nanLeft: bool): i32 {
  const col = pBins + <usize>f * <usize>nRows;
  const nl = <i32>nanLeft;
  let l = start;
  let r = 0;
  for (let j = start; j < end; j++) {
    const row = i32At(pIdx, j);
    const c = i32At(pCode, j);
    const b = <i32>load<u8>(col + <usize>row);
    const left = select<i32>(nl, <i32>(b <= t), b == NAN_BIN);
    // l ≤ j: the slot written was read already
    i32Set(pIdx, l, row);
    i32Set(pCode, l, c);
    i32Set(pSpare, r, row);
    i32Set(pSpare + (<usize>nRows << 2), r, c);
    l += left;
    r += 1 - left;
  }
  memory.copy(pIdx + (<usize>l << 2), pSpare, <usize>r << 2);
  memory.copy(pCode + (<usize>l << 2), pSpare + (<usize>nRows << 2), <usize>r << 2);
  return l;
}
