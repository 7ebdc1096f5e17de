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

// ---- exp, operation for operation as V8's Math.exp (fdlibm's __ieee754_exp), so that values
// computed here equal the JS ones bit for bit (checked against Math.exp in the kernel test).

const LN2HI: f64 = 6.93147180369123816490e-1;
const LN2LO: f64 = 1.90821492927058770002e-10;
const INVLN2: f64 = 1.44269504088896338700e0;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.65339022054652515390e-6;
const P5: f64 = 4.13813679705723846039e-8;
const E: f64 = 2.718281828459045;
const TWOM1000: f64 = 9.33263618503218878990e-302;
const TWO1023: f64 = 8.988465674311579539e307;
const O_THRESHOLD: f64 = 7.09782712893383973096e2;
const U_THRESHOLD: f64 = -7.45133219101941108420e2;

/**
 * The scalar algorithm, every branch (used for lanes with |x| ≥ 709, infinities and NaN, and by
 * boost.ts and svc.ts: the kernels' one exp). Math.exp to the bit, x = 1 included (V8 returns E there).
 */
export function expScalar(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const xsb = <i32>(bits >> 63);
  const hx = <u32>(bits >> 32) & 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return E;
      hi = x - (xsb ? -LN2HI : LN2HI);
      lo = xsb ? -LN2LO : LN2LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INVLN2 * x + (xsb ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2HI;
      lo = t * LN2LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  }
  const t = x * x;
  const twopk = reinterpret<f64>(<u64>(k >= -1021 ? 0x3ff + k : 0x3ff + k + 1000) << 52);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

/**
 * exp of both lanes. For |x| < 709 the branches of the scalar algorithm become lane selects: the
 * reduction x − t·ln2 (t = 0 where the algorithm does not reduce, which leaves x unchanged), the
 * shared polynomial, then the k = 0 or the k ≠ 0 reconstruction, 1 + x for |x| < 2⁻²⁸ and the
 * 2⁻¹⁰⁰⁰ rescale below k = −1021; other lanes take the scalar path.
 */
// @ts-ignore: decorator
@inline export function expLanes(x: v128): v128 {
  const ax = v128.and(x, i64x2.splat(0x7fffffffffffffff));
  if (!v128.all_true<i64>(f64x2.lt(ax, f64x2.splat(709.0)))) {
    return f64x2(expScalar(f64x2.extract_lane(x, 0)), expScalar(f64x2.extract_lane(x, 1)));
  }
  const sign = v128.and(x, i64x2.splat(0x8000000000000000));
  const neg = i64x2.lt_s(x, i64x2.splat(0));
  const hx = i64x2.shr_u(ax, 32);
  const reduce = i64x2.gt_s(hx, i64x2.splat(0x3fd62e42));
  const mid = i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2));
  // k as the algorithm picks it: ±1 in the middle range, else trunc(x/ln2 ± 1/2); 0 when not reducing
  const tFar = f64x2.convert_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(f64x2.splat(INVLN2), x), v128.or(f64x2.splat(0.5), sign))));
  const tMid = v128.bitselect(f64x2.splat(-1.0), f64x2.splat(1.0), neg);
  const t = v128.and(v128.bitselect(tMid, tFar, mid), reduce);
  const hi = f64x2.sub(x, f64x2.mul(t, f64x2.splat(LN2HI)));
  const lo = f64x2.mul(t, f64x2.splat(LN2LO));
  const xr = f64x2.sub(hi, lo);
  const tt = f64x2.mul(xr, xr);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(tt, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(tt, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(tt, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(tt, p));
  const c = f64x2.sub(xr, f64x2.mul(tt, p));
  const one = f64x2.splat(1.0);
  const xc = f64x2.mul(xr, c);
  // k = 0: 1 − ((x·c)/(c − 2) − x)
  const r0 = f64x2.sub(one, f64x2.sub(f64x2.div(xc, f64x2.sub(c, f64x2.splat(2.0))), xr));
  // k ≠ 0: y = 1 − ((lo − (x·c)/(2 − c)) − hi), times 2^k (or 2^(k+1000) · 2^−1000)
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(xc, f64x2.sub(f64x2.splat(2.0), c))), hi));
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(t));
  const low = i64x2.lt_s(k, i64x2.splat(-1021));
  const kk = v128.bitselect(i64x2.add(k, i64x2.splat(1000)), k, low);
  const twopk = i64x2.shl(i64x2.add(kk, i64x2.splat(0x3ff)), 52);
  let rk = f64x2.mul(y, twopk);
  rk = v128.bitselect(f64x2.mul(rk, f64x2.splat(TWOM1000)), rk, low);
  let r = v128.bitselect(r0, rk, f64x2.eq(t, f64x2.splat(0)));
  // |x| < 2^-28: 1 + x; x = 1 exactly: e
  r = v128.bitselect(f64x2.add(one, x), r, i64x2.lt_s(hx, i64x2.splat(0x3e300000)));
  return v128.bitselect(f64x2.splat(E), r, f64x2.eq(x, one));
}

/** expLanes, or with `f32` expF32Lanes (below). */
// @ts-ignore: decorator
@inline function expBy(x: v128, f32: bool): v128 {
  return f32 ? expF32Lanes(x) : expLanes(x);
}

/**
 * The loop of expArray and expArrayF32: two independent vectors per turn (an exp is one long
 * dependency chain, and the second overlaps it: −18% per value), a scalar last value. src may be dst.
 */
// @ts-ignore: decorator
@inline function expLoop(src: usize, dst: usize, n: i32, f32: bool): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = expBy(v128.load(src + (<usize>i << 3)), f32);
    const b = expBy(v128.load(src + (<usize>i << 3), 16), f32);
    v128.store(dst + (<usize>i << 3), a);
    v128.store(dst + (<usize>i << 3), b, 16);
  }
  for (; i + 2 <= n; i += 2) v128.store(dst + (<usize>i << 3), expBy(v128.load(src + (<usize>i << 3)), f32));
  if (i < n) store<f64>(dst + (<usize>i << 3), expScalar(load<f64>(src + (<usize>i << 3))));
}

/** dst[i] = exp(src[i]) for n values (as Math.exp, bit for bit). src may be dst. */
export function expArray(src: usize, dst: usize, n: i32): void {
  expLoop(src, dst, n, false);
}

// ---- exp for consumers that keep only float32 (svc's kernel matrices).
// A cheaper exp, checked: y = 2^k·(1 + r + r²/2! + … + r¹²/12!) with k = round(x/ln2) and
// r = (x − k·LN2HI) − k·LN2LO (|r| ≤ 0.35) is within 5e-15 of eˣ relatively (Taylor remainder ≤ 2.4e-16,
// Horner's thirteen roundings ≤ 4e-15 with the terms' sum at most twice the result, the reduction
// ~1e-16), and Math.exp (fdlibm) within one ulp. Where y·(1 − 2⁻⁴⁰) and y·(1 + 2⁻⁴⁰), an interval
// 180 times wider than both errors together, round to the same float32, Math.exp(x) rounds to it too
// (rounding is monotone), and so does y: that lane keeps y. A pair with a lane near a float32
// rounding boundary (about 1 in 10⁴), or with |x| ≥ 700, takes expLanes, Math.exp to the bit.
const INV2: f64 = 1.0 / 2.0;
const INV3: f64 = 1.0 / 6.0;
const INV4: f64 = 1.0 / 24.0;
const INV5: f64 = 1.0 / 120.0;
const INV6: f64 = 1.0 / 720.0;
const INV7: f64 = 1.0 / 5040.0;
const INV8: f64 = 1.0 / 40320.0;
const INV9: f64 = 1.0 / 362880.0;
const INV10: f64 = 1.0 / 3628800.0;
const INV11: f64 = 1.0 / 39916800.0;
const INV12: f64 = 1.0 / 479001600.0;
const BAND: f64 = 9.094947017729282379e-13; // 2⁻⁴⁰

// @ts-ignore: decorator
@inline function expF32Lanes(x: v128): v128 {
  const ax = v128.and(x, i64x2.splat(0x7fffffffffffffff));
  if (!v128.all_true<i64>(f64x2.lt(ax, f64x2.splat(700.0)))) return expLanes(x);
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INVLN2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2HI))), f64x2.mul(k, f64x2.splat(LN2LO)));
  let p = f64x2.add(f64x2.splat(INV11), f64x2.mul(r, f64x2.splat(INV12)));
  p = f64x2.add(f64x2.splat(INV10), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV9), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV8), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV7), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV6), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV5), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV4), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV3), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(INV2), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p));
  // 2^k for |k| ≤ 1010: a normal double
  const twok = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k)), i64x2.splat(1023)), 52);
  const y = f64x2.mul(p, twok);
  const lo = f32x4.demote_f64x2_zero(f64x2.mul(y, f64x2.splat(1.0 - BAND)));
  const hi = f32x4.demote_f64x2_zero(f64x2.mul(y, f64x2.splat(1.0 + BAND)));
  return v128.all_true<i32>(i32x4.eq(lo, hi)) ? y : expLanes(x);
}

/**
 * dst[i] = a value whose float32 rounding is fround(Math.exp(src[i])) (Math.exp's own value where the
 * cheap one cannot vouch for that; see above). src may be dst.
 */
export function expArrayF32(src: usize, dst: usize, n: i32): void {
  expLoop(src, dst, n, true);
}

// ---- log, operation for operation as V8's Math.log (fdlibm's __ieee754_log), scalar.
const LG1: f64 = 6.666666666666735130e-1;
const LG2: f64 = 3.999999999940941908e-1;
const LG3: f64 = 2.857142874366239149e-1;
const LG4: f64 = 2.222219843214978396e-1;
const LG5: f64 = 1.818357216161805012e-1;
const LG6: f64 = 1.531383769920937332e-1;
const LG7: f64 = 1.479819860511658591e-1;
const TWO54: f64 = 1.80143985094819840000e16;

function logScalar(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = <i32>(reinterpret<u64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64>(<u32>(hx | (i ^ 0x3ff00000))) << 32));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * LN2HI + dk * LN2LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * LN2HI - ((R - dk * LN2LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2HI - ((hfsq - (s * (hfsq + R) + dk * LN2LO)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * LN2HI - ((s * (f - R) - dk * LN2LO) - f);
}

/** dst[i] = log(src[i]) for n values (as Math.log, bit for bit). */
export function logArray(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), logScalar(load<f64>(src + (<usize>i << 3))));
}

/**
 * The softmax step of one logistic-regression block, after `logits`: for each of the nb rows, with
 * its logits z[c·ldz + r], label y[r] and weight w = sw[r]·invN (y and sw are float64 arrays of the
 * block's rows): m = max z, eᶜ = exp(zᶜ − m), s = Σ eᶜ in class order, loss term w·(m + log s − z_y)
 * added to f in row order, residual R[r·kp + c] = w·(eᶜ/s·… − [c = y]) as w·(eᶜ·(1/s) − [c = y]).
 * Two rows per lane pair; returns the new f.
 */
export function logregSoftmax(z: usize, ldz: i32, nb: i32, k: i32, y: usize, sw: usize, invN: f64, res: usize, kp: i32, f: f64): f64 {
  const rowZ = <usize>ldz << 3;
  const rowR = <usize>kp << 3;
  const nb2 = nb & ~1;
  let r = 0;
  for (; r < nb2; r += 2) {
    const ro = <usize>r << 3;
    let m = f64x2.splat(-Infinity);
    for (let c = 0; c < k; c++) m = f64x2.pmax(m, v128.load(z + <usize>c * rowZ + ro));
    const y0 = <i32>load<f64>(y + ro);
    const y1 = <i32>load<f64>(y + ro, 8);
    const zy0 = load<f64>(z + <usize>y0 * rowZ + ro);
    const zy1 = load<f64>(z + <usize>y1 * rowZ + ro, 8);
    let s = f64x2.splat(0);
    for (let c = 0; c < k; c++) {
      const p = z + <usize>c * rowZ + ro;
      const e = expLanes(f64x2.sub(v128.load(p), m));
      v128.store(p, e);
      s = f64x2.add(s, e);
    }
    const w0 = load<f64>(sw + ro) * invN;
    const w1 = load<f64>(sw + ro, 8) * invN;
    f += w0 * (f64x2.extract_lane(m, 0) + logScalar(f64x2.extract_lane(s, 0)) - zy0);
    f += w1 * (f64x2.extract_lane(m, 1) + logScalar(f64x2.extract_lane(s, 1)) - zy1);
    const inv = f64x2.div(f64x2.splat(1.0), s);
    const wv = f64x2(w0, w1);
    const r0 = res + <usize>r * rowR;
    for (let c = 0; c < k; c++) {
      const ind = f64x2(c == y0 ? 1.0 : 0.0, c == y1 ? 1.0 : 0.0);
      const v = f64x2.mul(wv, f64x2.sub(f64x2.mul(v128.load(z + <usize>c * rowZ + ro), inv), ind));
      store<f64>(r0 + (<usize>c << 3), f64x2.extract_lane(v, 0));
      store<f64>(r0 + rowR + (<usize>c << 3), f64x2.extract_lane(v, 1));
    }
  }
  if (r < nb) {
    const ro = <usize>r << 3;
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = load<f64>(z + <usize>c * rowZ + ro);
      if (v > m) m = v;
    }
    const yi = <i32>load<f64>(y + ro);
    const zy = load<f64>(z + <usize>yi * rowZ + ro);
    let s: f64 = 0;
    for (let c = 0; c < k; c++) {
      const p = z + <usize>c * rowZ + ro;
      const e = expScalar(load<f64>(p) - m);
      store<f64>(p, e);
      s += e;
    }
    const wi = load<f64>(sw + ro) * invN;
    f += wi * (m + logScalar(s) - zy);
    const inv = 1 / s;
    const r0 = res + <usize>r * rowR;
    for (let c = 0; c < k; c++) store<f64>(r0 + (<usize>c << 3), wi * (load<f64>(z + <usize>c * rowZ + ro) * inv - (c == yi ? 1.0 : 0.0)));
  }
  return f;
}

/**
 * Row softmax of class-major logits z[c·ldz + r] (r < nb) into row-major out[r·k + c], as the plain
 * loop: m = max, eᶜ = exp(zᶜ − m), s = Σ eᶜ in class order, out = eᶜ / s. Two rows per lane pair.
 */
export function softmaxRows(z: usize, ldz: i32, nb: i32, k: i32, out: usize): void {
  const rowZ = <usize>ldz << 3;
  const rowO = <usize>k << 3;
  const nb2 = nb & ~1;
  let r = 0;
  for (; r < nb2; r += 2) {
    const ro = <usize>r << 3;
    let m = f64x2.splat(-Infinity);
    for (let c = 0; c < k; c++) m = f64x2.pmax(m, v128.load(z + <usize>c * rowZ + ro));
    let s = f64x2.splat(0);
    for (let c = 0; c < k; c++) {
      const p = z + <usize>c * rowZ + ro;
      const e = expLanes(f64x2.sub(v128.load(p), m));
      v128.store(p, e);
      s = f64x2.add(s, e);
    }
    const o0 = out + <usize>r * rowO;
    for (let c = 0; c < k; c++) {
      const v = f64x2.div(v128.load(z + <usize>c * rowZ + ro), s);
      store<f64>(o0 + (<usize>c << 3), f64x2.extract_lane(v, 0));
      store<f64>(o0 + rowO + (<usize>c << 3), f64x2.extract_lane(v, 1));
    }
  }
  if (r < nb) {
    const ro = <usize>r << 3;
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = load<f64>(z + <usize>c * rowZ + ro);
      if (v > m) m = v;
    }
    let s: f64 = 0;
    for (let c = 0; c < k; c++) {
      const p = z + <usize>c * rowZ + ro;
      const e = expScalar(load<f64>(p) - m);
      store<f64>(p, e);
      s += e;
    }
    const o0 = out + <usize>r * rowO;
    for (let c = 0; c < k; c++) store<f64>(o0 + (<usize>c << 3), load<f64>(z + <usize>c * rowZ + ro) / s);
  }
}

/**
 * Standardise nb rows of d column-major features in place (feature j at x + j·ld): v ← (v − mean[j])·inv[j],
 * NaN ← 0 (the training mean). Returns 1 when some value is ±Infinity (the caller reports it), else 0.
 */
export function standardize(x: usize, ld: i32, nb: i32, d: i32, mean: usize, inv: usize): i32 {
  const zero = f64x2.splat(0);
  const inf = f64x2.splat(Infinity);
  let bad = zero;
  const nb2 = nb & ~1;
  for (let j = 0; j < d; j++) {
    const p0 = x + ((<usize>j * <usize>ld) << 3);
    const ms = load<f64>(mean + (<usize>j << 3));
    const is = load<f64>(inv + (<usize>j << 3));
    const mv = f64x2.splat(ms);
    const iv = f64x2.splat(is);
    let r = 0;
    for (; r < nb2; r += 2) {
      const p = p0 + (<usize>r << 3);
      const v = v128.load(p);
      bad = v128.or(bad, f64x2.eq(f64x2.abs(v), inf));
      v128.store(p, v128.bitselect(zero, f64x2.mul(f64x2.sub(v, mv), iv), f64x2.ne(v, v)));
    }
    if (r < nb) {
      const p = p0 + (<usize>r << 3);
      const v = load<f64>(p);
      if (v == Infinity || v == -Infinity) bad = v128.or(bad, f64x2.splat(-0.0));
      store<f64>(p, v != v ? 0 : (v - ms) * is);
    }
  }
  return v128.any_true(bad) ? 1 : 0;
}
