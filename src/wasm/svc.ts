// Kernels of the RBF support vector classifier (src/core/models/svc.ts), compiled by AssemblyScript
// to WebAssembly with 128-bit SIMD. Pointers are byte offsets into this module's memory.
//
// `smo` is solveSmo of src/core/models/optim/smo.ts operation for operation, so it returns the same
// α, ρ and iteration count to the bit. Why two lanes change nothing:
// - the gradient update G[t] += y[t]·(ΔAi·K[i,t] + ΔAj·K[j,t]) is elementwise: each lane does one
//   t's operations in the same order (float32 kernel entries widen to float64 exactly, no fused
//   multiply-add in WebAssembly);
// - the working-set selections are argmax/argmin reductions whose scalar loops keep the LAST index
//   among equal values (`>=`/`<=` in a forward loop). Each lane keeps the last index of its own
//   extreme; the lanes are then combined by "better value, then larger index", which is the last
//   index of the overall extreme whatever the visiting order. The values compare with the same
//   predicates (−0 and 0 are equal to both), and the chosen value is the one at the chosen index;
// - Gmax2 is a plain maximum, only used in Gmax + Gmax2 < eps, which is the same for −0 and 0.

// exp is dense.ts's, bit for bit V8's Math.exp (fdlibm), two lanes at a time
import { expArray } from './dense';

/** First byte the host may use (everything below belongs to the module). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

const TAU: f64 = 1e-12;

/**
 * Copy the sub-kernel K[idx[s], idx[t]] (s, t < l; K row-major with row length ld, float32) to dst
 * (l × l, row-major): the Platt cross-validation's problems become contiguous for `smo`.
 */
export function gather(K: usize, ld: i32, idx: usize, l: i32, dst: usize): void {
  let d = dst;
  for (let s = 0; s < l; s++) {
    const row = K + ((<usize>load<i32>(idx + (<usize>s << 2)) * <usize>ld) << 2);
    for (let t = 0; t < l; t++) {
      store<f32>(d, load<f32>(row + (<usize>load<i32>(idx + (<usize>t << 2)) << 2)));
      d += 4;
    }
  }
}

/**
 * Binary C-SVM dual by SMO as solveSmo (second-order working-set selection, no shrinking) on the
 * l × l float32 kernel at K (row length ld); y: ±1 as float64; writes α to alpha, uses H and QD
 * (l float64 each) and up, low (l 64-bit masks each) as scratch and stores ρ and the iteration count
 * at out[0], out[1].
 *
 * Two exact rewrites of solveSmo's loops keep every operation's result:
 * - H[t] = y[t]·G[t] instead of G. Negation is exact and rounding is symmetric in sign, so for
 *   y = ±1, y·(G + y·X) = y·G + X to the bit: the update is H += X with X = ΔAi·K[i,t] + ΔAj·K[j,t],
 *   the i-selection value (−G for y = +1, G for y = −1) is −H, the j-selection value is H, and ρ's
 *   y·G is H. G[i] and G[j], needed for the step, are y·H.
 * - The index sets I_up (y = +1 and α < C, or y = −1 and α > 0) and I_low (the converse) are masks
 *   kept beside α: only α[i] and α[j] change in a step, so only their two masks are recomputed,
 *   with the same predicates.
 * Four rows per loop turn in two f64x2 accumulators; each keeps the last index of its own extreme
 * and they are combined by "better value, then larger index" (see the top of this file).
 */
export function smo(K: usize, ld: i32, l: i32, y: usize, cPos: f64, cNeg: f64, eps: f64, maxIter: f64, alpha: usize, H: usize, QD: usize, out: usize, up: usize, low: usize): void {
  const rowBytes = <usize>ld << 2;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const yt = load<f64>(y + o);
    store<f64>(alpha + o, 0.0);
    store<f64>(H + o, yt * -1.0);
    store<f64>(QD + o, <f64>load<f32>(K + <usize>t * rowBytes + (<usize>t << 2)));
    store<i64>(up + o, (yt > 0 ? 0.0 < cPos : false) ? -1 : 0);
    store<i64>(low + o, (yt > 0 ? false : 0.0 < cNeg) ? -1 : 0);
  }
  let iter: f64 = 0;
  // first i: maximal −H over I_up (the last one on ties)
  let Gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const v = -load<f64>(H + o);
    if (load<i64>(up + o) != 0 && v >= Gmax) {
      Gmax = v;
      i = t;
    }
  }
  const zero = f64x2.splat(0);
  const two = f64x2.splat(2.0);
  const tau = f64x2.splat(TAU);
  const step = f64x2.splat(4.0);
  const l4 = l & ~3;
  while (iter < maxIter) {
    if (i < 0) break;
    const yi = load<f64>(y + (<usize>i << 3));
    const Ki = K + <usize>i * rowBytes;
    const qdi = load<f64>(QD + (<usize>i << 3));
    // j: the largest guaranteed decrease of the objective among I_low (second-order information)
    let g2a = f64x2.splat(-Infinity);
    let g2b = f64x2.splat(-Infinity);
    let ba = f64x2.splat(Infinity);
    let bb = f64x2.splat(Infinity);
    let ja = f64x2.splat(-1.0);
    let jb = f64x2.splat(-1.0);
    let ta = f64x2(0.0, 1.0);
    let tb = f64x2(2.0, 3.0);
    const vGmax = f64x2.splat(Gmax);
    const vqdi = f64x2.splat(qdi);
    for (let t = 0; t < l4; t += 4) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const ca = v128.load(low + o);
      const cb = v128.load(low + o, 16);
      const va = v128.load(H + o);
      const vb = v128.load(H + o, 16);
      g2a = v128.bitselect(va, g2a, v128.and(ca, f64x2.ge(va, g2a)));
      g2b = v128.bitselect(vb, g2b, v128.and(cb, f64x2.ge(vb, g2b)));
      const gda = f64x2.add(vGmax, va);
      const gdb = f64x2.add(vGmax, vb);
      const kA = f64x2.promote_low_f32x4(v128.load64_zero(Ki + q));
      const kB = f64x2.promote_low_f32x4(v128.load64_zero(Ki + q + 8));
      let qa = f64x2.sub(f64x2.add(vqdi, v128.load(QD + o)), f64x2.mul(two, kA));
      let qb = f64x2.sub(f64x2.add(vqdi, v128.load(QD + o, 16)), f64x2.mul(two, kB));
      qa = v128.bitselect(tau, qa, f64x2.le(qa, zero));
      qb = v128.bitselect(tau, qb, f64x2.le(qb, zero));
      const oa = f64x2.div(f64x2.neg(f64x2.mul(gda, gda)), qa);
      const ob = f64x2.div(f64x2.neg(f64x2.mul(gdb, gdb)), qb);
      const takeA = v128.and(v128.and(ca, f64x2.gt(gda, zero)), f64x2.le(oa, ba));
      const takeB = v128.and(v128.and(cb, f64x2.gt(gdb, zero)), f64x2.le(ob, bb));
      ba = v128.bitselect(oa, ba, takeA);
      bb = v128.bitselect(ob, bb, takeB);
      ja = v128.bitselect(ta, ja, takeA);
      jb = v128.bitselect(tb, jb, takeB);
      ta = f64x2.add(ta, step);
      tb = f64x2.add(tb, step);
    }
    let Gmax2 = -Infinity;
    let best = Infinity;
    let j = -1;
    for (let lane = 0; lane < 4; lane++) {
      const acc = lane < 2 ? g2a : g2b;
      const bv = lane < 2 ? ba : bb;
      const jv = lane < 2 ? ja : jb;
      const g = (lane & 1) == 0 ? f64x2.extract_lane(acc, 0) : f64x2.extract_lane(acc, 1);
      const b = (lane & 1) == 0 ? f64x2.extract_lane(bv, 0) : f64x2.extract_lane(bv, 1);
      const jj = <i32>((lane & 1) == 0 ? f64x2.extract_lane(jv, 0) : f64x2.extract_lane(jv, 1));
      if (g >= Gmax2) Gmax2 = g;
      if (jj >= 0 && (j < 0 || b < best || (b == best && jj > j))) {
        best = b;
        j = jj;
      }
    }
    for (let t = l4; t < l; t++) {
      const o = <usize>t << 3;
      if (load<i64>(low + o) == 0) continue;
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
    if (Gmax + Gmax2 < eps || j < 0) break;
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
    store<i64>(up + (<usize>i << 3), (yi > 0 ? ai < cPos : ai > 0) ? -1 : 0);
    store<i64>(low + (<usize>i << 3), (yi > 0 ? ai > 0 : ai < cNeg) ? -1 : 0);
    store<i64>(up + (<usize>j << 3), (yj > 0 ? aj < cPos : aj > 0) ? -1 : 0);
    store<i64>(low + (<usize>j << 3), (yj > 0 ? aj > 0 : aj < cNeg) ? -1 : 0);
    const dAi = (ai - oldAi) * yi;
    const dAj = (aj - oldAj) * yj;
    // H += X fused with the next i selection (maximal −H over I_up, as in solveSmo)
    const vdAi = f64x2.splat(dAi);
    const vdAj = f64x2.splat(dAj);
    let ma = f64x2.splat(-Infinity);
    let mb = f64x2.splat(-Infinity);
    let ia = f64x2.splat(-1.0);
    let ib = f64x2.splat(-1.0);
    ta = f64x2(0.0, 1.0);
    tb = f64x2(2.0, 3.0);
    for (let t = 0; t < l4; t += 4) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const kiA = f64x2.promote_low_f32x4(v128.load64_zero(Ki + q));
      const kiB = f64x2.promote_low_f32x4(v128.load64_zero(Ki + q + 8));
      const kjA = f64x2.promote_low_f32x4(v128.load64_zero(Kj + q));
      const kjB = f64x2.promote_low_f32x4(v128.load64_zero(Kj + q + 8));
      const ha = f64x2.add(v128.load(H + o), f64x2.add(f64x2.mul(vdAi, kiA), f64x2.mul(vdAj, kjA)));
      const hb = f64x2.add(v128.load(H + o, 16), f64x2.add(f64x2.mul(vdAi, kiB), f64x2.mul(vdAj, kjB)));
      v128.store(H + o, ha);
      v128.store(H + o, hb, 16);
      const va = f64x2.neg(ha);
      const vb = f64x2.neg(hb);
      const takeA = v128.and(v128.load(up + o), f64x2.ge(va, ma));
      const takeB = v128.and(v128.load(up + o, 16), f64x2.ge(vb, mb));
      ma = v128.bitselect(va, ma, takeA);
      mb = v128.bitselect(vb, mb, takeB);
      ia = v128.bitselect(ta, ia, takeA);
      ib = v128.bitselect(tb, ib, takeB);
      ta = f64x2.add(ta, step);
      tb = f64x2.add(tb, step);
    }
    Gmax = -Infinity;
    i = -1;
    for (let lane = 0; lane < 4; lane++) {
      const mv = lane < 2 ? ma : mb;
      const iv = lane < 2 ? ia : ib;
      const g = (lane & 1) == 0 ? f64x2.extract_lane(mv, 0) : f64x2.extract_lane(mv, 1);
      const ii = <i32>((lane & 1) == 0 ? f64x2.extract_lane(iv, 0) : f64x2.extract_lane(iv, 1));
      if (ii >= 0 && (i < 0 || g > Gmax || (g == Gmax && ii > i))) {
        Gmax = g;
        i = ii;
      }
    }
    for (let t = l4; t < l; t++) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const h = load<f64>(H + o) + (dAi * <f64>load<f32>(Ki + q) + dAj * <f64>load<f32>(Kj + q));
      store<f64>(H + o, h);
      if (load<i64>(up + o) != 0 && -h >= Gmax) {
        Gmax = -h;
        i = t;
      }
    }
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
 * feature order for each row (two rows per vector: the lanes never mix), exp as Math.exp.
 */
function rbfRow(p: usize, xT: usize, ld: i32, t0: i32, t1: i32, d: i32, ng: f64, dst: usize): void {
  const vng = f64x2.splat(ng);
  const ldb = <usize>ld << 3;
  let t = t0;
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
  expArray(dst, dst, t1 - t0);
}

/**
 * The float32 RBF kernel matrix of m points (column-major xT, m × d): K[s][s] = 1, K[s][t] = K[t][s]
 * = fround(exp(ng · ‖x_s − x_t‖²)) as svc.ts's kernelMatrix; buf holds m float64, prow d.
 */
export function kernelMatrix(xT: usize, m: i32, d: i32, ng: f64, K: usize, buf: usize, prow: usize): void {
  const rowBytes = <usize>m << 2;
  for (let s = 0; s < m; s++) {
    for (let j = 0; j < d; j++) store<f64>(prow + (<usize>j << 3), load<f64>(xT + ((<usize>j * <usize>m + <usize>s) << 3)));
    rbfRow(prow, xT, m, s + 1, m, d, ng, buf);
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
  for (let i = 0; i < nb; i++) rbfRow(q + ((<usize>i * <usize>d) << 3), svT, ns, 0, ns, d, ng, kv + ((<usize>i * <usize>ns) << 3));
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
    rbfRow(xa + ((<usize>s * <usize>d) << 3), xbT, nb, 0, nb, d, ng, buf);
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
    const row = K + ((<usize>s * <usize>m) << 2);
    for (let t = 0; t < m; t++) store<f32>(row + (<usize>t << 2), load<f32>(tmp + (<usize>load<i32>(src + (<usize>t << 2)) << 2)));
  }
}
