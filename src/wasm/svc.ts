// Kernels of the RBF support vector classifier (src/core/models/svc.ts), compiled by AssemblyScript
// to WebAssembly with 128-bit SIMD. Pointers are byte offsets into this module's memory.
//
// `smo` is solveSmo of src/core/models/optim/smo.ts with the same result for every value it uses,
// so it returns the same α, ρ and iteration count to the bit. Why two lanes change nothing:
// - the gradient update G[t] += y[t]·(ΔAi·K[i,t] + ΔAj·K[j,t]) is elementwise: each lane does one
//   t's operations in the same order (float32 kernel entries widen to float64 exactly, no fused
//   multiply-add in WebAssembly);
// - the working-set selections are argmax/argmin reductions whose scalar loops keep the LAST index
//   among equal values (`>=`/`<=` in a forward loop), i.e. the last index holding the extreme
//   value. The lanes only take the extreme (in any order: a maximum is a maximum), and the index is
//   then found as the last one holding it. The values compare with the same predicates (−0 and 0 are
//   equal to all of them), and what is used of the choice afterwards is read at the chosen index;
// - Gmax2 is a plain maximum, only used in Gmax + Gmax2 < eps, which is the same for −0 and 0.
// The comment above smo lists its further rewrites (masks, the unit diagonal) and why each is exact.

// exp is dense.ts's, bit for bit V8's Math.exp (fdlibm), two lanes at a time
import { expArray, expArrayF32 } from './dense';

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

const TAU: f64 = 1e-12;

/** Copy src[idx[t]] to dst[t] for t < l (float32), four entries per turn (0.75× the time of one). */
@inline
function gatherRow(src: usize, idx: usize, l: i32, dst: usize): void {
  const l4 = l & ~3;
  let d = dst;
  let t = 0;
  for (; t < l4; t += 4) {
    const p = idx + (<usize>t << 2);
    const a = load<f32>(src + (<usize>load<i32>(p) << 2));
    const b = load<f32>(src + (<usize>load<i32>(p, 4) << 2));
    const c = load<f32>(src + (<usize>load<i32>(p, 8) << 2));
    const e = load<f32>(src + (<usize>load<i32>(p, 12) << 2));
    store<f32>(d, a);
    store<f32>(d, b, 4);
    store<f32>(d, c, 8);
    store<f32>(d, e, 12);
    d += 16;
  }
  for (; t < l; t++) {
    store<f32>(d, load<f32>(src + (<usize>load<i32>(idx + (<usize>t << 2)) << 2)));
    d += 4;
  }
}

/**
 * Copy the sub-kernel K[idx[s], idx[t]] (s, t < l; K row-major with row length ld, float32) to dst
 * (l × l, row-major): the Platt cross-validation's problems become contiguous for `smo`.
 */
export function gather(K: usize, ld: i32, idx: usize, l: i32, dst: usize): void {
  for (let s = 0; s < l; s++) gatherRow(K + ((<usize>load<i32>(idx + (<usize>s << 2)) * <usize>ld) << 2), idx, l, dst + ((<usize>s * <usize>l) << 2));
}

/** Gmax2 of the last selectJ (a plain maximum: only its value is used). */
let lastGmax2: f64 = 0;

/** 2, TAU and 0 for selectJ (see there). */
const J_CONSTS = memory.data<f64>([2.0, TAU, 0.0]);

/**
 * Two lanes of the j selection's value gd²/quad from gd = Gmax + H[t] (NaN outside I_low), the two
 * float32 kernel entries K[i,t] in the low half of k32 and, for a general diagonal, QD[t] in qd.
 * NaN where gd ≤ 0 or gd is NaN (the lane cannot be chosen). `unit` (a constant at each call site):
 * every QD is 1, qd is not read. two, tau, zero: 2, TAU and 0 in both lanes.
 */
@inline
function jGain(unit: bool, gd: v128, k32: v128, qd: v128, vqdi: v128, two: v128, tau: v128, zero: v128): v128 {
  const k = f64x2.promote_low_f32x4(k32);
  let quad: v128;
  if (unit) {
    quad = f64x2.pmax(f64x2.sub(two, f64x2.mul(two, k)), tau);
  } else {
    quad = f64x2.sub(f64x2.add(vqdi, qd), f64x2.mul(two, k));
    quad = v128.bitselect(tau, quad, f64x2.le(quad, zero));
  }
  return v128.or(f64x2.div(f64x2.mul(gd, gd), quad), f64x2.le(gd, zero));
}

/**
 * The j selection of one solver step (Ki: row i of the kernel; Gmax, qdi: i's values): returns j
 * (−1 if none) and leaves Gmax2 in lastGmax2. Stores each vector-part element's value at S[t].
 */
@inline
function selectJ(unit: bool, Ki: usize, H: usize, QD: usize, notLow: usize, l: i32, Gmax: f64, qdi: f64, S: usize): i32 {
  const lv = l & ~7;
  const vGmax = f64x2.splat(Gmax);
  const vqdi = f64x2.splat(qdi);
  // read from memory, not written as constants: V8 rebuilds a constant vector inside the loop at
  // each turn (four instructions for 2.0), a loaded one stays in a register or a stack slot
  const two = f64x2.splat(load<f64>(J_CONSTS));
  const tau = f64x2.splat(load<f64>(J_CONSTS, 8));
  const zero = f64x2.splat(load<f64>(J_CONSTS, 16));
  // two accumulators each (vectors 0, 2 and 1, 3): with four, V8 spills them to the stack
  let g0 = f64x2.splat(-Infinity);
  let g1 = g0;
  let b0 = g0;
  let b1 = g0;
  for (let t = 0; t < lv; t += 8) {
    const o = <usize>t << 3;
    const q = <usize>t << 2;
    const h0 = v128.or(v128.load(H + o), v128.load(notLow + o));
    g0 = f64x2.pmax(g0, h0);
    const d0 = jGain(unit, f64x2.add(vGmax, h0), v128.load64_zero(Ki + q), unit ? h0 : v128.load(QD + o), vqdi, two, tau, zero);
    v128.store(S + o, d0);
    b0 = f64x2.pmax(b0, d0);
    const h1 = v128.or(v128.load(H + o, 16), v128.load(notLow + o, 16));
    g1 = f64x2.pmax(g1, h1);
    const d1 = jGain(unit, f64x2.add(vGmax, h1), v128.load64_zero(Ki + q, 8), unit ? h1 : v128.load(QD + o, 16), vqdi, two, tau, zero);
    v128.store(S + o, d1, 16);
    b1 = f64x2.pmax(b1, d1);
    const h2 = v128.or(v128.load(H + o, 32), v128.load(notLow + o, 32));
    g0 = f64x2.pmax(g0, h2);
    const d2 = jGain(unit, f64x2.add(vGmax, h2), v128.load64_zero(Ki + q, 16), unit ? h2 : v128.load(QD + o, 32), vqdi, two, tau, zero);
    v128.store(S + o, d2, 32);
    b0 = f64x2.pmax(b0, d2);
    const h3 = v128.or(v128.load(H + o, 48), v128.load(notLow + o, 48));
    g1 = f64x2.pmax(g1, h3);
    const d3 = jGain(unit, f64x2.add(vGmax, h3), v128.load64_zero(Ki + q, 24), unit ? h3 : v128.load(QD + o, 48), vqdi, two, tau, zero);
    v128.store(S + o, d3, 48);
    b1 = f64x2.pmax(b1, d3);
  }
  const g = f64x2.pmax(g0, g1);
  let Gmax2 = max(f64x2.extract_lane(g, 0), f64x2.extract_lane(g, 1));
  const b = f64x2.pmax(b0, b1);
  // the vector part's largest gd²/quad (−∞: none), i.e. the smallest −gd²/quad
  const top = max(f64x2.extract_lane(b, 0), f64x2.extract_lane(b, 1));
  let best = top > -Infinity ? -top : Infinity;
  let j = -1;
  for (let t = lv; t < l; t++) {
    const o = <usize>t << 3;
    if (load<i64>(notLow + o) != 0) continue;
    const v = load<f64>(H + o);
    if (v >= Gmax2) Gmax2 = v;
    const gd = Gmax + v;
    if (gd > 0) {
      let quad = qdi + load<f64>(QD + o) - 2 * <f64>load<f32>(Ki + (<usize>t << 2));
      if (quad <= 0) quad = TAU;
      const od = -(gd * gd) / quad;
      if (od <= best) {
        j = t;
        best = od;
      }
    }
  }
  if (j < 0 && top > -Infinity) {
    // the last vector-part element holding the largest value (there is one)
    const vt = f64x2.splat(top);
    let t = lv - 8;
    for (; ; t -= 8) {
      const o = <usize>t << 3;
      const e0 = v128.or(f64x2.eq(v128.load(S + o), vt), f64x2.eq(v128.load(S + o, 16), vt));
      const e1 = v128.or(f64x2.eq(v128.load(S + o, 32), vt), f64x2.eq(v128.load(S + o, 48), vt));
      if (v128.any_true(v128.or(e0, e1))) break;
    }
    j = t + 7;
    while (load<f64>(S + (<usize>j << 3)) != top) j--;
  }
  lastGmax2 = Gmax2;
  return j;
}

/** selectJ for a kernel whose diagonal is all 1 (the RBF kernel's exp(−γ·0)). */
function selectJUnit(Ki: usize, H: usize, QD: usize, notLow: usize, l: i32, Gmax: f64, qdi: f64, S: usize): i32 {
  return selectJ(true, Ki, H, QD, notLow, l, Gmax, qdi, S);
}

/** selectJ for any kernel. */
function selectJAny(Ki: usize, H: usize, QD: usize, notLow: usize, l: i32, Gmax: f64, qdi: f64, S: usize): i32 {
  return selectJ(false, Ki, H, QD, notLow, l, Gmax, qdi, S);
}

/** Two lanes of H + (ΔAi·K[i,t] + ΔAj·K[j,t]), the float32 kernel entries in the low halves of ki32, kj32. */
@inline
function updated(h: v128, ki32: v128, kj32: v128, vdAi: v128, vdAj: v128): v128 {
  return f64x2.add(h, f64x2.add(f64x2.mul(vdAi, f64x2.promote_low_f32x4(ki32)), f64x2.mul(vdAj, f64x2.promote_low_f32x4(kj32))));
}

/**
 * Binary C-SVM dual by SMO as solveSmo (second-order working-set selection, no shrinking) on the
 * l × l float32 kernel at K (row length ld); y: ±1 as float64; writes α to alpha, uses H, QD and S
 * (l float64 each) and notUp, notLow (l 64-bit masks each) as scratch and stores ρ and the iteration
 * count at out[0], out[1].
 *
 * Exact rewrites of solveSmo's loops, each keeping every operation's result:
 * - H[t] = y[t]·G[t] instead of G. Negation is exact and rounding is symmetric in sign, so for
 *   y = ±1, y·(G + y·X) = y·G + X to the bit: the update is H += X with X = ΔAi·K[i,t] + ΔAj·K[j,t],
 *   the i-selection value (−G for y = +1, G for y = −1) is −H, the j-selection value is H, and ρ's
 *   y·G is H. G[i] and G[j], needed for the step, are y·H.
 * - The index sets I_up (y = +1 and α < C, or y = −1 and α > 0) and I_low (the converse) are kept
 *   beside α as masks, all ones for an index OUTSIDE the set: only α[i] and α[j] change in a step,
 *   so only their masks are recomputed, with the same predicates. Or-ed into a float64, all ones
 *   make a NaN. A NaN fails every ordered comparison, as an index outside the set fails solveSmo's
 *   membership test, and WebAssembly's pmax(a, b) = (a < b ? b : a) and pmin(a, b) = (b < a ? b : a)
 *   keep the accumulator a when b is NaN. (An H that is itself NaN is never chosen by solveSmo either.)
 * - Each selection is a maximum whose scalar loop keeps the LAST index among equal values (`>=` or
 *   `<=` in a forward loop), which is the last index holding the maximal value. The vector loops only
 *   take the maximum (pmax/pmin per lane, then the lanes); the tail (t ≥ l rounded down to 8) follows
 *   in solveSmo's scalar form from that maximum, and if it does not take over, the index is the last
 *   vector-part index whose value equals the maximum, found walking back from the end. −0 and 0 are
 *   equal to every predicate used (>=, <=, ==), so the index is solveSmo's whichever zero the maximum
 *   holds, and what is used of the choice afterwards is read at the index (Gmax = −H[i]).
 * - i: the largest −H over I_up is the smallest H over I_up (negation is exact), a pmin of H with
 *   NaN outside I_up, fused into the update of H.
 * - j: solveSmo takes the smallest −gd²/quad over t in I_low with gd = Gmax + H[t] > 0. Its negation
 *   gd²/quad is bit for bit the negated value (fl(−x/q) = −fl(x/q)), so j is the last index of the
 *   LARGEST gd²/quad. gd is NaN outside I_low (NaN propagates through +, ×, ÷) and all ones is or-ed
 *   where gd ≤ 0, so only solveSmo's candidates are not NaN; their values go to S for the walk back.
 *   Gmax2, a plain maximum of H over I_low only used in Gmax + Gmax2 < eps (the same for −0 and 0),
 *   is a pmax of the same masked H.
 * - quad = QD[i] + QD[t] − 2K[i,t], TAU where ≤ 0. When every QD is exactly 1 (checked at entry; the
 *   RBF kernel's diagonal is exp(−γ·0) = 1) selectJUnit uses the constant 1 + 1 = 2 instead of loading
 *   QD. Then quad = 2 − 2K[i,t] with K[i,t] a float32: either K[i,t] ≥ 1 and quad ≤ 0, or
 *   K[i,t] ≤ 1 − 2⁻²⁴ and quad ≥ 2⁻²³ > TAU, so "TAU where ≤ 0" is pmax(quad, TAU) (which also keeps a
 *   NaN quad, as the original). Any other diagonal uses selectJAny, solveSmo's expression.
 * Measured on seven problems of mm compare (l = 359 to 2,615), solver time against the form kept:
 * index vectors beside the extremes instead of the walks 1.06× (each pass), those index vectors
 * chosen by bitselect rather than max(index, index & take) 1.07× more, i32 masks widened on load
 * 1.05×, 4 rows per turn 1.03×, walks by 4 rows 1.03×, walks limited to the chunk of 64–256 rows
 * holding the extreme 1.00–1.21×, a filter skipping the division where no lane can reach its maximum
 * 1.29×, the masked H stored for the i walk 1.01×, the vectors interleaved in 64-byte blocks (one
 * pointer for H, masks and S) 1.03×, a Platt fold's rows gathered on first use instead of all before
 * the solve 1.015× (with the gather), the widened row i kept for the update 0.99×, 2K as K + K 0.99×
 * and gd ≤ 0 as an integer compare 1.01× (noise: not kept).
 */
export function smo(K: usize, ld: i32, l: i32, y: usize, cPos: f64, cNeg: f64, eps: f64, maxIter: f64, alpha: usize, H: usize, QD: usize, out: usize, notUp: usize, notLow: usize, S: usize): void {
  const rowBytes = <usize>ld << 2;
  let unit = true;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const yt = load<f64>(y + o);
    store<f64>(alpha + o, 0.0);
    store<f64>(H + o, yt * -1.0);
    const qd = <f64>load<f32>(K + <usize>t * rowBytes + (<usize>t << 2));
    store<f64>(QD + o, qd);
    if (qd != 1.0) unit = false;
    store<i64>(notUp + o, (yt > 0 ? 0.0 < cPos : false) ? 0 : -1);
    store<i64>(notLow + o, (yt > 0 ? false : 0.0 < cNeg) ? 0 : -1);
  }
  let iter: f64 = 0;
  // first i: maximal −H over I_up (the last one on ties)
  let Gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const v = -load<f64>(H + o);
    if (load<i64>(notUp + o) == 0 && v >= Gmax) {
      Gmax = v;
      i = t;
    }
  }
  const lv = l & ~7;
  while (iter < maxIter) {
    if (i < 0) break;
    const yi = load<f64>(y + (<usize>i << 3));
    const Ki = K + <usize>i * rowBytes;
    const qdi = load<f64>(QD + (<usize>i << 3));
    // j: the largest guaranteed decrease of the objective among I_low (second-order information)
    const j = unit ? selectJUnit(Ki, H, QD, notLow, l, Gmax, qdi, S) : selectJAny(Ki, H, QD, notLow, l, Gmax, qdi, S);
    if (Gmax + lastGmax2 < eps || j < 0) break;
    iter++;
    const yj = load<f64>(y + (<usize>j << 3));
    const Kj = K + <usize>j * rowBytes;
    const Qij = yi * yj * <f64>load<f32>(Ki + (<usize>j << 2));
    const Ci = yi > 0 ? cPos : cNeg;
    const Cj = yj > 0 ? cPos : cNeg;
    const oldAi = load<f64>(alpha + (<usize>i << 3));
    const oldAj = load<f64>(alpha + (<usize>j << 3));
    const Gi = yi * load<f64>(H + (<usize>i << 3));
    const Gj = yj * load<f64>(H + (<usize>j << 3));
    let ai = oldAi;
    let aj = oldAj;
    const qdj = load<f64>(QD + (<usize>j << 3));
    if (yi != yj) {
      let quad = qdi + qdj + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-Gi - Gj) / quad;
      const diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0) {
        if (aj < 0) {
          aj = 0;
          ai = diff;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = -diff;
      }
      if (diff > Ci - Cj) {
        if (ai > Ci) {
          ai = Ci;
          aj = Ci - diff;
        }
      } else if (aj > Cj) {
        aj = Cj;
        ai = Cj + diff;
      }
    } else {
      let quad = qdi + qdj - 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (Gi - Gj) / quad;
      const sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > Ci) {
        if (ai > Ci) {
          ai = Ci;
          aj = sum - Ci;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > Cj) {
        if (aj > Cj) {
          aj = Cj;
          ai = sum - Cj;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
    }
    store<f64>(alpha + (<usize>i << 3), ai);
    store<f64>(alpha + (<usize>j << 3), aj);
    store<i64>(notUp + (<usize>i << 3), (yi > 0 ? ai < cPos : ai > 0) ? 0 : -1);
    store<i64>(notLow + (<usize>i << 3), (yi > 0 ? ai > 0 : ai < cNeg) ? 0 : -1);
    store<i64>(notUp + (<usize>j << 3), (yj > 0 ? aj < cPos : aj > 0) ? 0 : -1);
    store<i64>(notLow + (<usize>j << 3), (yj > 0 ? aj > 0 : aj < cNeg) ? 0 : -1);
    const dAi = (ai - oldAi) * yi;
    const dAj = (aj - oldAj) * yj;
    // H += X fused with the next i selection (the smallest H over I_up)
    const vdAi = f64x2.splat(dAi);
    const vdAj = f64x2.splat(dAj);
    let m0 = f64x2.splat(Infinity);
    let m1 = m0;
    for (let t = 0; t < lv; t += 8) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const h0 = updated(v128.load(H + o), v128.load64_zero(Ki + q), v128.load64_zero(Kj + q), vdAi, vdAj);
      v128.store(H + o, h0);
      m0 = f64x2.pmin(m0, v128.or(h0, v128.load(notUp + o)));
      const h1 = updated(v128.load(H + o, 16), v128.load64_zero(Ki + q, 8), v128.load64_zero(Kj + q, 8), vdAi, vdAj);
      v128.store(H + o, h1, 16);
      m1 = f64x2.pmin(m1, v128.or(h1, v128.load(notUp + o, 16)));
      const h2 = updated(v128.load(H + o, 32), v128.load64_zero(Ki + q, 16), v128.load64_zero(Kj + q, 16), vdAi, vdAj);
      v128.store(H + o, h2, 32);
      m0 = f64x2.pmin(m0, v128.or(h2, v128.load(notUp + o, 32)));
      const h3 = updated(v128.load(H + o, 48), v128.load64_zero(Ki + q, 24), v128.load64_zero(Kj + q, 24), vdAi, vdAj);
      v128.store(H + o, h3, 48);
      m1 = f64x2.pmin(m1, v128.or(h3, v128.load(notUp + o, 48)));
    }
    const m = f64x2.pmin(m0, m1);
    // the vector part's smallest H over I_up (∞ also when there is none)
    const low = min(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
    let hmin = low;
    i = -1;
    for (let t = lv; t < l; t++) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const h = load<f64>(H + o) + (dAi * <f64>load<f32>(Ki + q) + dAj * <f64>load<f32>(Kj + q));
      store<f64>(H + o, h);
      if (load<i64>(notUp + o) == 0 && h <= hmin) {
        hmin = h;
        i = t;
      }
    }
    if (i < 0) {
      // the last vector-part index in I_up holding the smallest H, if any (an H of ∞ in I_up counts)
      const vl = f64x2.splat(low);
      let t = lv - 8;
      for (; t >= 0; t -= 8) {
        const o = <usize>t << 3;
        const e0 = v128.or(f64x2.eq(v128.or(v128.load(H + o), v128.load(notUp + o)), vl), f64x2.eq(v128.or(v128.load(H + o, 16), v128.load(notUp + o, 16)), vl));
        const e1 = v128.or(f64x2.eq(v128.or(v128.load(H + o, 32), v128.load(notUp + o, 32)), vl), f64x2.eq(v128.or(v128.load(H + o, 48), v128.load(notUp + o, 48)), vl));
        if (v128.any_true(v128.or(e0, e1))) break;
      }
      if (t >= 0) {
        i = t + 7;
        while (load<i64>(notUp + (<usize>i << 3)) != 0 || load<f64>(H + (<usize>i << 3)) != low) i--;
      }
    }
    Gmax = i < 0 ? -Infinity : -load<f64>(H + (<usize>i << 3));
  }
  // ρ: mean of y·G (= H) over free variables, else the middle of the feasible interval
  let ub = Infinity;
  let lb = -Infinity;
  let nFree = 0;
  let sumFree: f64 = 0;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const yt = load<f64>(y + o);
    const yG = load<f64>(H + o);
    const a = load<f64>(alpha + o);
    if (a >= (yt > 0 ? cPos : cNeg)) {
      if (yt < 0) ub = min(ub, yG);
      else lb = max(lb, yG);
    } else if (a <= 0) {
      if (yt > 0) ub = min(ub, yG);
      else lb = max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  store<f64>(out, nFree > 0 ? sumFree / <f64>nFree : (ub + lb) / 2);
  store<f64>(out, iter, 8);
}

/**
 * RBF kernel values of point p (d float64) against rows t0 ≤ t < t1 of the column-major matrix xT
 * (feature j of row t at xT[j·ld + t]): dst[t − t0] = exp(ng · Σⱼ (p[j] − xT[j·ld + t])²), the sum in
 * feature order for each row (two rows per vector: the lanes never mix), exp as Math.exp. With `f32`
 * the caller keeps float32 only, and gets dense.ts's expArrayF32: values with Math.exp's float32
 * rounding, not always its float64 bits.
 */
function rbfRow(p: usize, xT: usize, ld: i32, t0: i32, t1: i32, d: i32, ng: f64, dst: usize, f32: bool): void {
  const vng = f64x2.splat(ng);
  const ldb = <usize>ld << 3;
  let t = t0;
  // four rows per turn in two accumulators: each sum is a chain of d dependent adds, and two chains overlap
  for (; t + 4 <= t1; t += 4) {
    let acc = f64x2.splat(0);
    let acc2 = f64x2.splat(0);
    let col = xT + (<usize>t << 3);
    for (let j = 0; j < d; j++) {
      const pj = f64x2.splat(load<f64>(p + (<usize>j << 3)));
      const diff = f64x2.sub(pj, v128.load(col));
      const diff2 = f64x2.sub(pj, v128.load(col, 16));
      acc = f64x2.add(acc, f64x2.mul(diff, diff));
      acc2 = f64x2.add(acc2, f64x2.mul(diff2, diff2));
      col += ldb;
    }
    v128.store(dst + (<usize>(t - t0) << 3), f64x2.mul(vng, acc));
    v128.store(dst + (<usize>(t - t0) << 3), f64x2.mul(vng, acc2), 16);
  }
  for (; t + 2 <= t1; t += 2) {
    let acc = f64x2.splat(0);
    let col = xT + (<usize>t << 3);
    for (let j = 0; j < d; j++) {
      const diff = f64x2.sub(f64x2.splat(load<f64>(p + (<usize>j << 3))), v128.load(col));
      acc = f64x2.add(acc, f64x2.mul(diff, diff));
      col += ldb;
    }
    v128.store(dst + (<usize>(t - t0) << 3), f64x2.mul(vng, acc));
  }
  for (; t < t1; t++) {
    let acc: f64 = 0;
    for (let j = 0; j < d; j++) {
      const diff = load<f64>(p + (<usize>j << 3)) - load<f64>(xT + ((<usize>j * ldb) + (<usize>t << 3)));
      acc += diff * diff;
    }
    store<f64>(dst + (<usize>(t - t0) << 3), ng * acc);
  }
  if (f32) expArrayF32(dst, dst, t1 - t0);
  else expArray(dst, dst, t1 - t0);
}

/**
 * The float32 RBF kernel matrix of m points (column-major xT, m × d): K[s][s] = 1, K[s][t] = K[t][s]
 * = fround(exp(ng · ‖x_s − x_t‖²)) as svc.ts's kernelMatrix; buf holds m float64, prow d.
 */
export function kernelMatrix(xT: usize, m: i32, d: i32, ng: f64, K: usize, buf: usize, prow: usize): void {
  const rowBytes = <usize>m << 2;
  for (let s = 0; s < m; s++) {
    for (let j = 0; j < d; j++) store<f64>(prow + (<usize>j << 3), load<f64>(xT + ((<usize>j * <usize>m + <usize>s) << 3)));
    rbfRow(prow, xT, m, s + 1, m, d, ng, buf, true);
    const rs = K + <usize>s * rowBytes;
    store<f32>(rs + (<usize>s << 2), 1.0);
    for (let t = s + 1; t < m; t++) {
      const v = <f32>load<f64>(buf + (<usize>(t - s - 1) << 3));
      store<f32>(rs + (<usize>t << 2), v);
      store<f32>(K + <usize>t * rowBytes + (<usize>s << 2), v);
    }
  }
}

/**
 * Kernel rows of nb queries (row-major q, nb × d) against ns support vectors (column-major svT,
 * ns × d): kv[i·ns + s] = exp(ng · Σⱼ (q[i][j] − sv[s][j])²), as SvcModel.predictProba's loop.
 */
export function kernelRows(q: usize, nb: i32, svT: usize, ns: i32, d: i32, ng: f64, kv: usize): void {
  for (let i = 0; i < nb; i++) rbfRow(q + ((<usize>i * <usize>d) << 3), svT, ns, 0, ns, d, ng, kv + ((<usize>i * <usize>ns) << 3), false);
}

/**
 * Decision values out[r] = −rho + Σₛ coef[s]·M[rows[r]·ld + cols[s]] (s in order) for nr rows of a
 * row-major matrix M of element type T (float32 kernel matrix or float64 kernel rows), as the plain
 * loops of svc.ts (Platt cross-validation) and SvcModel.predictProba: two rows per f64x2, each lane
 * adding the same terms in the same order (T widens to float64 exactly; no fused multiply-add).
 */
function decisions<T>(M: usize, ld: i32, rows: usize, nr: i32, cols: usize, coef: usize, nc: i32, rho: f64, out: usize): void {
  const sz = <usize>sizeof<T>();
  let r = 0;
  for (; r + 2 <= nr; r += 2) {
    const r0 = M + <usize>load<i32>(rows + (<usize>r << 2)) * <usize>ld * sz;
    const r1 = M + <usize>load<i32>(rows + (<usize>(r + 1) << 2)) * <usize>ld * sz;
    let acc = f64x2.splat(-rho);
    for (let s = 0; s < nc; s++) {
      const c = <usize>load<i32>(cols + (<usize>s << 2)) * sz;
      const k = f64x2.replace_lane(f64x2.splat(<f64>load<T>(r0 + c)), 1, <f64>load<T>(r1 + c));
      acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(coef + (<usize>s << 3))), k));
    }
    v128.store(out + (<usize>r << 3), acc);
  }
  for (; r < nr; r++) {
    const r0 = M + <usize>load<i32>(rows + (<usize>r << 2)) * <usize>ld * sz;
    let f = -rho;
    for (let s = 0; s < nc; s++) f += load<f64>(coef + (<usize>s << 3)) * <f64>load<T>(r0 + <usize>load<i32>(cols + (<usize>s << 2)) * sz);
    store<f64>(out + (<usize>r << 3), f);
  }
}

/** decisions over the float32 kernel matrix (the Platt cross-validation's held-out rows). */
export function decisionsF32(M: usize, ld: i32, rows: usize, nr: i32, cols: usize, coef: usize, nc: i32, rho: f64, out: usize): void {
  decisions<f32>(M, ld, rows, nr, cols, coef, nc, rho, out);
}

/** decisions over float64 kernel rows (a block of queries against the support vectors). */
export function decisionsF64(M: usize, ld: i32, rows: usize, nr: i32, cols: usize, coef: usize, nc: i32, rho: f64, out: usize): void {
  decisions<f64>(M, ld, rows, nr, cols, coef, nc, rho, out);
}

/**
 * The float32 RBF kernel block of na rows (row-major xa, na × d) against nb rows (column-major xbT,
 * nb × d): dst[s·nb + t] = fround(exp(ng · Σⱼ (xa[s][j] − xb[t][j])²)). A squared difference is the
 * same whichever row comes first, so each entry equals kernelMatrix's for the same two rows.
 */
export function crossBlock(xa: usize, na: i32, xbT: usize, nb: i32, d: i32, ng: f64, dst: usize, buf: usize): void {
  for (let s = 0; s < na; s++) {
    rbfRow(xa + ((<usize>s * <usize>d) << 3), xbT, nb, 0, nb, d, ng, buf, true);
    const row = dst + ((<usize>s * <usize>nb) << 2);
    for (let t = 0; t < nb; t++) store<f32>(row + (<usize>t << 2), <f32>load<f64>(buf + (<usize>t << 3)));
  }
}

/**
 * A class pair's m × m kernel matrix K (members in row order) from blocks: src[t] locates member t
 * in a row laid out as [class a's part | class b's part] (its position in class a, or na + its
 * position in class b); side[s], pos[s] say which class member s is in and where. Da (na × na) and
 * Db (nb × nb) are the classes' own blocks, X (na × nb) their cross block, XT (nb × na) scratch for
 * its transpose, tmp (na + nb float32) scratch: row s of K gathers from [Da row | X row] for a member
 * of class a and [Xᵀ row | Db row] for one of class b, without a branch per entry.
 */
export function assemble(K: usize, m: i32, side: usize, pos: usize, src: usize, Da: usize, na: i32, Db: usize, nb: i32, X: usize, XT: usize, tmp: usize): void {
  for (let s = 0; s < na; s++) for (let t = 0; t < nb; t++) store<f32>(XT + ((<usize>t * <usize>na + <usize>s) << 2), load<f32>(X + ((<usize>s * <usize>nb + <usize>t) << 2)));
  const aBytes = <usize>na << 2;
  const bBytes = <usize>nb << 2;
  for (let s = 0; s < m; s++) {
    const ps = <usize>load<i32>(pos + (<usize>s << 2));
    if (load<i32>(side + (<usize>s << 2)) == 0) {
      memory.copy(tmp, Da + ps * aBytes, aBytes);
      memory.copy(tmp + aBytes, X + ps * bBytes, bBytes);
    } else {
      memory.copy(tmp, XT + ps * aBytes, aBytes);
      memory.copy(tmp + aBytes, Db + ps * bBytes, bBytes);
    }
    gatherRow(tmp, src, m, K + ((<usize>s * <usize>m) << 2));
  }
}
