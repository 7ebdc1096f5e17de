// Gradient-histogram kernels of the boosting tree grower (src/core/models/boost/grow.ts), compiled by
// AssemblyScript to WebAssembly with 128-bit SIMD. A histogram is 256 bins per feature of three
// float64 (sum of gradients, sum of hessians, row count); a row's (g, h) pair is one two-lane vector,
// so one vector add updates both sums of a bin. Every bin still adds its rows one at a time in row
// order, with the same roundings as the plain JavaScript loop: results are identical to the bit.
// Pointers are byte offsets into this module's memory.
import { expLanes, expScalar } from './dense';

/** Doubles per feature in a histogram: 256 bins × (g, h, count). */
const FEATURE_STRIDE: usize = 768;

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/**
 * Root histogram: rows 0..n−1 in order; their codes row-major at rowBins (n × F bytes), their (g, h)
 * pairs at gh. Adds g and h only: the caller fills the count channel (the same for every root).
 */
export function buildRoot(rowBins: usize, nFeatures: i32, n: i32, gh: usize, hist: usize): void {
  const F = <usize>nFeatures;
  const F4 = F & ~(<usize>3);
  let base = rowBins;
  for (let j = 0; j < n; j++) {
    const v = v128.load(gh + (<usize>j << 4));
    let f: usize = 0;
    for (; f < F4; f += 4) {
      const p = base + f;
      const o0 = hist + ((f * FEATURE_STRIDE + <usize>load<u8>(p) * 3) << 3);
      const o1 = hist + (((f + 1) * FEATURE_STRIDE + <usize>load<u8>(p, 1) * 3) << 3);
      const o2 = hist + (((f + 2) * FEATURE_STRIDE + <usize>load<u8>(p, 2) * 3) << 3);
      const o3 = hist + (((f + 3) * FEATURE_STRIDE + <usize>load<u8>(p, 3) * 3) << 3);
      v128.store(o0, f64x2.add(v128.load(o0), v));
      v128.store(o1, f64x2.add(v128.load(o1), v));
      v128.store(o2, f64x2.add(v128.load(o2), v));
      v128.store(o3, f64x2.add(v128.load(o3), v));
    }
    for (; f < F; f++) {
      const o = hist + ((f * FEATURE_STRIDE + <usize>load<u8>(base + f) * 3) << 3);
      v128.store(o, f64x2.add(v128.load(o), v));
    }
    base += F;
  }
}

/**
 * Histogram of the rows idx[s..e) (int32 row numbers at idx) whose (g, h) pairs sit at gh[s..e) in
 * the same order; hist is cleared first. Four features per step: independent read-modify-writes.
 */
export function build(rowBins: usize, nFeatures: i32, idx: usize, s: i32, e: i32, gh: usize, hist: usize): void {
  const F = <usize>nFeatures;
  memory.fill(hist, 0, (F * FEATURE_STRIDE) << 3);
  const F4 = F & ~(<usize>3);
  for (let j = s; j < e; j++) {
    const v = v128.load(gh + (<usize>j << 4));
    const base = rowBins + <usize>load<i32>(idx + (<usize>j << 2)) * F;
    let f: usize = 0;
    for (; f < F4; f += 4) {
      const p = base + f;
      const o0 = hist + ((f * FEATURE_STRIDE + <usize>load<u8>(p) * 3) << 3);
      const o1 = hist + (((f + 1) * FEATURE_STRIDE + <usize>load<u8>(p, 1) * 3) << 3);
      const o2 = hist + (((f + 2) * FEATURE_STRIDE + <usize>load<u8>(p, 2) * 3) << 3);
      const o3 = hist + (((f + 3) * FEATURE_STRIDE + <usize>load<u8>(p, 3) * 3) << 3);
      v128.store(o0, f64x2.add(v128.load(o0), v));
      store<f64>(o0, load<f64>(o0, 16) + 1.0, 16);
      v128.store(o1, f64x2.add(v128.load(o1), v));
      store<f64>(o1, load<f64>(o1, 16) + 1.0, 16);
      v128.store(o2, f64x2.add(v128.load(o2), v));
      store<f64>(o2, load<f64>(o2, 16) + 1.0, 16);
      v128.store(o3, f64x2.add(v128.load(o3), v));
      store<f64>(o3, load<f64>(o3, 16) + 1.0, 16);
    }
    for (; f < F; f++) {
      const o = hist + ((f * FEATURE_STRIDE + <usize>load<u8>(base + f) * 3) << 3);
      v128.store(o, f64x2.add(v128.load(o), v));
      store<f64>(o, load<f64>(o, 16) + 1.0, 16);
    }
  }
}

/** parent[i] −= child[i] for len doubles (len even): the larger sibling's histogram. */
export function subtract(parent: usize, child: usize, len: i32): void {
  const end = parent + (<usize>len << 3);
  let c = child;
  for (let p = parent; p < end; p += 16) {
    v128.store(p, f64x2.sub(v128.load(p), v128.load(c)));
    c += 16;
  }
}

/**
 * Stable partition of positions [s, e) of idx (int32 row numbers) and gh (their (g, h) pairs): rows
 * whose code col[row] is ≤ t, or is the NaN code 255 with nanLeft = 1, first. Branch-free: every row is
 * written to both sides (left in place, right to tmpI/tmpGH) and only the matching counter advances,
 * then the right side is copied back behind the left. Writes the left and right sums of g and h
 * (each a row-order sum of g·goLeft, as the JavaScript loop) to sums[0..4) and returns the boundary.
 */
export function partition(col: usize, idx: usize, gh: usize, tmpI: usize, tmpGH: usize, s: i32, e: i32, t: i32, nanLeft: i32, sums: usize): i32 {
  let w = s;
  let r = 0;
  let sumL = f64x2.splat(0);
  let sumR = f64x2.splat(0);
  for (let j = s; j < e; j++) {
    const i = load<i32>(idx + (<usize>j << 2));
    const b = <i32>load<u8>(col + <usize>i);
    const v = v128.load(gh + (<usize>j << 4));
    const goL = <i32>(b <= t) | (nanLeft & <i32>(b == 255));
    store<i32>(idx + (<usize>w << 2), i);
    v128.store(gh + (<usize>w << 4), v);
    store<i32>(tmpI + (<usize>r << 2), i);
    v128.store(tmpGH + (<usize>r << 4), v);
    w += goL;
    r += 1 - goL;
    sumL = f64x2.add(sumL, f64x2.mul(v, f64x2.splat(<f64>goL)));
    sumR = f64x2.add(sumR, f64x2.mul(v, f64x2.splat(<f64>(1 - goL))));
  }
  v128.store(sums, sumL);
  v128.store(sums, sumR, 16);
  memory.copy(idx + (<usize>w << 2), tmpI, <usize>r << 2);
  memory.copy(gh + (<usize>w << 4), tmpGH, <usize>r << 4);
  return w;
}

/** Prefix sums of one feature for scan: (gl, hl) pairs per threshold, then cl per threshold. */
const PREFIX_GH: usize = memory.data(256 * 16, 16);
const PREFIX_C: usize = memory.data(256 * 8, 16);

/**
 * Best split of a node from its histogram over every feature, as scanFeature in
 * src/core/models/boost/grad-histogram.ts: the same prefix sums and the same gain arithmetic in the
 * same order per threshold, and the same tie rule (strictly larger gains win, so earlier features,
 * thresholds and NaN-right win ties). nBins: int32 value bins per feature. Writes gain, feature
 * (−1 = none), bin and nanLeft (0/1) as float64 to out[0..4).
 *
 * Per feature, one pass stores the prefix sums; a second pass computes the gains of two thresholds
 * at once (one two-lane division where the scalar loop needs two), each lane with scanFeature's
 * operations, so each gain is the scalar one to the bit. A pair with no valid gain above the best
 * so far cannot change the result and is passed over; any other pair is replayed threshold by
 * threshold exactly as scanFeature does.
 */
export function scan(hist: usize, nBins: usize, nFeatures: i32, G: f64, H: f64, cnt: f64, l2: f64, msl: f64, mh: f64, out: usize): void {
  const parent = (G * G) / (H + l2);
  let bestGain = 0.0;
  let bestF = -1;
  let bestBin = 0;
  let bestNan = 0;
  const vG = f64x2.splat(G);
  const vH = f64x2.splat(H);
  const vCnt = f64x2.splat(cnt);
  const vL2 = f64x2.splat(l2);
  const vMsl = f64x2.splat(msl);
  const vMh = f64x2.splat(mh);
  const vParent = f64x2.splat(parent);
  const vZero = f64x2.splat(0);
  for (let f = 0; f < nFeatures; f++) {
    const off = hist + ((<usize>f * FEATURE_STRIDE) << 3);
    const nb = load<i32>(nBins + (<usize>f << 2));
    const no = off + 255 * 24;
    const nG = load<f64>(no);
    const nH = load<f64>(no, 8);
    const nC = load<f64>(no, 16);
    const withNan = nC != 0;
    const vnG = f64x2.splat(nG);
    const vnH = f64x2.splat(nH);
    const vnC = f64x2.splat(nC);
    // prefix sums: gl and hl in the two lanes of one vector add, each lane scanFeature's running sum
    let sGH = f64x2.splat(0);
    let cl = 0.0;
    let o = off;
    for (let t = 0; t < nb; t++) {
      sGH = f64x2.add(sGH, v128.load(o));
      cl += load<f64>(o, 16);
      v128.store(PREFIX_GH + (<usize>t << 4), sGH);
      store<f64>(PREFIX_C + (<usize>t << 3), cl);
      o += 24;
    }
    // thresholds two at a time: the SIMD filter, then the exact scalar test of the pair when either lane
    // might beat the best so far; the last threshold of an odd count gets the scalar test alone
    for (let t = 0; t < nb; t += 2) {
      if (t + 1 < nb) {
        const a = v128.load(PREFIX_GH + (<usize>t << 4));
        const b = v128.load(PREFIX_GH + (<usize>t << 4), 16);
        const GL = v128.shuffle<f64>(a, b, 0, 2);
        const HL = v128.shuffle<f64>(a, b, 1, 3);
        const CL = v128.load(PREFIX_C + (<usize>t << 3));
        const vBest = f64x2.splat(bestGain);
        // NaN right: left = value bins ≤ t
        let CR = f64x2.sub(vCnt, CL);
        let HR = f64x2.sub(vH, HL);
        let DL = f64x2.add(HL, vL2);
        let DR = f64x2.add(HR, vL2);
        let ok = v128.and(v128.and(f64x2.ge(CL, vMsl), f64x2.ge(CR, vMsl)), v128.and(f64x2.ge(HL, vMh), f64x2.ge(HR, vMh)));
        ok = v128.and(ok, v128.and(f64x2.gt(DL, vZero), f64x2.gt(DR, vZero)));
        let GR = f64x2.sub(vG, GL);
        let gain = f64x2.sub(f64x2.add(f64x2.div(f64x2.mul(GL, GL), DL), f64x2.div(f64x2.mul(GR, GR), DR)), vParent);
        let hit = v128.and(ok, f64x2.gt(gain, vBest));
        if (withNan) {
          // NaN left
          const CL2 = f64x2.add(CL, vnC);
          const HL2 = f64x2.add(HL, vnH);
          const GL2 = f64x2.add(GL, vnG);
          CR = f64x2.sub(vCnt, CL2);
          HR = f64x2.sub(vH, HL2);
          DL = f64x2.add(HL2, vL2);
          DR = f64x2.add(HR, vL2);
          ok = v128.and(v128.and(f64x2.ge(CL2, vMsl), f64x2.ge(CR, vMsl)), v128.and(f64x2.ge(HL2, vMh), f64x2.ge(HR, vMh)));
          ok = v128.and(ok, v128.and(f64x2.gt(DL, vZero), f64x2.gt(DR, vZero)));
          GR = f64x2.sub(vG, GL2);
          gain = f64x2.sub(f64x2.add(f64x2.div(f64x2.mul(GL2, GL2), DL), f64x2.div(f64x2.mul(GR, GR), DR)), vParent);
          hit = v128.or(hit, v128.and(ok, f64x2.gt(gain, vBest)));
        }
        if (!v128.any_true(hit)) continue;
      }
      const end = t + 2 < nb ? t + 2 : nb;
      for (let u = t; u < end; u++) {
        const gl = load<f64>(PREFIX_GH + (<usize>u << 4));
        const hl = load<f64>(PREFIX_GH + (<usize>u << 4), 8);
        const c = load<f64>(PREFIX_C + (<usize>u << 3));
        let cr = cnt - c;
        if (c >= msl && cr >= msl) {
          const hr = H - hl;
          if (hl >= mh && hr >= mh && hl + l2 > 0 && hr + l2 > 0) {
            const gr = G - gl;
            const g1 = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
            if (g1 > bestGain) {
              bestGain = g1;
              bestF = f;
              bestBin = u;
              bestNan = withNan ? 0 : <i32>(c >= cr);
            }
          }
        }
        if (!withNan) continue;
        const c2 = c + nC;
        cr = cnt - c2;
        if (c2 >= msl && cr >= msl) {
          const hl2 = hl + nH;
          const hr = H - hl2;
          if (hl2 >= mh && hr >= mh && hl2 + l2 > 0 && hr + l2 > 0) {
            const gl2 = gl + nG;
            const gr = G - gl2;
            const g2 = (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (hr + l2) - parent;
            if (g2 > bestGain) {
              bestGain = g2;
              bestF = f;
              bestBin = u;
              bestNan = 1;
            }
          }
        }
      }
    }
  }
  store<f64>(out, bestGain);
  store<f64>(out, <f64>bestF, 8);
  store<f64>(out, <f64>bestBin, 16);
  store<f64>(out, <f64>bestNan, 24);
}

/** Math.exp to the bit (dense.ts's expScalar, the one exp of the kernels), exported for the tests. */
export function exp(x: f64): f64 {
  return expScalar(x);
}

/**
 * Softmax cross-entropy gradients, as softmaxGradients in src/core/models/boost/softmax.ts (same
 * operations in the same order): scores class-major (class k of row i at raw[k·n + i]), labels yk
 * (int32 scored-class index per row); writes (g, h) pairs class-major to gh[(k·n + i)·2 ..].
 */
export function softmax(raw: usize, yk: usize, n: i32, K: i32, gh: usize): void {
  const stride = <usize>n << 3;
  let i = 0;
  // two rows per turn, one per lane: each lane does its row's operations of the loop below in the
  // same order (max by `>`, exp as Math.exp, the sum in class order, one division per class)
  for (; i + 2 <= n; i += 2) {
    const ri = raw + (<usize>i << 3);
    const gi = gh + (<usize>i << 4);
    let m = f64x2.splat(-Infinity);
    for (let k = 0, o = ri; k < K; k++, o += stride) {
      const r = v128.load(o);
      m = v128.bitselect(r, m, f64x2.gt(r, m));
    }
    let s = f64x2.splat(0.0);
    for (let k = 0, o = ri, q = gi; k < K; k++, o += stride, q += stride << 1) {
      const e = expLanes(f64x2.sub(v128.load(o), m));
      store<f64>(q, f64x2.extract_lane(e, 0));
      store<f64>(q, f64x2.extract_lane(e, 1), 16);
      s = f64x2.add(s, e);
    }
    const t = i64x2(<i64>load<i32>(yk + (<usize>i << 2)), <i64>load<i32>(yk + (<usize>i << 2), 4));
    const one = f64x2.splat(1.0);
    for (let k = 0, q = gi; k < K; k++, q += stride << 1) {
      const pk = f64x2.div(f64x2(load<f64>(q), load<f64>(q, 16)), s);
      const g = v128.bitselect(f64x2.sub(pk, one), pk, i64x2.eq(t, i64x2.splat(<i64>k)));
      const h = f64x2.mul(pk, f64x2.sub(one, pk));
      v128.store(q, v128.shuffle<f64>(g, h, 0, 2));
      v128.store(q, v128.shuffle<f64>(g, h, 1, 3), 16);
    }
  }
  for (; i < n; i++) {
    const ri = raw + (<usize>i << 3);
    const gi = gh + (<usize>i << 4);
    let m = -Infinity;
    for (let k = 0, o = ri; k < K; k++, o += stride) {
      const r = load<f64>(o);
      if (r > m) m = r;
    }
    let s = 0.0;
    // exp of each class parked in its g slot until the sum is known
    for (let k = 0, o = ri, q = gi; k < K; k++, o += stride, q += stride << 1) {
      const e = expScalar(load<f64>(o) - m);
      store<f64>(q, e);
      s += e;
    }
    const t = load<i32>(yk + (<usize>i << 2));
    for (let k = 0, q = gi; k < K; k++, q += stride << 1) {
      const pk = load<f64>(q) / s;
      store<f64>(q, k == t ? pk - 1 : pk);
      store<f64>(q, pk * (1 - pk), 8);
    }
  }
}

/** raw[idx[j]] += v for j in [s, e): a leaf's value added to its training rows' scores. */
export function addLeaf(raw: usize, idx: usize, s: i32, e: i32, v: f64): void {
  for (let j = s; j < e; j++) {
    const o = raw + (<usize>load<i32>(idx + (<usize>j << 2)) << 3);
    store<f64>(o, load<f64>(o) + v);
  }
}
