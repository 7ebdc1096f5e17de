// Dense float64 kernels for the MLP and logistic regression, compiled by AssemblyScript to a
// WebAssembly module with 128-bit SIMD (two float64 lanes). Every kernel vectorises across
// independent outputs (rows or output units), never along a sum, and WebAssembly has no fused
// multiply-add here: each lane computes acc + a·b with the same roundings, in the same order, as the
// scalar loop it replaces, so results are bit-for-bit those of the plain JavaScript loops.
// Pointers are byte offsets into this module's memory; all arrays are float64.

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/**
 * z (b × nout) = a (b × nin) · W (nin × nout, row-major) + bias, each output summing
 * bias + Σⱼ a·w in input order; with relu ≠ 0, negative outputs become 0 (NaN and -0 kept, as
 * `if (z < 0) z = 0`). Tiles of 4 rows × 4 outputs (eight two-lane accumulators).
 */
export function matmulBias(a: usize, w: usize, bias: usize, z: usize, b: i32, nin: i32, nout: i32, relu: i32): void {
  const zero = f64x2.splat(0);
  const rowA = <usize>nin << 3;
  const rowZ = <usize>nout << 3;
  const rowW = <usize>nout << 3;
  const b4 = b & ~3;
  const o4 = nout & ~3;
  const o2 = nout & ~1;
  for (let i = 0; i < b4; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const z0 = z + <usize>i * rowZ;
    let o = 0;
    for (; o < o4; o += 4) {
      const bo = bias + (<usize>o << 3);
      const bA = v128.load(bo);
      const bB = v128.load(bo, 16);
      let s0A = bA, s0B = bB, s1A = bA, s1B = bB, s2A = bA, s2B = bB, s3A = bA, s3B = bB;
      let wp = w + (<usize>o << 3);
      for (let j = 0; j < nin; j++) {
        const wA = v128.load(wp);
        const wB = v128.load(wp, 16);
        const jo = <usize>j << 3;
        const v0 = f64x2.splat(load<f64>(a0 + jo));
        s0A = f64x2.add(s0A, f64x2.mul(v0, wA));
        s0B = f64x2.add(s0B, f64x2.mul(v0, wB));
        const v1 = f64x2.splat(load<f64>(a1 + jo));
        s1A = f64x2.add(s1A, f64x2.mul(v1, wA));
        s1B = f64x2.add(s1B, f64x2.mul(v1, wB));
        const v2 = f64x2.splat(load<f64>(a2 + jo));
        s2A = f64x2.add(s2A, f64x2.mul(v2, wA));
        s2B = f64x2.add(s2B, f64x2.mul(v2, wB));
        const v3 = f64x2.splat(load<f64>(a3 + jo));
        s3A = f64x2.add(s3A, f64x2.mul(v3, wA));
        s3B = f64x2.add(s3B, f64x2.mul(v3, wB));
        wp += rowW;
      }
      if (relu) {
        s0A = f64x2.pmax(s0A, zero); s0B = f64x2.pmax(s0B, zero);
        s1A = f64x2.pmax(s1A, zero); s1B = f64x2.pmax(s1B, zero);
        s2A = f64x2.pmax(s2A, zero); s2B = f64x2.pmax(s2B, zero);
        s3A = f64x2.pmax(s3A, zero); s3B = f64x2.pmax(s3B, zero);
      }
      const zo = z0 + (<usize>o << 3);
      v128.store(zo, s0A); v128.store(zo, s0B, 16);
      v128.store(zo + rowZ, s1A); v128.store(zo + rowZ, s1B, 16);
      v128.store(zo + 2 * rowZ, s2A); v128.store(zo + 2 * rowZ, s2B, 16);
      v128.store(zo + 3 * rowZ, s3A); v128.store(zo + 3 * rowZ, s3B, 16);
    }
    for (; o < o2; o += 2) {
      const bA = v128.load(bias + (<usize>o << 3));
      let s0 = bA, s1 = bA, s2 = bA, s3 = bA;
      let wp = w + (<usize>o << 3);
      for (let j = 0; j < nin; j++) {
        const wA = v128.load(wp);
        const jo = <usize>j << 3;
        s0 = f64x2.add(s0, f64x2.mul(f64x2.splat(load<f64>(a0 + jo)), wA));
        s1 = f64x2.add(s1, f64x2.mul(f64x2.splat(load<f64>(a1 + jo)), wA));
        s2 = f64x2.add(s2, f64x2.mul(f64x2.splat(load<f64>(a2 + jo)), wA));
        s3 = f64x2.add(s3, f64x2.mul(f64x2.splat(load<f64>(a3 + jo)), wA));
        wp += rowW;
      }
      if (relu) {
        s0 = f64x2.pmax(s0, zero); s1 = f64x2.pmax(s1, zero); s2 = f64x2.pmax(s2, zero); s3 = f64x2.pmax(s3, zero);
      }
      const zo = z0 + (<usize>o << 3);
      v128.store(zo, s0); v128.store(zo + rowZ, s1); v128.store(zo + 2 * rowZ, s2); v128.store(zo + 3 * rowZ, s3);
    }
    if (o < nout) {
      // the last odd output: rows in pairs, two lanes = two rows
      const bv = f64x2.splat(load<f64>(bias + (<usize>o << 3)));
      let s01 = bv, s23 = bv;
      let wp = w + (<usize>o << 3);
      for (let j = 0; j < nin; j++) {
        const wv = f64x2.splat(load<f64>(wp));
        const jo = <usize>j << 3;
        s01 = f64x2.add(s01, f64x2.mul(f64x2(load<f64>(a0 + jo), load<f64>(a1 + jo)), wv));
        s23 = f64x2.add(s23, f64x2.mul(f64x2(load<f64>(a2 + jo), load<f64>(a3 + jo)), wv));
        wp += rowW;
      }
      if (relu) {
        s01 = f64x2.pmax(s01, zero); s23 = f64x2.pmax(s23, zero);
      }
      const zo = z0 + (<usize>o << 3);
      store<f64>(zo, f64x2.extract_lane(s01, 0));
      store<f64>(zo + rowZ, f64x2.extract_lane(s01, 1));
      store<f64>(zo + 2 * rowZ, f64x2.extract_lane(s23, 0));
      store<f64>(zo + 3 * rowZ, f64x2.extract_lane(s23, 1));
    }
  }
  for (let i = b4; i < b; i++) {
    const ar = a + <usize>i * rowA;
    const zr = z + <usize>i * rowZ;
    let o = 0;
    for (; o < o2; o += 2) {
      let s = v128.load(bias + (<usize>o << 3));
      let wp = w + (<usize>o << 3);
      for (let j = 0; j < nin; j++) {
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(ar + (<usize>j << 3))), v128.load(wp)));
        wp += rowW;
      }
      if (relu) s = f64x2.pmax(s, zero);
      v128.store(zr + (<usize>o << 3), s);
    }
    if (o < nout) {
      let s = load<f64>(bias + (<usize>o << 3));
      let wp = w + (<usize>o << 3);
      for (let j = 0; j < nin; j++) {
        s += load<f64>(ar + (<usize>j << 3)) * load<f64>(wp);
        wp += rowW;
      }
      if (relu && s < 0) s = 0;
      store<f64>(zr + (<usize>o << 3), s);
    }
  }
}

/**
 * grad (nin × nout) = (alpha·W + Aᵀ·Δ) · invB and gradB (nout) = (Σᵢ Δᵢ) · invB, for A (b × nin) and
 * Δ (b × nout) row-major: each weight entry starts at alpha·w and adds its rows in row order, each
 * bias entry sums its rows from 0, and both are then scaled. Tiles of 4 inputs × 4 outputs.
 */
export function weightGrad(a: usize, delta: usize, w: usize, grad: usize, gradB: usize, b: i32, nin: i32, nout: i32, alpha: f64, invB: f64): void {
  const rowA = <usize>nin << 3;
  const rowD = <usize>nout << 3;
  const al = f64x2.splat(alpha);
  const sc = f64x2.splat(invB);
  const j4 = nin & ~3;
  const j2 = nin & ~1;
  const o4 = nout & ~3;
  const o2 = nout & ~1;
  let j = 0;
  for (; j < j4; j += 4) {
    const g0 = grad + <usize>j * rowD;
    const w0 = w + <usize>j * rowD;
    let o = 0;
    for (; o < o4; o += 4) {
      const oo = <usize>o << 3;
      let s0A = f64x2.mul(al, v128.load(w0 + oo)), s0B = f64x2.mul(al, v128.load(w0 + oo, 16));
      let s1A = f64x2.mul(al, v128.load(w0 + rowD + oo)), s1B = f64x2.mul(al, v128.load(w0 + rowD + oo, 16));
      let s2A = f64x2.mul(al, v128.load(w0 + 2 * rowD + oo)), s2B = f64x2.mul(al, v128.load(w0 + 2 * rowD + oo, 16));
      let s3A = f64x2.mul(al, v128.load(w0 + 3 * rowD + oo)), s3B = f64x2.mul(al, v128.load(w0 + 3 * rowD + oo, 16));
      let ap = a + (<usize>j << 3);
      let dp = delta + oo;
      for (let i = 0; i < b; i++) {
        const dA = v128.load(dp);
        const dB = v128.load(dp, 16);
        const v0 = f64x2.splat(load<f64>(ap));
        s0A = f64x2.add(s0A, f64x2.mul(v0, dA));
        s0B = f64x2.add(s0B, f64x2.mul(v0, dB));
        const v1 = f64x2.splat(load<f64>(ap, 8));
        s1A = f64x2.add(s1A, f64x2.mul(v1, dA));
        s1B = f64x2.add(s1B, f64x2.mul(v1, dB));
        const v2 = f64x2.splat(load<f64>(ap, 16));
        s2A = f64x2.add(s2A, f64x2.mul(v2, dA));
        s2B = f64x2.add(s2B, f64x2.mul(v2, dB));
        const v3 = f64x2.splat(load<f64>(ap, 24));
        s3A = f64x2.add(s3A, f64x2.mul(v3, dA));
        s3B = f64x2.add(s3B, f64x2.mul(v3, dB));
        ap += rowA;
        dp += rowD;
      }
      v128.store(g0 + oo, f64x2.mul(s0A, sc)); v128.store(g0 + oo, f64x2.mul(s0B, sc), 16);
      v128.store(g0 + rowD + oo, f64x2.mul(s1A, sc)); v128.store(g0 + rowD + oo, f64x2.mul(s1B, sc), 16);
      v128.store(g0 + 2 * rowD + oo, f64x2.mul(s2A, sc)); v128.store(g0 + 2 * rowD + oo, f64x2.mul(s2B, sc), 16);
      v128.store(g0 + 3 * rowD + oo, f64x2.mul(s3A, sc)); v128.store(g0 + 3 * rowD + oo, f64x2.mul(s3B, sc), 16);
    }
    for (; o < nout; o++) {
      // one output, inputs in pairs: the two lanes are inputs j, j+1 (adjacent in a row of A)
      const oo = <usize>o << 3;
      let sA = f64x2.mul(al, f64x2(load<f64>(w0 + oo), load<f64>(w0 + rowD + oo)));
      let sB = f64x2.mul(al, f64x2(load<f64>(w0 + 2 * rowD + oo), load<f64>(w0 + 3 * rowD + oo)));
      let ap = a + (<usize>j << 3);
      let dp = delta + oo;
      for (let i = 0; i < b; i++) {
        const dv = f64x2.splat(load<f64>(dp));
        sA = f64x2.add(sA, f64x2.mul(v128.load(ap), dv));
        sB = f64x2.add(sB, f64x2.mul(v128.load(ap, 16), dv));
        ap += rowA;
        dp += rowD;
      }
      sA = f64x2.mul(sA, sc);
      sB = f64x2.mul(sB, sc);
      store<f64>(g0 + oo, f64x2.extract_lane(sA, 0));
      store<f64>(g0 + rowD + oo, f64x2.extract_lane(sA, 1));
      store<f64>(g0 + 2 * rowD + oo, f64x2.extract_lane(sB, 0));
      store<f64>(g0 + 3 * rowD + oo, f64x2.extract_lane(sB, 1));
    }
  }
  for (; j < nin; j++) {
    const g0 = grad + <usize>j * rowD;
    const w0 = w + <usize>j * rowD;
    let o = 0;
    for (; o < o2; o += 2) {
      const oo = <usize>o << 3;
      let s = f64x2.mul(al, v128.load(w0 + oo));
      let ap = a + (<usize>j << 3);
      let dp = delta + oo;
      for (let i = 0; i < b; i++) {
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(ap)), v128.load(dp)));
        ap += rowA;
        dp += rowD;
      }
      v128.store(g0 + oo, f64x2.mul(s, sc));
    }
    if (o < nout) {
      const oo = <usize>o << 3;
      let s = alpha * load<f64>(w0 + oo);
      let ap = a + (<usize>j << 3);
      let dp = delta + oo;
      for (let i = 0; i < b; i++) {
        s += load<f64>(ap) * load<f64>(dp);
        ap += rowA;
        dp += rowD;
      }
      store<f64>(g0 + oo, s * invB);
    }
  }
  // bias: column sums of Δ
  let o = 0;
  for (; o < o2; o += 2) {
    const oo = <usize>o << 3;
    let s = f64x2.splat(0);
    let dp = delta + oo;
    for (let i = 0; i < b; i++) {
      s = f64x2.add(s, v128.load(dp));
      dp += rowD;
    }
    v128.store(gradB + oo, f64x2.mul(s, sc));
  }
  if (o < nout) {
    const oo = <usize>o << 3;
    let s: f64 = 0;
    let dp = delta + oo;
    for (let i = 0; i < b; i++) {
      s += load<f64>(dp);
      dp += rowD;
    }
    store<f64>(gradB + oo, s * invB);
  }
}

/**
 * prev (b × nin) = Δ (b × nout) · Wᵀ with the ReLU derivative of A (b × nin): each entry sums its
 * outputs in order, then becomes 0 where a ≤ 0 (or NaN). W (nin × nout) is first transposed into
 * wt (nout × nin, scratch) so that neighbouring inputs are neighbouring lanes. Tiles of 4 rows × 4
 * inputs.
 */
export function backDelta(a: usize, delta: usize, w: usize, wt: usize, prev: usize, b: i32, nin: i32, nout: i32): void {
  for (let j = 0; j < nin; j++) {
    for (let o = 0; o < nout; o++) store<f64>(wt + ((<usize>o * <usize>nin + <usize>j) << 3), load<f64>(w + ((<usize>j * <usize>nout + <usize>o) << 3)));
  }
  const zero = f64x2.splat(0);
  const rowA = <usize>nin << 3;
  const rowD = <usize>nout << 3;
  const b4 = b & ~3;
  const j4 = nin & ~3;
  const j2 = nin & ~1;
  for (let i = 0; i < b4; i += 4) {
    const d0 = delta + <usize>i * rowD;
    const a0 = a + <usize>i * rowA;
    const p0 = prev + <usize>i * rowA;
    let j = 0;
    for (; j < j4; j += 4) {
      let s0A = zero, s0B = zero, s1A = zero, s1B = zero, s2A = zero, s2B = zero, s3A = zero, s3B = zero;
      let tp = wt + (<usize>j << 3);
      let dp = d0;
      for (let o = 0; o < nout; o++) {
        const tA = v128.load(tp);
        const tB = v128.load(tp, 16);
        const e0 = f64x2.splat(load<f64>(dp));
        s0A = f64x2.add(s0A, f64x2.mul(e0, tA));
        s0B = f64x2.add(s0B, f64x2.mul(e0, tB));
        const e1 = f64x2.splat(load<f64>(dp + rowD));
        s1A = f64x2.add(s1A, f64x2.mul(e1, tA));
        s1B = f64x2.add(s1B, f64x2.mul(e1, tB));
        const e2 = f64x2.splat(load<f64>(dp + 2 * rowD));
        s2A = f64x2.add(s2A, f64x2.mul(e2, tA));
        s2B = f64x2.add(s2B, f64x2.mul(e2, tB));
        const e3 = f64x2.splat(load<f64>(dp + 3 * rowD));
        s3A = f64x2.add(s3A, f64x2.mul(e3, tA));
        s3B = f64x2.add(s3B, f64x2.mul(e3, tB));
        tp += rowA;
        dp += 8;
      }
      const jo = <usize>j << 3;
      v128.store(p0 + jo, v128.and(s0A, f64x2.gt(v128.load(a0 + jo), zero)));
      v128.store(p0 + jo, v128.and(s0B, f64x2.gt(v128.load(a0 + jo, 16), zero)), 16);
      v128.store(p0 + rowA + jo, v128.and(s1A, f64x2.gt(v128.load(a0 + rowA + jo), zero)));
      v128.store(p0 + rowA + jo, v128.and(s1B, f64x2.gt(v128.load(a0 + rowA + jo, 16), zero)), 16);
      v128.store(p0 + 2 * rowA + jo, v128.and(s2A, f64x2.gt(v128.load(a0 + 2 * rowA + jo), zero)));
      v128.store(p0 + 2 * rowA + jo, v128.and(s2B, f64x2.gt(v128.load(a0 + 2 * rowA + jo, 16), zero)), 16);
      v128.store(p0 + 3 * rowA + jo, v128.and(s3A, f64x2.gt(v128.load(a0 + 3 * rowA + jo), zero)));
      v128.store(p0 + 3 * rowA + jo, v128.and(s3B, f64x2.gt(v128.load(a0 + 3 * rowA + jo, 16), zero)), 16);
    }
    for (; j < nin; j++) {
      // one input, rows in pairs as lanes
      let s01 = zero, s23 = zero;
      let tp = wt + (<usize>j << 3);
      let dp = d0;
      for (let o = 0; o < nout; o++) {
        const t = f64x2.splat(load<f64>(tp));
        s01 = f64x2.add(s01, f64x2.mul(f64x2(load<f64>(dp), load<f64>(dp + rowD)), t));
        s23 = f64x2.add(s23, f64x2.mul(f64x2(load<f64>(dp + 2 * rowD), load<f64>(dp + 3 * rowD)), t));
        tp += rowA;
        dp += 8;
      }
      const jo = <usize>j << 3;
      const m01 = f64x2.gt(f64x2(load<f64>(a0 + jo), load<f64>(a0 + rowA + jo)), zero);
      const m23 = f64x2.gt(f64x2(load<f64>(a0 + 2 * rowA + jo), load<f64>(a0 + 3 * rowA + jo)), zero);
      s01 = v128.and(s01, m01);
      s23 = v128.and(s23, m23);
      store<f64>(p0 + jo, f64x2.extract_lane(s01, 0));
      store<f64>(p0 + rowA + jo, f64x2.extract_lane(s01, 1));
      store<f64>(p0 + 2 * rowA + jo, f64x2.extract_lane(s23, 0));
      store<f64>(p0 + 3 * rowA + jo, f64x2.extract_lane(s23, 1));
    }
  }
  for (let i = b4; i < b; i++) {
    const d0 = delta + <usize>i * rowD;
    const a0 = a + <usize>i * rowA;
    const p0 = prev + <usize>i * rowA;
    let j = 0;
    for (; j < j2; j += 2) {
      let s = zero;
      let tp = wt + (<usize>j << 3);
      for (let o = 0; o < nout; o++) {
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(d0 + (<usize>o << 3))), v128.load(tp)));
        tp += rowA;
      }
      const jo = <usize>j << 3;
      v128.store(p0 + jo, v128.and(s, f64x2.gt(v128.load(a0 + jo), zero)));
    }
    if (j < nin) {
      let s: f64 = 0;
      let tp = wt + (<usize>j << 3);
      for (let o = 0; o < nout; o++) {
        s += load<f64>(d0 + (<usize>o << 3)) * load<f64>(tp);
        tp += rowA;
      }
      const jo = <usize>j << 3;
      store<f64>(p0 + jo, load<f64>(a0 + jo) > 0 ? s : 0);
    }
  }
}

/**
 * One Adam step over n parameters: m1 = b1·m1 + c1·g, m2 = b2·m2 + (c2·g)·g,
 * theta −= (lr·m1) / (√m2 + eps), with c1 = 1 − b1 and c2 = 1 − b2 passed in as the caller computed
 * them (the same roundings as the scalar update).
 */
export function adam(theta: usize, grad: usize, m1: usize, m2: usize, n: i32, lr: f64, b1: f64, c1: f64, b2: f64, c2: f64, eps: f64): void {
  const vlr = f64x2.splat(lr), vb1 = f64x2.splat(b1), vc1 = f64x2.splat(c1), vb2 = f64x2.splat(b2), vc2 = f64x2.splat(c2), veps = f64x2.splat(eps);
  const n2 = n & ~1;
  let t = 0;
  for (; t < n2; t += 2) {
    const off = <usize>t << 3;
    const g = v128.load(grad + off);
    const a = f64x2.add(f64x2.mul(vb1, v128.load(m1 + off)), f64x2.mul(vc1, g));
    const v = f64x2.add(f64x2.mul(vb2, v128.load(m2 + off)), f64x2.mul(f64x2.mul(vc2, g), g));
    v128.store(m1 + off, a);
    v128.store(m2 + off, v);
    v128.store(theta + off, f64x2.sub(v128.load(theta + off), f64x2.div(f64x2.mul(vlr, a), f64x2.add(f64x2.sqrt(v), veps))));
  }
  if (t < n) {
    const off = <usize>t << 3;
    const g = load<f64>(grad + off);
    const a = b1 * load<f64>(m1 + off) + c1 * g;
    const v = b2 * load<f64>(m2 + off) + c2 * g * g;
    store<f64>(m1 + off, a);
    store<f64>(m2 + off, v);
    store<f64>(theta + off, load<f64>(theta + off) - (lr * a) / (Math.sqrt(v) + eps));
  }
}

/**
 * Logistic-regression logits for rows [i0, i0 + nb) of column-major X (feature j at x + j·n):
 * z[c·ldz + r] = b_c + Σⱼ W[c][j]·X[j][i0 + r], features in order. theta holds W (k × d, row-major)
 * then b (k). Rows in groups of 8 (four two-lane accumulators), the odd last row scalar.
 */
export function logits(x: usize, n: i32, i0: i32, nb: i32, d: i32, k: i32, theta: usize, z: usize, ldz: i32): void {
  const colX = <usize>n << 3;
  const nb8 = nb & ~7;
  const nb2 = nb & ~1;
  const bOff = theta + ((<usize>k * <usize>d) << 3);
  for (let c = 0; c < k; c++) {
    const wc = theta + ((<usize>c * <usize>d) << 3);
    const bc = f64x2.splat(load<f64>(bOff + (<usize>c << 3)));
    const zc = z + ((<usize>c * <usize>ldz) << 3);
    let r = 0;
    for (; r < nb8; r += 8) {
      let s0 = bc, s1 = bc, s2 = bc, s3 = bc;
      let xp = x + (<usize>(i0 + r) << 3);
      for (let j = 0; j < d; j++) {
        const wv = f64x2.splat(load<f64>(wc + (<usize>j << 3)));
        s0 = f64x2.add(s0, f64x2.mul(wv, v128.load(xp)));
        s1 = f64x2.add(s1, f64x2.mul(wv, v128.load(xp, 16)));
        s2 = f64x2.add(s2, f64x2.mul(wv, v128.load(xp, 32)));
        s3 = f64x2.add(s3, f64x2.mul(wv, v128.load(xp, 48)));
        xp += colX;
      }
      const zp = zc + (<usize>r << 3);
      v128.store(zp, s0);
      v128.store(zp, s1, 16);
      v128.store(zp, s2, 32);
      v128.store(zp, s3, 48);
    }
    for (; r < nb2; r += 2) {
      let s = bc;
      let xp = x + (<usize>(i0 + r) << 3);
      for (let j = 0; j < d; j++) {
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(wc + (<usize>j << 3))), v128.load(xp)));
        xp += colX;
      }
      v128.store(zc + (<usize>r << 3), s);
    }
    if (r < nb) {
      let s = load<f64>(bOff + (<usize>c << 3));
      let xp = x + (<usize>(i0 + r) << 3);
      for (let j = 0; j < d; j++) {
        s += load<f64>(wc + (<usize>j << 3)) * load<f64>(xp);
        xp += colX;
      }
      store<f64>(zc + (<usize>r << 3), s);
    }
  }
}

/**
 * Add one block's logistic-regression gradient: for residuals R (nb × kp, row-major, kp even, lanes
 * past k zero) of rows [i0, i0 + nb), g[c·d + j] += Σᵣ R[r][c]·X[j][i0 + r] and g[k·d + c] += Σᵣ R[r][c],
 * rows in order (each entry continues its running sum). Two classes per lane pair, four features at a time.
 */
export function logregGrad(x: usize, n: i32, i0: i32, nb: i32, d: i32, k: i32, kp: i32, res: usize, g: usize): void {
  const colX = <usize>n << 3;
  const rowR = <usize>kp << 3;
  const j4 = d & ~3;
  const gb = g + ((<usize>k * <usize>d) << 3);
  for (let c = 0; c < k; c += 2) {
    const two = c + 1 < k;
    const gc0 = g + ((<usize>c * <usize>d) << 3);
    const gc1 = two ? gc0 + (<usize>d << 3) : gc0;
    let j = 0;
    for (; j < j4; j += 4) {
      const jo = <usize>j << 3;
      let s0 = f64x2(load<f64>(gc0 + jo), two ? load<f64>(gc1 + jo) : 0);
      let s1 = f64x2(load<f64>(gc0 + jo, 8), two ? load<f64>(gc1 + jo, 8) : 0);
      let s2 = f64x2(load<f64>(gc0 + jo, 16), two ? load<f64>(gc1 + jo, 16) : 0);
      let s3 = f64x2(load<f64>(gc0 + jo, 24), two ? load<f64>(gc1 + jo, 24) : 0);
      let rp = res + (<usize>c << 3);
      let xp = x + ((<usize>j * <usize>n + <usize>i0) << 3);
      for (let r = 0; r < nb; r++) {
        const rv = v128.load(rp);
        s0 = f64x2.add(s0, f64x2.mul(rv, f64x2.splat(load<f64>(xp))));
        s1 = f64x2.add(s1, f64x2.mul(rv, f64x2.splat(load<f64>(xp + colX))));
        s2 = f64x2.add(s2, f64x2.mul(rv, f64x2.splat(load<f64>(xp + 2 * colX))));
        s3 = f64x2.add(s3, f64x2.mul(rv, f64x2.splat(load<f64>(xp + 3 * colX))));
        rp += rowR;
        xp += 8;
      }
      store<f64>(gc0 + jo, f64x2.extract_lane(s0, 0));
      store<f64>(gc0 + jo, f64x2.extract_lane(s1, 0), 8);
      store<f64>(gc0 + jo, f64x2.extract_lane(s2, 0), 16);
      store<f64>(gc0 + jo, f64x2.extract_lane(s3, 0), 24);
      if (two) {
        store<f64>(gc1 + jo, f64x2.extract_lane(s0, 1));
        store<f64>(gc1 + jo, f64x2.extract_lane(s1, 1), 8);
        store<f64>(gc1 + jo, f64x2.extract_lane(s2, 1), 16);
        store<f64>(gc1 + jo, f64x2.extract_lane(s3, 1), 24);
      }
    }
    for (; j < d; j++) {
      const jo = <usize>j << 3;
      let s = f64x2(load<f64>(gc0 + jo), two ? load<f64>(gc1 + jo) : 0);
      let rp = res + (<usize>c << 3);
      let xp = x + ((<usize>j * <usize>n + <usize>i0) << 3);
      for (let r = 0; r < nb; r++) {
        s = f64x2.add(s, f64x2.mul(v128.load(rp), f64x2.splat(load<f64>(xp))));
        rp += rowR;
        xp += 8;
      }
      store<f64>(gc0 + jo, f64x2.extract_lane(s, 0));
      if (two) store<f64>(gc1 + jo, f64x2.extract_lane(s, 1));
    }
    // intercepts
    const co = <usize>c << 3;
    let s = f64x2(load<f64>(gb + co), two ? load<f64>(gb + co, 8) : 0);
    let rp = res + co;
    for (let r = 0; r < nb; r++) {
      s = f64x2.add(s, v128.load(rp));
      rp += rowR;
    }
    store<f64>(gb + co, f64x2.extract_lane(s, 0));
    if (two) store<f64>(gb + co, f64x2.extract_lane(s, 1), 8);
  }
}
