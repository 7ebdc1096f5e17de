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
 * l × l float32 kernel at K (row length ld); y: ±1 as float64; writes α to alpha, uses G and QD
 * (l float64 each) as scratch and stores ρ and the iteration count at out[0], out[1].
 */
export function smo(K: usize, ld: i32, l: i32, y: usize, cPos: f64, cNeg: f64, eps: f64, maxIter: f64, alpha: usize, G: usize, QD: usize, out: usize): void {
  const rowBytes = <usize>ld << 2;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    store<f64>(alpha + o, 0.0);
    store<f64>(G + o, -1.0);
    store<f64>(QD + o, <f64>load<f32>(K + <usize>t * rowBytes + (<usize>t << 2)));
  }
  let iter: f64 = 0;
  // first i: maximal violating index in I_up (the last one on ties)
  let Gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const a = load<f64>(alpha + o);
    const g = load<f64>(G + o);
    if (load<f64>(y + o) > 0) {
      if (a < cPos && -g >= Gmax) {
        Gmax = -g;
        i = t;
      }
    } else if (a > 0 && g >= Gmax) {
      Gmax = g;
      i = t;
    }
  }
  const zero = f64x2.splat(0);
  const two = f64x2.splat(2.0);
  const tau = f64x2.splat(TAU);
  const vCpos = f64x2.splat(cPos);
  const vCneg = f64x2.splat(cNeg);
  const step = f64x2.splat(2.0);
  const l2 = l & ~1;
  while (iter < maxIter) {
    if (i < 0) break;
    const yi = load<f64>(y + (<usize>i << 3));
    const Ki = K + <usize>i * rowBytes;
    const qdi = load<f64>(QD + (<usize>i << 3));
    // j: the largest guaranteed decrease of the objective among I_low (second-order information)
    let vG2 = f64x2.splat(-Infinity);
    let vBest = f64x2.splat(Infinity);
    let vJ = f64x2.splat(-1.0);
    let vt = f64x2(0.0, 1.0);
    const vGmax = f64x2.splat(Gmax);
    const vqdi = f64x2.splat(qdi);
    for (let t = 0; t < l2; t += 2) {
      const o = <usize>t << 3;
      const a = v128.load(alpha + o);
      const yt = v128.load(y + o);
      const gt = v128.load(G + o);
      const pos = f64x2.gt(yt, zero);
      const cand = v128.bitselect(f64x2.gt(a, zero), f64x2.lt(a, vCneg), pos);
      // y·G: G for y = +1, −G for y = −1 (exact); Gmax − G = Gmax + (−G)
      const v = f64x2.mul(yt, gt);
      vG2 = v128.bitselect(v, vG2, v128.and(cand, f64x2.ge(v, vG2)));
      const gd = f64x2.add(vGmax, v);
      const k = f64x2.promote_low_f32x4(v128.load64_zero(Ki + (<usize>t << 2)));
      let quad = f64x2.sub(f64x2.add(vqdi, v128.load(QD + o)), f64x2.mul(two, k));
      quad = v128.bitselect(tau, quad, f64x2.le(quad, zero));
      const od = f64x2.div(f64x2.neg(f64x2.mul(gd, gd)), quad);
      const take = v128.and(v128.and(cand, f64x2.gt(gd, zero)), f64x2.le(od, vBest));
      vBest = v128.bitselect(od, vBest, take);
      vJ = v128.bitselect(vt, vJ, take);
      vt = f64x2.add(vt, step);
    }
    let Gmax2 = f64x2.extract_lane(vG2, 0);
    const g21 = f64x2.extract_lane(vG2, 1);
    if (g21 >= Gmax2) Gmax2 = g21;
    let best = f64x2.extract_lane(vBest, 0);
    let j = <i32>f64x2.extract_lane(vJ, 0);
    {
      const b1 = f64x2.extract_lane(vBest, 1);
      const j1 = <i32>f64x2.extract_lane(vJ, 1);
      if (b1 < best || (b1 == best && j1 > j)) {
        best = b1;
        j = j1;
      }
    }
    for (let t = l2; t < l; t++) {
      const o = <usize>t << 3;
      const a = load<f64>(alpha + o);
      const gt = load<f64>(G + o);
      if (load<f64>(y + o) > 0) {
        if (a > 0) {
          const gd = Gmax + gt;
          if (gt >= Gmax2) Gmax2 = gt;
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
      } else if (a < cNeg) {
        const gd = Gmax - gt;
        if (-gt >= Gmax2) Gmax2 = -gt;
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
    let ai = oldAi;
    let aj = oldAj;
    const qdj = load<f64>(QD + (<usize>j << 3));
    if (yi != yj) {
      let quad = qdi + qdj + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-load<f64>(G + (<usize>i << 3)) - load<f64>(G + (<usize>j << 3))) / quad;
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
      const delta = (load<f64>(G + (<usize>i << 3)) - load<f64>(G + (<usize>j << 3))) / quad;
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
    const dAi = (ai - oldAi) * yi;
    const dAj = (aj - oldAj) * yj;
    // gradient update fused with the next i selection (as in solveSmo)
    const vdAi = f64x2.splat(dAi);
    const vdAj = f64x2.splat(dAj);
    let vGm = f64x2.splat(-Infinity);
    let vI = f64x2.splat(-1.0);
    vt = f64x2(0.0, 1.0);
    for (let t = 0; t < l2; t += 2) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const yt = v128.load(y + o);
      const ki = f64x2.promote_low_f32x4(v128.load64_zero(Ki + q));
      const kj = f64x2.promote_low_f32x4(v128.load64_zero(Kj + q));
      const g = f64x2.add(v128.load(G + o), f64x2.mul(yt, f64x2.add(f64x2.mul(vdAi, ki), f64x2.mul(vdAj, kj))));
      v128.store(G + o, g);
      const a = v128.load(alpha + o);
      const cand = v128.bitselect(f64x2.lt(a, vCpos), f64x2.gt(a, zero), f64x2.gt(yt, zero));
      // −G for y = +1, G for y = −1 (exact)
      const v = f64x2.mul(f64x2.neg(yt), g);
      const take = v128.and(cand, f64x2.ge(v, vGm));
      vGm = v128.bitselect(v, vGm, take);
      vI = v128.bitselect(vt, vI, take);
      vt = f64x2.add(vt, step);
    }
    Gmax = f64x2.extract_lane(vGm, 0);
    i = <i32>f64x2.extract_lane(vI, 0);
    {
      const g1 = f64x2.extract_lane(vGm, 1);
      const i1 = <i32>f64x2.extract_lane(vI, 1);
      if (g1 > Gmax || (g1 == Gmax && i1 > i)) {
        Gmax = g1;
        i = i1;
      }
    }
    for (let t = l2; t < l; t++) {
      const o = <usize>t << 3;
      const q = <usize>t << 2;
      const yt = load<f64>(y + o);
      const g = load<f64>(G + o) + yt * (dAi * <f64>load<f32>(Ki + q) + dAj * <f64>load<f32>(Kj + q));
      store<f64>(G + o, g);
      const a = load<f64>(alpha + o);
      if (yt > 0) {
        if (a < cPos && -g >= Gmax) {
          Gmax = -g;
          i = t;
        }
      } else if (a > 0 && g >= Gmax) {
        Gmax = g;
        i = t;
      }
    }
  }
  // ρ: mean of yG over free variables, else the middle of the feasible interval
  let ub = Infinity;
  let lb = -Infinity;
  let nFree = 0;
  let sumFree: f64 = 0;
  for (let t = 0; t < l; t++) {
    const o = <usize>t << 3;
    const yt = load<f64>(y + o);
    const yG = yt * load<f64>(G + o);
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
