import { WasmArena } from '../util/wasm.js';

/**
 * The float64 SIMD kernels of src/wasm/dense.ts (pointers are byte offsets into the arena's memory).
 * Each vectorises across independent outputs, never along a sum, without fused multiply-add, so it
 * returns bit-for-bit what the plain loop documented on it returns.
 */
export interface DenseKernels {
  /** z (b × nout) = a (b × nin) · W (nin × nout) + bias; each output bias + Σⱼ a·w in order; relu ≠ 0: `if (z < 0) z = 0`. */
  matmulBias(a: number, w: number, bias: number, z: number, b: number, nin: number, nout: number, relu: number): void;
  /** grad[j][o] = (alpha·W[j][o] + Σᵢ a[i][j]·Δ[i][o]) · invB (rows in order); gradB[o] = (Σᵢ Δ[i][o]) · invB. */
  weightGrad(a: number, delta: number, w: number, grad: number, gradB: number, b: number, nin: number, nout: number, alpha: number, invB: number): void;
  /** prev[i][j] = a[i][j] > 0 ? Σₒ Δ[i][o]·W[j][o] (outputs in order) : 0; wt is nout × nin scratch. */
  backDelta(a: number, delta: number, w: number, wt: number, prev: number, b: number, nin: number, nout: number): void;
  /** Adam: m1 = b1·m1 + c1·g; m2 = b2·m2 + (c2·g)·g; theta −= (lr·m1) / (√m2 + eps). */
  adam(theta: number, grad: number, m1: number, m2: number, n: number, lr: number, b1: number, c1: number, b2: number, c2: number, eps: number): void;
  /** z[c·ldz + r] = b_c + Σⱼ W[c][j]·X[j][i0 + r] over column-major X (n rows); theta = W (k × d) then b (k). */
  logits(x: number, n: number, i0: number, nb: number, d: number, k: number, theta: number, z: number, ldz: number): void;
  /** g[c·d + j] += Σᵣ R[r][c]·X[j][i0 + r], g[k·d + c] += Σᵣ R[r][c] (rows in order); R is nb × kp (kp even, padding lanes 0). */
  /**
   * Softmax step of a logreg block: per row m = max z, eᶜ = exp(zᶜ − m) (in place), s = Σ eᶜ,
   * f += w·(m + log s − z_y) in row order, R[r·kp + c] = w·(eᶜ·(1/s) − [c = y]), w = sw[r]·invN;
   * y and sw are float64 arrays of the block's rows. Returns f.
   */
  logregSoftmax(z: number, ldz: number, nb: number, k: number, y: number, sw: number, invN: number, res: number, kp: number, f: number): number;
  /** out[r·k + c] = eᶜ / Σ e, eᶜ = exp(z[c·ldz + r] − max) (class-major in, row-major out; z overwritten by the exps). */
  softmaxRows(z: number, ldz: number, nb: number, k: number, out: number): void;
  /** In place over column-major x (feature j at x + 8·j·ld): v ← (v − mean[j])·inv[j], NaN ← 0; returns 1 if some value is ±Infinity. */
  standardize(x: number, ld: number, nb: number, d: number, mean: number, inv: number): number;
  /** dst[i] = exp(src[i]), bit for bit as V8's Math.exp (fdlibm). */
  expArray(src: number, dst: number, n: number): void;
  expArrayF32(src: number, dst: number, n: number): void;
  /** dst[i] = log(src[i]), bit for bit as V8's Math.log (fdlibm). */
  logArray(src: number, dst: number, n: number): void;
  logregGrad(x: number, n: number, i0: number, nb: number, d: number, k: number, kp: number, res: number, g: number): void;
}

/** A fresh dense-kernel instance with float64 regions of the given lengths. */
export function denseArena(lengths: readonly number[]): WasmArena<DenseKernels> {
  return new WasmArena<DenseKernels>('dense', lengths);
}
