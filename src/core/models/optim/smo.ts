/**
 * Binary C-SVM dual solver: sequential minimal optimisation with the second-order working-set
 * selection of Fan, Chen & Lin (JMLR 2005), as in libsvm's Solver (without shrinking). Solves
 *   min ½ αᵀQα − eᵀα  s.t. 0 ≤ αᵢ ≤ Cᵢ, yᵀα = 0,  Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ),
 * on a precomputed kernel matrix restricted to a subset of its rows.
 */
export interface SmoProblem {
  /** Full kernel matrix, row-major m × m (float32 like libsvm's kernel cache). */
  K: Float32Array;
  m: number;
  /** Rows of K in this problem. */
  idx: Int32Array;
  /** ±1 per problem row. */
  y: Int8Array;
  /** Box bound for y = +1 and y = −1 rows. */
  cPos: number;
  cNeg: number;
  eps: number;
  maxIter: number;
}

export interface SmoResult {
  alpha: Float64Array;
  rho: number;
  iterations: number;
}

const TAU = 1e-12;

export function solveSmo(p: SmoProblem): SmoResult {
  const { K, m, idx, y, cPos, cNeg, eps } = p;
  const l = idx.length;
  const alpha = new Float64Array(l);
  const G = new Float64Array(l).fill(-1);
  const C = (t: number): number => ((y[t] as number) > 0 ? cPos : cNeg);
  const QD = new Float64Array(l);
  for (let t = 0; t < l; t++) {
    const r = idx[t] as number;
    QD[t] = K[r * m + r] as number;
  }
  let iter = 0;
  // Select i: maximal violating index in I_up (the last one on ties). The first selection is its own
  // pass; every later one is made inside the gradient update of the previous step, which visits the
  // same indices in the same order with the final G and α of that step, so it picks the same i.
  let Gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < l; t++) {
    const a = alpha[t] as number;
    if ((y[t] as number) > 0) {
      if (a < cPos && -(G[t] as number) >= Gmax) {
        Gmax = -(G[t] as number);
        i = t;
      }
    } else if (a > 0 && (G[t] as number) >= Gmax) {
      Gmax = G[t] as number;
      i = t;
    }
  }
  while (iter < p.maxIter) {
    if (i < 0) break;
    const yi = y[i] as number;
    const ri = (idx[i] as number) * m;
    // Select j by the largest guaranteed decrease of the objective (second-order information).
    let Gmax2 = -Infinity;
    let j = -1;
    let best = Infinity;
    const qdi = QD[i] as number;
    for (let t = 0; t < l; t++) {
      const a = alpha[t] as number;
      const yt = y[t] as number;
      const gt = G[t] as number;
      if (yt > 0) {
        if (a > 0) {
          const gd = Gmax + gt;
          if (gt >= Gmax2) Gmax2 = gt;
          if (gd > 0) {
            // yᵢ·Qᵢₜ = yₜ·Kᵢₜ = Kᵢₜ for yₜ = +1
            let quad = qdi + (QD[t] as number) - 2 * (K[ri + (idx[t] as number)] as number);
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
          let quad = qdi + (QD[t] as number) - 2 * (K[ri + (idx[t] as number)] as number);
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
    const yj = y[j] as number;
    const rj = (idx[j] as number) * m;
    const Qij = yi * yj * (K[ri + (idx[j] as number)] as number);
    const Ci = C(i);
    const Cj = C(j);
    const oldAi = alpha[i] as number;
    const oldAj = alpha[j] as number;
    let ai = oldAi;
    let aj = oldAj;
    if (yi !== yj) {
      let quad = qdi + (QD[j] as number) + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-(G[i] as number) - (G[j] as number)) / quad;
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
      let quad = qdi + (QD[j] as number) - 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = ((G[i] as number) - (G[j] as number)) / quad;
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
    alpha[i] = ai;
    alpha[j] = aj;
    const dAi = (ai - oldAi) * yi;
    const dAj = (aj - oldAj) * yj;
    Gmax = -Infinity;
    i = -1;
    for (let t = 0; t < l; t++) {
      const rt = idx[t] as number;
      const yt = y[t] as number;
      const g = (G[t] as number) + yt * (dAi * (K[ri + rt] as number) + dAj * (K[rj + rt] as number));
      G[t] = g;
      const a = alpha[t] as number;
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
  // ρ: mean of yG over free variables, else the middle of the feasible interval.
  let ub = Infinity;
  let lb = -Infinity;
  let nFree = 0;
  let sumFree = 0;
  for (let t = 0; t < l; t++) {
    const yt = y[t] as number;
    const yG = yt * (G[t] as number);
    const a = alpha[t] as number;
    if (a >= C(t)) {
      if (yt < 0) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (a <= 0) {
      if (yt > 0) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  return { alpha, rho, iterations: iter };
}
