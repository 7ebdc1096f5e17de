// Tree-ensemble prediction compiled by AssemblyScript to WebAssembly: rows binned to one-byte codes
// walk every tree. For a forest (ForestModel.predictProba in src/core/models/forest.ts) each row's leaf
// class distribution is added into its accumulator, tree by tree, in tree order, then every row is
// divided by its sum; for a booster (BoostModel.predictProbaAt in src/core/models/boost.ts) each tree
// adds its leaf score into its class's raw score, in tree order. The same float64 additions in the
// same order as Tree.accumulateBinned / RegTree.addRowBinned and the JavaScript normalisation, so the
// results are identical to the bit.
// Pointers are byte offsets into this module's memory.

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

// Rows come widened (see widen): 2F bytes per row, the F bin codes b, then the F codes (b + 1) & 255,
// which move NaN's code 255 to 0, below every value code.
// A node is 12 bytes: int32 code, uint32 next, uint32 leaf (written by pack).
// A split node's code is (j << 16) | t: a row goes to the left child (the next node, preorder) when
// its widened byte j is below t, else to the node at byte address next. NaN going right: j = feature,
// t = bin + 1 (NaN's 255 is above every split bin); NaN going left: j = F + feature, t = bin + 2.
// A leaf's code is LEAF (j = 0, t = 0: no byte is below 0), its next is its own address, so a walk
// that steps a leaf stays there; leaf is the byte address of its payload: a class distribution (C
// float32) for accumulate, a score (float64) for addScores.

/** Bit 15 of a node's code: set on leaves only. */
const LEAF: i32 = 0x8000;
/** Bytes per node. */
const NODE: usize = 12;

/** The node after `node` (code `code`) for the widened row at `row`; a leaf stays. */
// @ts-ignore: decorator
@inline
function step(node: usize, code: i32, row: usize): usize {
  const b = <u32>load<u8>(row + (<usize>code >>> 16));
  return select<usize>(node + NODE, <usize>load<u32>(node, 4), b < (<u32>code & 0x1ff));
}

/** Add the C float32 values at v to the float64 accumulators at a. */
// @ts-ignore: decorator
@inline
function addLeaf(a: usize, v: usize, C: i32): void {
  for (let k = 0; k < C; k++) {
    const p = a + (<usize>k << 3);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(v + (<usize>k << 2)));
  }
}

/**
 * Pack one tree (preorder, as src/core/models/tree/tree.ts holds it: int32 feature, right and leafSlot,
 * uint8 bin and nanLeft per node, nNodes nodes) into nodes at dst, its leaf payloads already at vals
 * (leafBytes each, in leafSlot order), for rows of F features.
 */
export function pack(feature: usize, right: usize, leafSlot: usize, bin: usize, nanLeft: usize, nNodes: i32, F: i32, leafBytes: i32, dst: usize, vals: usize): void {
  for (let i = 0; i < nNodes; i++) {
    const node = dst + <usize>i * NODE;
    const f = load<i32>(feature + (<usize>i << 2));
    if (f < 0) {
      store<i32>(node, LEAF);
      store<u32>(node, <u32>node, 4);
      store<u32>(node, <u32>(vals + <usize>load<i32>(leafSlot + (<usize>i << 2)) * <usize>leafBytes), 8);
    } else {
      // NaN going left reads the shifted copy of the codes, where NaN is 0 and the split bin is one up
      const nl = <i32>(load<u8>(nanLeft + <usize>i) == 1);
      store<i32>(node, ((f + nl * F) << 16) | (<i32>load<u8>(bin + <usize>i) + 1 + nl));
      store<u32>(node, <u32>(dst + <usize>load<i32>(right + (<usize>i << 2)) * NODE), 4);
      store<u32>(node, 0, 8);
    }
  }
}

/** Widen n rows of F codes at src into n rows of 2F bytes at dst: the codes b, then (b + 1) & 255. */
export function widen(src: usize, n: i32, F: i32, dst: usize): void {
  const f = <usize>F;
  for (let i = 0; i < n; i++) {
    for (let j: usize = 0; j < f; j++) {
      const b = load<u8>(src + j);
      store<u8>(dst + j, b);
      store<u8>(dst + f + j, <u8>(b + 1));
    }
    src += f;
    dst += f << 1;
  }
}

/** Add the float64 score at v to the float64 at o. */
// @ts-ignore: decorator
@inline
function addScore(o: usize, v: usize): void {
  store<f64>(o, load<f64>(o) + load<f64>(v));
}

/** A row's leaf into its output row at o: a class distribution (C float32) or one boosting score. */
// @ts-ignore: decorator
@inline
function take(o: usize, leaf: usize, C: i32, scores: bool): void {
  if (scores) addScore(o, leaf);
  else addLeaf(o, leaf, C);
}

/**
 * Walk the n widened rows at xb (2F bytes each) down trees [t0, t1) (their roots' byte addresses,
 * uint32, at roots), tree by tree, each row's leaf taken into its output row (outBytes apart from
 * out): with `scores`, tree t's leaf score into column t mod C, else its C-class distribution. Eight
 * rows walk a tree together (independent chains of loads the processor overlaps); a row that reached
 * its leaf waits there for the others.
 */
function walk(roots: usize, t0: i32, t1: i32, C: i32, xb: usize, F: i32, n: i32, out: usize, scores: bool): void {
  const rowBytes = <usize>F << 1;
  const outBytes = <usize>C << 3;
  const nL = n & ~7;
  for (let t = t0; t < t1; t++) {
    const root = <usize>load<u32>(roots + (<usize>t << 2));
    let row = xb;
    let o = scores ? out + (<usize>(t % C) << 3) : out;
    let i = 0;
    for (; i < nL; i += 8) {
      const c = load<i32>(root);
      let n0 = root;
      let c0 = c;
      let n1 = root;
      let c1 = c;
      let n2 = root;
      let c2 = c;
      let n3 = root;
      let c3 = c;
      let n4 = root;
      let c4 = c;
      let n5 = root;
      let c5 = c;
      let n6 = root;
      let c6 = c;
      let n7 = root;
      let c7 = c;
      while (((c0 & c1 & c2 & c3 & c4 & c5 & c6 & c7) & LEAF) == 0) {
        n0 = step(n0, c0, row + 0 * rowBytes);
        n1 = step(n1, c1, row + 1 * rowBytes);
        n2 = step(n2, c2, row + 2 * rowBytes);
        n3 = step(n3, c3, row + 3 * rowBytes);
        n4 = step(n4, c4, row + 4 * rowBytes);
        n5 = step(n5, c5, row + 5 * rowBytes);
        n6 = step(n6, c6, row + 6 * rowBytes);
        n7 = step(n7, c7, row + 7 * rowBytes);
        c0 = load<i32>(n0);
        c1 = load<i32>(n1);
        c2 = load<i32>(n2);
        c3 = load<i32>(n3);
        c4 = load<i32>(n4);
        c5 = load<i32>(n5);
        c6 = load<i32>(n6);
        c7 = load<i32>(n7);
      }
      take(o + 0 * outBytes, <usize>load<u32>(n0, 8), C, scores);
      take(o + 1 * outBytes, <usize>load<u32>(n1, 8), C, scores);
      take(o + 2 * outBytes, <usize>load<u32>(n2, 8), C, scores);
      take(o + 3 * outBytes, <usize>load<u32>(n3, 8), C, scores);
      take(o + 4 * outBytes, <usize>load<u32>(n4, 8), C, scores);
      take(o + 5 * outBytes, <usize>load<u32>(n5, 8), C, scores);
      take(o + 6 * outBytes, <usize>load<u32>(n6, 8), C, scores);
      take(o + 7 * outBytes, <usize>load<u32>(n7, 8), C, scores);
      row += 8 * rowBytes;
      o += 8 * outBytes;
    }
    for (; i < n; i++) {
      let node = root;
      let code = load<i32>(node);
      while ((code & LEAF) == 0) {
        node = step(node, code, row);
        code = load<i32>(node);
      }
      take(o, <usize>load<u32>(node, 8), C, scores);
      row += rowBytes;
      o += outBytes;
    }
  }
}

/**
 * Add the leaf distributions of trees [t0, t1) (their roots' byte addresses, uint32, at roots) for
 * the n widened rows at xb (2F bytes each) into acc (n × C float64, row-major), tree by tree.
 */
export function accumulate(roots: usize, t0: i32, t1: i32, C: i32, xb: usize, F: i32, n: i32, acc: usize): void {
  walk(roots, t0, t1, C, xb, F, n, acc, false);
}

/**
 * Boosting's raw scores (BoostModel.predictProbaAt in src/core/models/boost.ts): trees [t0, t1) in
 * order (roots' byte addresses, uint32, at roots), tree t adding its leaf score into column t mod K of
 * out (n × K float64, row-major) for the n widened rows at xb (2F bytes each).
 */
export function addScores(roots: usize, t0: i32, t1: i32, K: i32, xb: usize, F: i32, n: i32, out: usize): void {
  walk(roots, t0, t1, K, xb, F, n, out, true);
}

/** Divide each of the n rows of acc (C float64 each) by its sum, summed in class order. */
export function normalise(acc: usize, n: i32, C: i32): void {
  let a = acc;
  for (let i = 0; i < n; i++) {
    let s: f64 = 0;
    for (let k = 0; k < C; k++) s += load<f64>(a + (<usize>k << 3));
    for (let k = 0; k < C; k++) {
      const p = a + (<usize>k << 3);
      store<f64>(p, load<f64>(p) / s);
    }
    a += <usize>C << 3;
  }
}
