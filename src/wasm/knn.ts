// kNN's pruned exact search (the algorithm of prunedSearch in src/core/models/knn-search.ts) compiled
// by AssemblyScript to WebAssembly with 128-bit SIMD. The SIMD part is only a filter in two stages:
// one query against four training rows (one per float32 lane), the bound over the 12 leading rotated
// coordinates as ‖Pt‖² − 2Pq·Pt in float32, then for a row that passes, the rest of the rotated
// coordinates added in float32, both against limits widened by far more than float32's rounding (see
// REL32 in src/core/models/knn-wasm.ts), so it never skips a row the float64 bound would keep.
// Everything that decides is float64 scalar code identical to knn-search.ts: the exact squared
// distance summed as exactSq does, the strict comparison with the heap's root and the max-heap on
// (distance, row). Each query sees the training rows in increasing order, so its heap ends exactly
// as with brute force.
// Pointers are byte offsets into this module's memory.

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

const REL: f64 = 1e-10;
const REL32: f64 = 1e-4;
/** Leading rotated coordinates in the float32 filter. */
const LEAD: i32 = 12;

// inputs of one call, set by search()
let gTx: usize = 0;
let gRest: usize = 0;
let gR: i32 = 0;
let gD: i32 = 0;
let gK: i32 = 0;
let gLanes: usize = 0;
// 64 bytes: the current step's sixteen float32 bounds
let gScratch: usize = 0;

// lane state, 64 bytes per query at gLanes + 64·i: 0 thr (f64: widened k-th best, +∞ while the heap
// is not full), 8 slack (f64), 16 ‖q‖² (f64), 24 limit of the float32 filter (f32), 28 heap
// distances, 32 heap rows, 36 query, 40 rotated query (pointers), 44 heap size (i32), 48 Σ_{a<12}
// p_a(q)² (f64), 56 the query's float32 rotated coordinates past the lead (pointer)

@inline
function bigger(d1: f64, i1: f64, d2: f64, i2: f64): bool {
  return d1 > d2 || (d1 == d2 && i1 > i2);
}

function siftUp(hd: usize, hi: usize, pos: i32, d: f64, idx: f64): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const pd = load<f64>(hd + (<usize>parent << 3));
    const pi = load<f64>(hi + (<usize>parent << 3));
    if (!bigger(d, idx, pd, pi)) break;
    store<f64>(hd + (<usize>pos << 3), pd);
    store<f64>(hi + (<usize>pos << 3), pi);
    pos = parent;
  }
  store<f64>(hd + (<usize>pos << 3), d);
  store<f64>(hi + (<usize>pos << 3), idx);
}

function siftDown(hd: usize, hi: usize, size: i32, d: f64, idx: f64): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    const r = l + 1;
    let c = l;
    if (r < size && bigger(load<f64>(hd + (<usize>r << 3)), load<f64>(hi + (<usize>r << 3)), load<f64>(hd + (<usize>l << 3)), load<f64>(hi + (<usize>l << 3)))) c = r;
    const cd = load<f64>(hd + (<usize>c << 3));
    const ci = load<f64>(hi + (<usize>c << 3));
    if (!bigger(cd, ci, d, idx)) break;
    store<f64>(hd + (<usize>pos << 3), cd);
    store<f64>(hi + (<usize>pos << 3), ci);
    pos = c;
  }
  store<f64>(hd + (<usize>pos << 3), d);
  store<f64>(hi + (<usize>pos << 3), idx);
}

/** Σ(q − t)² in blocks of four features, then one by one: the order of exactSq in knn-search.ts. */
function exactSq(q: usize, t: usize, d: i32): f64 {
  let s: f64 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const o = <usize>j << 3;
    const a0 = load<f64>(q + o) - load<f64>(t + o);
    const a1 = load<f64>(q + o, 8) - load<f64>(t + o, 8);
    const a2 = load<f64>(q + o, 16) - load<f64>(t + o, 16);
    const a3 = load<f64>(q + o, 24) - load<f64>(t + o, 24);
    s += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
  }
  for (; j < d; j++) {
    const o = <usize>j << 3;
    const diff = load<f64>(q + o) - load<f64>(t + o);
    s += diff * diff;
  }
  return s;
}

/**
 * Row t passed query r's float32 filter with bound s32 (its lead part): the float32 bound over the
 * rotated coordinates past the lead (gR per row, zero-padded to a multiple of four) is added, and
 * the row is dropped when the whole bound exceeds the query's float32 limit; otherwise its exact
 * distance is offered to the heap. The rest part is Σ (fl32(p_a(q)) − fl32(p_a(t)))² in float32:
 * each difference is within 2⁻²³·(|p_a(q)| + |p_a(t)|) of the float64 one and at most 20 further
 * roundings of 2⁻²⁴ follow (d ≤ 64), so it exceeds the float64 Σ (p_a(q) − p_a(t))² by at most
 * ~3e-6·(‖q‖² + ‖t‖²); with the lead part's ~2.1e-6·(thr + ‖q‖² + ‖t‖²) (see REL32 in knn-wasm.ts)
 * the whole bound is off by less than a tenth of the REL32 widening of the limit, so a dropped row's
 * float64 bound exceeds the threshold, and such a row cannot enter the heap. A NaN never drops a row.
 */
function visit(r: i32, t: i32, s32: f32): void {
  const ln = gLanes + (<usize>r << 6);
  const k = gK;
  const d = gD;
  const size = load<i32>(ln, 44);
  const nr = gR;
  if (size == k && nr > 0) {
    const u = <usize>load<i32>(ln, 56);
    const v = gRest + ((<usize>t * <usize>nr) << 2);
    let acc = f32x4.splat(0);
    for (let a = 0; a < nr; a += 4) {
      const o = <usize>a << 2;
      const g = f32x4.sub(v128.load(u + o), v128.load(v + o));
      acc = f32x4.add(acc, f32x4.mul(g, g));
    }
    const rest = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    if (s32 + rest > load<f32>(ln, 24)) return;
  }
  const dist = exactSq(<usize>load<i32>(ln, 36), gTx + ((<usize>t * <usize>d) << 3), d);
  const hd = <usize>load<i32>(ln, 28);
  const hi = <usize>load<i32>(ln, 32);
  if (size < k) {
    siftUp(hd, hi, size, dist, <f64>t);
    store<i32>(ln, size + 1, 44);
    if (size + 1 < k) return;
  } else if (dist < load<f64>(hd)) {
    siftDown(hd, hi, k, dist, <f64>t);
  } else {
    return;
  }
  const root = load<f64>(hd);
  const thr = root + REL * root + load<f64>(ln, 8);
  store<f64>(ln, thr);
  // the float32 filter's limit, shifted by −Σ_{a<LEAD} p_a(q)² (pre-stored at 48)
  store<f32>(ln, <f32>(thr + REL32 * thr + REL32 * load<f64>(ln, 16) - load<f64>(ln, 48)), 24);
}

/**
 * The k nearest training rows of nq queries into heaps (query i: hd/hi + 8·k·i, rows as float64
 * integers).
 *   q (nq × d, f64) scaled queries; pq (nq × d, f64) their rotated coordinates; pq32 (nq × 12, f32)
 *   the leading 12 of them (zero past d); qinfo (nq × 3, f64): REL·(‖q‖² + max‖t‖²), ‖q‖²,
 *   Σ_{a<12} pq²; tx (nt × d, f64) scaled training rows; rest32 (nt × nr, f32) and qrest32
 *   (nq × nr, f32) the rotated coordinates of rows and queries past the lead (nr: d − 12 rounded up
 *   to a multiple of four, zero-padded; 0 when d ≤ 12); lead32 (f32): per block of
 *   four rows, coordinate-major (48 per block), −2·p_a(t) (zero for pad rows); tt32 (f32):
 *   Σ_{a<12} p_a(t)² − REL32·‖t‖² (+∞ for pad rows); both with nt rounded up to a multiple of 16;
 *   lanes: 64 bytes of scratch per query and 64 more.
 * The outer loop runs over sixteen training rows at a time, the inner over the queries, so each block is
 * read once per call and each query still sees the rows in increasing order.
 */
export function search(q: usize, pq: usize, pq32: usize, qinfo: usize, nq: i32, d: i32, tx: usize, rest32: usize, qrest32: usize, nr: i32, lead32: usize, tt32: usize, nt: i32, k: i32, hd: usize, hi: usize, lanes: usize): void {
  gTx = tx;
  gRest = rest32;
  gR = nr;
  gD = d;
  gK = k;
  gLanes = lanes;
  gScratch = lanes + (<usize>nq << 6);
  for (let i = 0; i < nq; i++) {
    const ln = lanes + (<usize>i << 6);
    const qi = qinfo + <usize>i * 24;
    store<f64>(ln, Infinity);
    store<f64>(ln, load<f64>(qi), 8);
    store<f64>(ln, load<f64>(qi, 8), 16);
    store<f32>(ln, Infinity, 24);
    store<i32>(ln, <i32>(hd + ((<usize>i * <usize>k) << 3)), 28);
    store<i32>(ln, <i32>(hi + ((<usize>i * <usize>k) << 3)), 32);
    store<i32>(ln, <i32>(q + ((<usize>i * <usize>d) << 3)), 36);
    store<i32>(ln, <i32>(pq + ((<usize>i * <usize>d) << 3)), 40);
    store<i32>(ln, 0, 44);
    store<f64>(ln, load<f64>(qi, 16), 48);
    store<i32>(ln, <i32>(qrest32 + ((<usize>i * <usize>nr) << 2)), 56);
  }
  for (let t = 0; t < nt; t += 16) {
    // sixteen rows per step in four vectors (the host pads to a multiple of 16); pad rows never visit
    const rows = nt - t >= 16 ? 0xffff : (1 << (nt - t)) - 1;
    const x = lead32 + <usize>t * 48;
    const tp = tt32 + (<usize>t << 2);
    for (let i = 0; i < nq; i++) {
      const u = pq32 + <usize>i * 48;
      let w = v128.load32_splat(u);
      let s0 = f32x4.add(v128.load(tp), f32x4.mul(w, v128.load(x)));
      let s1 = f32x4.add(v128.load(tp, 16), f32x4.mul(w, v128.load(x, 192)));
      let s2 = f32x4.add(v128.load(tp, 32), f32x4.mul(w, v128.load(x, 384)));
      let s3 = f32x4.add(v128.load(tp, 48), f32x4.mul(w, v128.load(x, 576)));
      w = v128.load32_splat(u, 4);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 16)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 208)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 400)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 592)));
      w = v128.load32_splat(u, 8);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 32)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 224)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 416)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 608)));
      w = v128.load32_splat(u, 12);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 48)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 240)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 432)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 624)));
      w = v128.load32_splat(u, 16);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 64)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 256)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 448)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 640)));
      w = v128.load32_splat(u, 20);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 80)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 272)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 464)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 656)));
      w = v128.load32_splat(u, 24);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 96)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 288)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 480)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 672)));
      w = v128.load32_splat(u, 28);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 112)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 304)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 496)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 688)));
      w = v128.load32_splat(u, 32);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 128)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 320)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 512)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 704)));
      w = v128.load32_splat(u, 36);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 144)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 336)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 528)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 720)));
      w = v128.load32_splat(u, 40);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 160)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 352)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 544)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 736)));
      w = v128.load32_splat(u, 44);
      s0 = f32x4.add(s0, f32x4.mul(w, v128.load(x, 176)));
      s1 = f32x4.add(s1, f32x4.mul(w, v128.load(x, 368)));
      s2 = f32x4.add(s2, f32x4.mul(w, v128.load(x, 560)));
      s3 = f32x4.add(s3, f32x4.mul(w, v128.load(x, 752)));
      const ln = lanes + (<usize>i << 6);
      const lim = v128.load32_splat(ln, 24);
      // rows whose bound does not exceed the query's limit (a NaN bound does not exceed it either)
      let keep = ~(i32x4.bitmask(f32x4.gt(s0, lim)) | (i32x4.bitmask(f32x4.gt(s1, lim)) << 4) | (i32x4.bitmask(f32x4.gt(s2, lim)) << 8) | (i32x4.bitmask(f32x4.gt(s3, lim)) << 12)) & rows;
      if (keep == 0) continue;
      // in row order; after a visit the limit may have dropped, so each later row is rechecked
      store<v128>(gScratch, s0);
      store<v128>(gScratch, s1, 16);
      store<v128>(gScratch, s2, 32);
      store<v128>(gScratch, s3, 48);
      while (keep != 0) {
        const r = ctz(keep);
        keep &= keep - 1;
        const sr = load<f32>(gScratch + (<usize>r << 2));
        if (!(sr > load<f32>(ln, 24))) visit(i, t + r, sr);
      }
    }
  }
}

/**
 * out (n × d) = rows of x (n × d) in the basis axesT (d × d, column a = axis a, i.e. the axes
 * transposed, a padded to even): out[i][a] = Σⱼ x[i][j]·axes[a][j], two axes per vector. Any
 * summation order is fine here: the search's bounds allow for the rounding of these coordinates.
 */
export function rotate(x: usize, axesT: usize, out: usize, n: i32, d: i32): void {
  const dp = (d + 1) & ~1;
  const row = <usize>d << 3;
  const rowT = <usize>dp << 3;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * row;
    const oi = out + <usize>i * row;
    let a = 0;
    for (; a + 2 <= d; a += 2) {
      let acc = f64x2.splat(0);
      for (let j = 0; j < d; j++) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(xi + (<usize>j << 3)), v128.load(axesT + <usize>j * rowT + (<usize>a << 3))));
      v128.store(oi + (<usize>a << 3), acc);
    }
    if (a < d) {
      let s: f64 = 0;
      for (let j = 0; j < d; j++) s += load<f64>(xi + (<usize>j << 3)) * load<f64>(axesT + <usize>j * rowT + (<usize>a << 3));
      store<f64>(oi + (<usize>a << 3), s);
    }
  }
}

/**
 * The per-query inputs of search() for nq queries q (nq × d, f64): pq = their rotated coordinates
 * (rotate() with axesT), pq32 (nq × 12, f32) the leading 12 of them (zero past d), qrest32 (nq × nr,
 * f32) the rest (zero-padded), qinfo (nq × 3, f64) REL·(‖q‖² + maxNorm), ‖q‖², Σ_{a<12} pq² (sums
 * in coordinate order).
 * @returns 0 when a query's ‖q‖² exceeds limit (too large for the float32 filter), else 1
 */
export function prepare(q: usize, axesT: usize, pq: usize, pq32: usize, qrest32: usize, qinfo: usize, nq: i32, d: i32, nr: i32, maxNorm: f64, limit: f64): i32 {
  for (let i = 0; i < nq; i++) {
    const qi = q + ((<usize>i * <usize>d) << 3);
    let n2: f64 = 0;
    for (let j = 0; j < d; j++) {
      const v = load<f64>(qi + (<usize>j << 3));
      n2 += v * v;
    }
    if (!(n2 <= limit)) return 0;
    const info = qinfo + <usize>i * 24;
    store<f64>(info, REL * (n2 + maxNorm));
    store<f64>(info, n2, 8);
  }
  rotate(q, axesT, pq, nq, d);
  const m = d < LEAD ? d : LEAD;
  for (let i = 0; i < nq; i++) {
    const pqi = pq + ((<usize>i * <usize>d) << 3);
    const u = pq32 + <usize>i * 48;
    let lead: f64 = 0;
    for (let a = 0; a < LEAD; a++) {
      if (a < m) {
        const s = load<f64>(pqi + (<usize>a << 3));
        store<f32>(u + (<usize>a << 2), <f32>s);
        lead += s * s;
      } else {
        store<f32>(u + (<usize>a << 2), 0);
      }
    }
    store<f64>(qinfo + <usize>i * 24, lead, 16);
    const r = qrest32 + ((<usize>i * <usize>nr) << 2);
    for (let a = 0; a < nr; a++) store<f32>(r + (<usize>a << 2), m + a < d ? <f32>load<f64>(pqi + (<usize>(m + a) << 3)) : 0);
  }
  return 1;
}

// ---- the pruning index (buildPcaIndex of knn-search.ts, operation for operation) ---------------

/**
 * Principal axes of an evenly spaced sample of ns of the nt rows x (nt × d, f64): the covariance of
 * the sample, its eigenvectors by cyclic Jacobi sorted by decreasing eigenvalue, orthonormalised
 * twice by modified Gram–Schmidt, into axes (d × d, rows). The same operations in the same order as
 * buildPcaIndex, symmetricEigenvectors, orthonormaliseRows in knn-search.ts, so the same numbers.
 * scratch: 3·d² + 3·d float64.
 * @returns the Gershgorin bound on ‖U Uᵀ − I‖ (orthonormalityDefect)
 */
export function pcaAxes(x: usize, nt: i32, d: i32, ns: i32, axes: usize, scratch: usize): f64 {
  const dd = <usize>d * <usize>d;
  const m = scratch;
  const a = m + (dd << 3);
  const v = a + (dd << 3);
  const mean = v + (dd << 3);
  const row = mean + (<usize>d << 3);
  const order = row + (<usize>d << 3);
  memory.fill(m, 0, dd << 3);
  memory.fill(mean, 0, <usize>d << 3);
  for (let i = 0; i < ns; i++) {
    const o = x + ((<usize>(<i64>i * <i64>nt / <i64>ns) * <usize>d) << 3);
    for (let j = 0; j < d; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) + load<f64>(o + (<usize>j << 3)));
  }
  for (let j = 0; j < d; j++) store<f64>(mean + (<usize>j << 3), load<f64>(mean + (<usize>j << 3)) / <f64>ns);
  for (let i = 0; i < ns; i++) {
    const o = x + ((<usize>(<i64>i * <i64>nt / <i64>ns) * <usize>d) << 3);
    for (let j = 0; j < d; j++) store<f64>(row + (<usize>j << 3), load<f64>(o + (<usize>j << 3)) - load<f64>(mean + (<usize>j << 3)));
    for (let r = 0; r < d; r++) {
      const rr = load<f64>(row + (<usize>r << 3));
      for (let j = r; j < d; j++) {
        const p = m + ((<usize>r * <usize>d + <usize>j) << 3);
        store<f64>(p, load<f64>(p) + rr * load<f64>(row + (<usize>j << 3)));
      }
    }
  }
  for (let r = 0; r < d; r++) for (let j = 0; j < r; j++) store<f64>(m + ((<usize>r * <usize>d + <usize>j) << 3), load<f64>(m + ((<usize>j * <usize>d + <usize>r) << 3)));
  jacobi(m, d, a, v, axes, order);
  orthonormaliseRows(axes, d);
  orthonormaliseRows(axes, d);
  return orthonormalityDefect(axes, d);
}

@inline
function at2(p: usize, d: i32, i: i32, j: i32): usize {
  return p + ((<usize>i * <usize>d + <usize>j) << 3);
}

/** symmetricEigenvectors of knn-search.ts: eigenvectors of m (d × d) as rows of out; a, v (d × d), order (d i32) scratch. */
function jacobi(m: usize, d: i32, a: usize, v: usize, out: usize, order: usize): void {
  memory.copy(a, m, (<usize>d * <usize>d) << 3);
  memory.fill(v, 0, (<usize>d * <usize>d) << 3);
  for (let i = 0; i < d; i++) store<f64>(at2(v, d, i, i), 1);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off: f64 = 0;
    let diag: f64 = 0;
    for (let p = 0; p < d; p++) {
      const app = load<f64>(at2(a, d, p, p));
      diag += app * app;
      for (let r = p + 1; r < d; r++) {
        const apr = load<f64>(at2(a, d, p, r));
        off += apr * apr;
      }
    }
    if (!(off > 1e-22 * diag)) break;
    for (let p = 0; p < d; p++) {
      for (let r = p + 1; r < d; r++) {
        const apr = load<f64>(at2(a, d, p, r));
        if (apr == 0) continue;
        const theta = (load<f64>(at2(a, d, r, r)) - load<f64>(at2(a, d, p, p))) / (2 * apr);
        const t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let i = 0; i < d; i++) {
          const aip = load<f64>(at2(a, d, i, p));
          const air = load<f64>(at2(a, d, i, r));
          store<f64>(at2(a, d, i, p), c * aip - s * air);
          store<f64>(at2(a, d, i, r), s * aip + c * air);
        }
        for (let i = 0; i < d; i++) {
          const api = load<f64>(at2(a, d, p, i));
          const ari = load<f64>(at2(a, d, r, i));
          store<f64>(at2(a, d, p, i), c * api - s * ari);
          store<f64>(at2(a, d, r, i), s * api + c * ari);
        }
        for (let i = 0; i < d; i++) {
          const vip = load<f64>(at2(v, d, i, p));
          const vir = load<f64>(at2(v, d, i, r));
          store<f64>(at2(v, d, i, p), c * vip - s * vir);
          store<f64>(at2(v, d, i, r), s * vip + c * vir);
        }
      }
    }
  }
  // columns by decreasing eigenvalue, ties by index (insertion sort: d ≤ 64)
  for (let i = 0; i < d; i++) store<i32>(order + (<usize>i << 2), i);
  for (let i = 1; i < d; i++) {
    const x = load<i32>(order + (<usize>i << 2));
    let j = i - 1;
    while (j >= 0) {
      const y = load<i32>(order + (<usize>j << 2));
      const dy = load<f64>(at2(a, d, y, y));
      const dx = load<f64>(at2(a, d, x, x));
      // y stays before x when its eigenvalue is larger, or equal with a smaller index
      if (dy > dx || (dy == dx && y < x)) break;
      store<i32>(order + (<usize>(j + 1) << 2), y);
      j--;
    }
    store<i32>(order + (<usize>(j + 1) << 2), x);
  }
  for (let r = 0; r < d; r++) {
    const col = load<i32>(order + (<usize>r << 2));
    for (let i = 0; i < d; i++) store<f64>(at2(out, d, r, i), load<f64>(at2(v, d, i, col)));
  }
}

function orthonormaliseRows(u: usize, d: i32): void {
  for (let i = 0; i < d; i++) {
    for (let p = 0; p < i; p++) {
      let dot: f64 = 0;
      for (let j = 0; j < d; j++) dot += load<f64>(at2(u, d, i, j)) * load<f64>(at2(u, d, p, j));
      for (let j = 0; j < d; j++) store<f64>(at2(u, d, i, j), load<f64>(at2(u, d, i, j)) - dot * load<f64>(at2(u, d, p, j)));
    }
    let nn: f64 = 0;
    for (let j = 0; j < d; j++) {
      const e = load<f64>(at2(u, d, i, j));
      nn += e * e;
    }
    const inv = 1 / Math.sqrt(nn);
    for (let j = 0; j < d; j++) store<f64>(at2(u, d, i, j), load<f64>(at2(u, d, i, j)) * inv);
  }
}

function orthonormalityDefect(u: usize, d: i32): f64 {
  let worst: f64 = 0;
  for (let i = 0; i < d; i++) {
    let row: f64 = 0;
    for (let p = 0; p < d; p++) {
      let dot: f64 = 0;
      for (let j = 0; j < d; j++) dot += load<f64>(at2(u, d, i, j)) * load<f64>(at2(u, d, p, j));
      row += Math.abs(dot - (i == p ? 1.0 : 0.0));
    }
    worst = max(worst, row);
  }
  return worst;
}

/** ‖t‖² of the nt rows of x (nt × d) into norms, summed in coordinate order. @returns their maximum */
export function rowNorms(x: usize, nt: i32, d: i32, norms: usize): f64 {
  let most: f64 = 0;
  for (let t = 0; t < nt; t++) {
    const o = x + ((<usize>t * <usize>d) << 3);
    let s: f64 = 0;
    for (let j = 0; j < d; j++) {
      const e = load<f64>(o + (<usize>j << 3));
      s += e * e;
    }
    store<f64>(norms + (<usize>t << 3), s);
    most = max(most, s);
  }
  return most;
}

/**
 * search()'s float32 training data from the rotated rows rot (nt × d) and norms: lead32 (blocks of
 * four rows, coordinate-major, −2·p_a(t) for a < 12, zero past d), tt32 (Σ_{a<12} p_a(t)² −
 * REL32·‖t‖², +∞ for the pad rows up to a multiple of 16), rest32 (nt × nr, p_a(t) for a ≥ 12,
 * zero-padded).
 */
export function layout(rot: usize, norms: usize, nt: i32, d: i32, nr: i32, lead32: usize, tt32: usize, rest32: usize): void {
  const m = d < LEAD ? d : LEAD;
  const nt16 = (nt + 15) & ~15;
  memory.fill(lead32, 0, <usize>nt16 * 48);
  memory.fill(rest32, 0, (<usize>nt * <usize>nr) << 2);
  for (let t = nt; t < nt16; t++) store<f32>(tt32 + (<usize>t << 2), Infinity);
  for (let t = 0; t < nt; t++) {
    const o = rot + ((<usize>t * <usize>d) << 3);
    const blk = lead32 + <usize>(t >> 2) * 192 + (<usize>(t & 3) << 2);
    let s: f64 = 0;
    for (let a = 0; a < m; a++) {
      const v = load<f64>(o + (<usize>a << 3));
      store<f32>(blk + (<usize>a << 4), <f32>(-2 * v));
      s += v * v;
    }
    store<f32>(tt32 + (<usize>t << 2), <f32>(s - REL32 * load<f64>(norms + (<usize>t << 3))));
    const r = rest32 + ((<usize>t * <usize>nr) << 2);
    for (let a = m; a < d; a++) store<f32>(r + (<usize>(a - m) << 2), <f32>load<f64>(o + (<usize>a << 3)));
  }
}
