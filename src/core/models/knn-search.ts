/*
 * Exact k-nearest-neighbour search for KnnModel: a brute-force pass and a pruned pass that finds the
 * same neighbours with far fewer arithmetic operations. Both keep, per query, a bounded max-heap of
 * the k smallest squared distances Σ(q − t)² (always summed by exactSq, so every distance that
 * decides is the same number in both) and visit the training rows in their stored order, so equal
 * distances keep the earlier row and the heap ends in the same layout: neighbours, their order and
 * the probabilities built from them are those of the plain exact search.
 */

/** Heaps of one block of queries: query r of the block owns hd/hi[r·k .. r·k + size[r]). */
export interface HeapBlock {
  readonly k: number;
  /** Squared distances, max-heap per query (the root, at r·k, is the neighbour to evict first). */
  readonly hd: Float64Array;
  /** Training row of each heap entry. */
  readonly hi: Int32Array;
  readonly size: Int32Array;
}

export function heapBlock(queries: number, k: number): HeapBlock {
  return { k, hd: new Float64Array(queries * k), hi: new Int32Array(queries * k), size: new Int32Array(queries) };
}

/**
 * Threshold widening. The filters below compare estimates of (parts of) a squared distance whose
 * rounding differs from exactSq's by at most a few·d·ε·(‖q‖² + ‖t‖²) (ε = 2⁻⁵³, d ≤ MAX_DIMS), and
 * the rotation used by the pruned pass is orthonormal to within its checked defect. A row is skipped
 * only when its estimate exceeds root·(1 + REL) + REL·(‖q‖² + max‖t‖²), which every row whose exact
 * distance could reach the root exceeds by a wide margin: 1e-10 is ≥ 10⁴ times every rounding bound
 * for d ≤ 64 and far below any gap between distinct real distances that would matter.
 */
const REL = 1e-10;

/** Dimensions beyond which the rounding argument above is not made (such models use brute force). */
export const MAX_DIMS = 64;

/** Largest orthonormality defect of the computed axes under which the pruning bound is proven. */
export const MAX_DEFECT = REL / 8;

/** Leading rotated coordinates the pruned pass always sums (zero-padded when d < LEAD). */
const LEAD = 8;

/** Squared distance summed in blocks of four features, then one by one (the sum every version used). */
export function exactSq(q: Float64Array, qo: number, tx: Float64Array, to: number, d: number): number {
  let s = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const a0 = (q[qo + j] as number) - (tx[to + j] as number);
    const a1 = (q[qo + j + 1] as number) - (tx[to + j + 1] as number);
    const a2 = (q[qo + j + 2] as number) - (tx[to + j + 2] as number);
    const a3 = (q[qo + j + 3] as number) - (tx[to + j + 3] as number);
    s += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
  }
  for (; j < d; j++) {
    const diff = (q[qo + j] as number) - (tx[to + j] as number);
    s += diff * diff;
  }
  return s;
}

// Max-heap on (distance, row): larger distance — or equal distance and later row — is "bigger",
// so the root is the neighbour to evict first.
function bigger(d1: number, i1: number, d2: number, i2: number): boolean {
  return d1 > d2 || (d1 === d2 && i1 > i2);
}

/** Heap entries live at hd/hi[h .. h + size). */
function siftUp(hd: Float64Array, hi: Int32Array, h: number, pos: number, d: number, idx: number): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!bigger(d, idx, hd[h + parent] as number, hi[h + parent] as number)) break;
    hd[h + pos] = hd[h + parent] as number;
    hi[h + pos] = hi[h + parent] as number;
    pos = parent;
  }
  hd[h + pos] = d;
  hi[h + pos] = idx;
}

/** Replace the root with (d, idx) and restore the heap. */
function siftDown(hd: Float64Array, hi: Int32Array, h: number, size: number, d: number, idx: number): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    const r = l + 1;
    let c = l;
    if (r < size && bigger(hd[h + r] as number, hi[h + r] as number, hd[h + l] as number, hi[h + l] as number)) c = r;
    if (!bigger(hd[h + c] as number, hi[h + c] as number, d, idx)) break;
    hd[h + pos] = hd[h + c] as number;
    hi[h + pos] = hi[h + c] as number;
    pos = c;
  }
  hd[h + pos] = d;
  hi[h + pos] = idx;
}

/**
 * Offer training row t at exact squared distance dist to the heap of block query r. Rows arrive in
 * increasing order, so a distance equal to the root's loses to the earlier row already there.
 * @returns whether the heap changed
 */
function offer(b: HeapBlock, r: number, dist: number, t: number): boolean {
  const k = b.k;
  const h = r * k;
  const sz = b.size[r] as number;
  if (sz < k) {
    siftUp(b.hd, b.hi, h, sz, dist, t);
    b.size[r] = sz + 1;
    return true;
  }
  if (dist < (b.hd[h] as number)) {
    siftDown(b.hd, b.hi, h, k, dist, t);
    return true;
  }
  return false;
}

/** ‖t‖² of every row of a row-major matrix. */
export function rowNorms(x: Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let s = 0;
    for (let j = 0, o = t * d; j < d; j++, o++) s += (x[o] as number) * (x[o] as number);
    out[t] = s;
  }
  return out;
}

/**
 * Brute force with a cheap filter and an exact check, for queries [i0, i1) of q (row-major, scaled),
 * into heaps b (query i at block slot i − i0). Squared distances are first estimated as
 * ‖q‖² − 2q·t + ‖t‖² for four queries at a time (each training row is read once per four queries);
 * only a training row whose estimate, widened by REL, could beat a query's current k-th best gets
 * its exact distance.
 */
export function bruteSearch(q: Float64Array, i0: number, i1: number, tx: Float64Array, tn: Float64Array, d: number, b: HeapBlock): void {
  const nt = tn.length;
  const kk = b.k;
  const hd = b.hd;
  const size = b.size;
  const qn = new Float64Array(4);
  for (let j0 = i0; j0 < i1; j0 += 4) {
    const nb = Math.min(4, i1 - j0);
    const r0 = j0 - i0;
    for (let r = 0; r < 4; r++) {
      let s = 0;
      if (r < nb) for (let j = 0, o = (j0 + r) * d; j < d; j++, o++) s += (q[o] as number) * (q[o] as number);
      qn[r] = s;
    }
    // rows past i1 in a short last group reuse its last query (nothing is done with them)
    const o0 = j0 * d;
    const o1 = (j0 + Math.min(1, nb - 1)) * d;
    const o2 = (j0 + Math.min(2, nb - 1)) * d;
    const o3 = (j0 + Math.min(3, nb - 1)) * d;
    for (let t = 0; t < nt; t++) {
      const to = t * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const xv = tx[to + j] as number;
        s0 += (q[o0 + j] as number) * xv;
        s1 += (q[o1 + j] as number) * xv;
        s2 += (q[o2 + j] as number) * xv;
        s3 += (q[o3 + j] as number) * xv;
      }
      const tt = tn[t] as number;
      for (let r = 0; r < nb; r++) {
        const dot = r === 0 ? s0 : r === 1 ? s1 : r === 2 ? s2 : s3;
        const rr = r0 + r;
        if ((size[rr] as number) === kk) {
          const qq = qn[r] as number;
          const est = qq - 2 * dot + tt;
          if (est - REL * (qq + tt) > (hd[rr * kk] as number)) continue;
        }
        offer(b, rr, exactSq(q, (j0 + r) * d, tx, to, d), t);
      }
    }
  }
}

/**
 * The training rows in an orthonormal basis of the principal axes of the (scaled) training rows,
 * leading axes first. Standardised features are correlated, so the first few rotated coordinates
 * carry most of a distance: Σ over any subset of rotated coordinates of (p(q) − p(t))² is a lower
 * bound of ‖q − t‖² (up to rounding), and most rows exceed a query's k-th best distance after
 * LEAD of them.
 */
export interface PcaIndex {
  readonly d: number;
  readonly nt: number;
  /** Axes as rows (d × d, row-major, orthonormal), leading axis first. */
  readonly axes: Float64Array;
  /** max over training rows of ‖t‖² (unrotated), for the threshold widening. */
  readonly maxNorm: number;
  /** ‖t‖² of every training row (unrotated). */
  readonly norms: Float64Array;
  /** prunedSearch's arrays (built on its first use). */
  js: JsArrays | null;
}

/** The training rows rotated, as prunedSearch reads them. */
interface JsArrays {
  /** Per training row: −2·p_a(t) for the LEAD leading axes (zero past d). */
  readonly lead: Float64Array;
  /** Per training row: Σ_{a < LEAD} p_a(t)². */
  readonly leadNorm: Float64Array;
  /** Per training row: p_a(t) for a ≥ LEAD (d − LEAD per row; empty when d ≤ LEAD). */
  readonly rest: Float64Array;
}

/**
 * Eigenvectors of a symmetric d × d matrix (cyclic Jacobi), as rows sorted by decreasing eigenvalue.
 * Only their orthonormality matters for exactness (checked by the caller); their quality only
 * decides how much the bound prunes.
 */
export function symmetricEigenvectors(m: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(m);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += (a[p * d + p] as number) ** 2;
      for (let r = p + 1; r < d; r++) off += (a[p * d + r] as number) ** 2;
    }
    if (!(off > 1e-22 * diag)) break;
    for (let p = 0; p < d; p++) {
      for (let r = p + 1; r < d; r++) {
        const apr = a[p * d + r] as number;
        if (apr === 0) continue;
        const theta = ((a[r * d + r] as number) - (a[p * d + p] as number)) / (2 * apr);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let i = 0; i < d; i++) {
          const aip = a[i * d + p] as number;
          const air = a[i * d + r] as number;
          a[i * d + p] = c * aip - s * air;
          a[i * d + r] = s * aip + c * air;
        }
        for (let i = 0; i < d; i++) {
          const api = a[p * d + i] as number;
          const ari = a[r * d + i] as number;
          a[p * d + i] = c * api - s * ari;
          a[r * d + i] = s * api + c * ari;
        }
        for (let i = 0; i < d; i++) {
          const vip = v[i * d + p] as number;
          const vir = v[i * d + r] as number;
          v[i * d + p] = c * vip - s * vir;
          v[i * d + r] = s * vip + c * vir;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => (a[y * d + y] as number) - (a[x * d + x] as number) || x - y);
  const out = new Float64Array(d * d);
  order.forEach((col, row) => {
    for (let i = 0; i < d; i++) out[row * d + i] = v[i * d + col] as number;
  });
  return out;
}

/** Modified Gram–Schmidt on the rows, in place (twice is enough to reach rounding level). */
function orthonormaliseRows(u: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let p = 0; p < i; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (u[i * d + j] as number) * (u[p * d + j] as number);
      for (let j = 0; j < d; j++) u[i * d + j] = (u[i * d + j] as number) - dot * (u[p * d + j] as number);
    }
    let nn = 0;
    for (let j = 0; j < d; j++) nn += (u[i * d + j] as number) ** 2;
    const inv = 1 / Math.sqrt(nn);
    for (let j = 0; j < d; j++) u[i * d + j] = (u[i * d + j] as number) * inv;
  }
}

/** Gershgorin bound on ‖U Uᵀ − I‖₂, so σmax(U)² ≤ 1 + defect. */
function orthonormalityDefect(u: Float64Array, d: number): number {
  let worst = 0;
  for (let i = 0; i < d; i++) {
    let row = 0;
    for (let p = 0; p < d; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (u[i * d + j] as number) * (u[p * d + j] as number);
      row += Math.abs(dot - (i === p ? 1 : 0));
    }
    worst = Math.max(worst, row);
  }
  return worst;
}

/**
 * Rotated coordinates of rows [from, to) of x: out[(i − from)·w + a] = Σ_j axes[a·d + j]·x[i·d + j]
 * for a < d (columns d..w−1 left zero).
 */
function rotate(axes: Float64Array, d: number, x: Float64Array, from: number, to: number, w: number): Float64Array {
  const out = new Float64Array((to - from) * w);
  for (let i = from; i < to; i++) {
    const xo = i * d;
    const oo = (i - from) * w;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let j = 0, ao = a * d; j < d; j++) s += (axes[ao + j] as number) * (x[xo + j] as number);
      out[oo + a] = s;
    }
  }
  return out;
}

/** Rows sampled (evenly spaced) for the covariance: the axes only steer the pruning, not its exactness. */
export const COV_ROWS = 2048;

/**
 * Build the index of nt scaled training rows (row-major, d features): principal axes of an evenly
 * spaced sample of at most COV_ROWS rows, and every row's ‖t‖².
 * @returns null when d is outside 1..MAX_DIMS or the computed axes are not orthonormal to within
 *   REL/8 (the bound then would not be proven; the caller uses brute force)
 */
export function buildPcaIndex(x: Float64Array, nt: number, d: number): PcaIndex | null {
  if (d < 1 || d > MAX_DIMS || nt < 1) return null;
  const ns = Math.min(nt, COV_ROWS);
  const m = new Float64Array(d * d);
  const mean = new Float64Array(d);
  const at = (i: number): number => Math.floor((i * nt) / ns) * d;
  for (let i = 0; i < ns; i++) for (let j = 0, o = at(i); j < d; j++) mean[j] = (mean[j] as number) + (x[o + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / ns;
  const row = new Float64Array(d);
  for (let i = 0; i < ns; i++) {
    const o = at(i);
    for (let j = 0; j < d; j++) row[j] = (x[o + j] as number) - (mean[j] as number);
    for (let r = 0; r < d; r++) {
      const rr = row[r] as number;
      for (let j = r; j < d; j++) m[r * d + j] = (m[r * d + j] as number) + rr * (row[j] as number);
    }
  }
  for (let r = 0; r < d; r++) for (let j = 0; j < r; j++) m[r * d + j] = m[j * d + r] as number;
  const axes = symmetricEigenvectors(m, d);
  orthonormaliseRows(axes, d);
  orthonormaliseRows(axes, d);
  if (!(orthonormalityDefect(axes, d) <= MAX_DEFECT)) return null;
  const norms = rowNorms(x, nt, d);
  let maxNorm = 0;
  for (let t = 0; t < nt; t++) maxNorm = Math.max(maxNorm, norms[t] as number);
  return { d, nt, axes, maxNorm, norms, js: null };
}

/** The rotated training rows prunedSearch reads, built on its first use. */
function jsArrays(ix: PcaIndex, x: Float64Array): JsArrays {
  if (ix.js !== null) return ix.js;
  const { d, nt } = ix;
  const p = rotate(ix.axes, d, x, 0, nt, d);
  const lead = new Float64Array(nt * LEAD);
  const leadNorm = new Float64Array(nt);
  const nr = Math.max(0, d - LEAD);
  const rest = new Float64Array(nt * nr);
  for (let t = 0; t < nt; t++) {
    let s = 0;
    for (let a = 0; a < Math.min(d, LEAD); a++) {
      const v = p[t * d + a] as number;
      lead[t * LEAD + a] = -2 * v;
      s += v * v;
    }
    leadNorm[t] = s;
    for (let a = 0; a < nr; a++) rest[t * nr + a] = p[t * d + LEAD + a] as number;
  }
  ix.js = { lead, leadNorm, rest };
  return ix.js;
}

/**
 * The pruned pass over queries [i0, i1) of q (row-major, scaled) into heaps b. For four queries at a
 * time each training row's LEAD leading rotated coordinates are read once and give, per query, the
 * bound ‖P(q − t)‖² as ‖Pq‖² − 2Pq·Pt + ‖Pt‖²; a row whose bound exceeds the query's widened k-th
 * best is skipped. Otherwise the bound is extended over the remaining rotated coordinates four at a
 * time (stopping as soon as it exceeds), and a row that survives all of them gets its exact distance
 * and is offered to the heap exactly as in bruteSearch.
 */
export function prunedSearch(q: Float64Array, i0: number, i1: number, tx: Float64Array, ix: PcaIndex, b: HeapBlock): void {
  const nt = ix.nt;
  const { lead, leadNorm } = jsArrays(ix, tx);
  const w = Math.max(ix.d, LEAD);
  const g: Group = { q, tx, ix, rest: jsArrays(ix, tx).rest, b, pq: rotate(ix.axes, ix.d, q, i0, i1, w), w, nr: Math.max(0, ix.d - LEAD), qq: new Float64Array(4), slack: new Float64Array(4), lim: new Float64Array(4), po: new Int32Array(4), qo: new Int32Array(4), slot: new Int32Array(4) };
  const pq = g.pq;
  const lim = g.lim;
  const spare = b.size.length - 1;
  for (let j0 = i0; j0 < i1; j0 += 4) {
    const nb = Math.min(4, i1 - j0);
    for (let r = 0; r < 4; r++) {
      // lanes past i1 in a short last group repeat its last query into the spare heap (dropped)
      const i = j0 + Math.min(r, nb - 1);
      g.po[r] = (i - i0) * w;
      g.qo[r] = i * ix.d;
      g.slot[r] = r < nb ? j0 - i0 + r : spare;
      let s = 0;
      for (let a = 0; a < LEAD; a++) s += (pq[(g.po[r] as number) + a] as number) ** 2;
      g.qq[r] = s;
      let n2 = 0;
      for (let j = 0, o = g.qo[r] as number; j < ix.d; j++, o++) n2 += (q[o] as number) * (q[o] as number);
      g.slack[r] = REL * (n2 + ix.maxNorm);
    }
    if (nb < 4) b.size[spare] = 0;
    const p0 = g.po[0] as number;
    const p1 = g.po[1] as number;
    const p2 = g.po[2] as number;
    const p3 = g.po[3] as number;
    const a0 = pq[p0] as number, a1 = pq[p0 + 1] as number, a2 = pq[p0 + 2] as number, a3 = pq[p0 + 3] as number;
    const a4 = pq[p0 + 4] as number, a5 = pq[p0 + 5] as number, a6 = pq[p0 + 6] as number, a7 = pq[p0 + 7] as number;
    const b0 = pq[p1] as number, b1 = pq[p1 + 1] as number, b2 = pq[p1 + 2] as number, b3 = pq[p1 + 3] as number;
    const b4 = pq[p1 + 4] as number, b5 = pq[p1 + 5] as number, b6 = pq[p1 + 6] as number, b7 = pq[p1 + 7] as number;
    const c0 = pq[p2] as number, c1 = pq[p2 + 1] as number, c2 = pq[p2 + 2] as number, c3 = pq[p2 + 3] as number;
    const c4 = pq[p2 + 4] as number, c5 = pq[p2 + 5] as number, c6 = pq[p2 + 6] as number, c7 = pq[p2 + 7] as number;
    const e0 = pq[p3] as number, e1 = pq[p3 + 1] as number, e2 = pq[p3 + 2] as number, e3 = pq[p3 + 3] as number;
    const e4 = pq[p3 + 4] as number, e5 = pq[p3 + 5] as number, e6 = pq[p3 + 6] as number, e7 = pq[p3 + 7] as number;
    // l_r: lane r's widened k-th best minus its Σ_{a < LEAD} p_a(q)², so the bound of a row is just
    // ‖Pt‖² − 2Pq·Pt; +∞ while the heap is not full
    lim.fill(Infinity);
    let l0 = Infinity;
    let l1 = Infinity;
    let l2 = Infinity;
    let l3 = Infinity;
    for (let t = 0, o = 0; t < nt; t++, o += LEAD) {
      const x0 = lead[o] as number, x1 = lead[o + 1] as number, x2 = lead[o + 2] as number, x3 = lead[o + 3] as number;
      const x4 = lead[o + 4] as number, x5 = lead[o + 5] as number, x6 = lead[o + 6] as number, x7 = lead[o + 7] as number;
      const tt = leadNorm[t] as number;
      const s0 = tt + (a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3 + (a4 * x4 + a5 * x5 + a6 * x6 + a7 * x7));
      const s1 = tt + (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3 + (b4 * x4 + b5 * x5 + b6 * x6 + b7 * x7));
      const s2 = tt + (c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3 + (c4 * x4 + c5 * x5 + c6 * x6 + c7 * x7));
      const s3 = tt + (e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3 + (e4 * x4 + e5 * x5 + e6 * x6 + e7 * x7));
      // one branch for the common case (all four skip); a NaN bound (overflowing coordinates)
      // compares false and goes on to the exact check
      if (((s0 > l0 ? 1 : 0) & (s1 > l1 ? 1 : 0) & (s2 > l2 ? 1 : 0) & (s3 > l3 ? 1 : 0)) === 1) continue;
      if (!(s0 > l0) && visit(g, 0, t, s0)) l0 = lim[0] as number;
      if (!(s1 > l1) && visit(g, 1, t, s1)) l1 = lim[1] as number;
      if (!(s2 > l2) && visit(g, 2, t, s2)) l2 = lim[2] as number;
      if (!(s3 > l3) && visit(g, 3, t, s3)) l3 = lim[3] as number;
    }
  }
}

/** State of one group of four queries in prunedSearch. */
interface Group {
  readonly q: Float64Array;
  readonly tx: Float64Array;
  readonly ix: PcaIndex;
  readonly rest: Float64Array;
  readonly b: HeapBlock;
  /** Rotated queries of the block, w per row (zero-padded to LEAD). */
  readonly pq: Float64Array;
  readonly w: number;
  /** Rotated coordinates per training row past LEAD. */
  readonly nr: number;
  /** Per lane: Σ_{a < LEAD} p_a(q)², REL·(‖q‖² + max‖t‖²), offset in pq, offset in q, heap slot. */
  readonly qq: Float64Array;
  readonly slack: Float64Array;
  /** Per lane: the widened k-th best minus qq (+∞ while the heap is not full). */
  readonly lim: Float64Array;
  readonly po: Int32Array;
  readonly qo: Int32Array;
  readonly slot: Int32Array;
}

/**
 * Training row t passed lane r's lead bound s (shifted by −qq, like the lane's limit): extend the
 * bound over the remaining rotated coordinates, then decide by the exact distance.
 * @returns whether the lane's limit changed (a double return would be boxed when not inlined)
 */
function visit(g: Group, r: number, t: number, s: number): boolean {
  const l = g.lim[r] as number;
  const b = g.b;
  const kk = b.k;
  const sl = g.slot[r] as number;
  const nr = g.nr;
  const qq = g.qq[r] as number;
  if ((b.size[sl] as number) === kk && nr > 0) {
    const stop = l + qq;
    let acc = s + qq;
    const pq = g.pq;
    const rest = g.rest;
    const po = (g.po[r] as number) + LEAD;
    const ro = t * nr;
    let a = 0;
    for (; a + 4 <= nr; a += 4) {
      const g0 = (pq[po + a] as number) - (rest[ro + a] as number);
      const g1 = (pq[po + a + 1] as number) - (rest[ro + a + 1] as number);
      const g2 = (pq[po + a + 2] as number) - (rest[ro + a + 2] as number);
      const g3 = (pq[po + a + 3] as number) - (rest[ro + a + 3] as number);
      acc += g0 * g0 + g1 * g1 + g2 * g2 + g3 * g3;
      if (acc > stop) return false;
    }
    for (; a < nr; a++) {
      const gg = (pq[po + a] as number) - (rest[ro + a] as number);
      acc += gg * gg;
    }
    if (acc > stop) return false;
  }
  const d = g.ix.d;
  if (!offer(b, sl, exactSq(g.q, g.qo[r] as number, g.tx, t * d, d), t)) return false;
  if ((b.size[sl] as number) < kk) return false;
  const root = b.hd[sl * kk] as number;
  g.lim[r] = root + REL * root + (g.slack[r] as number) - qq;
  return true;
}
