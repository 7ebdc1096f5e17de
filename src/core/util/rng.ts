/**
 * Seeded pseudo-random generator (sfc32, seeded through splitmix32). Core code never calls
 * Math.random: every stochastic step takes an Rng so that the same seed gives the same model.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal variate (Box–Muller). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A generator in this one's exact state (this one is not advanced). */
  clone(): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    Object.assign(r, { a: this.a, b: this.b, c: this.c, d: this.d, seed: this.seed });
    return r;
  }

  /** The generator's whole state as text: two generators with equal keys give the same stream from here on. */
  stateKey(): string {
    return `${this.a >>> 0}.${this.b >>> 0}.${this.c >>> 0}.${this.d >>> 0}`;
  }

  /** The four 32-bit words of the state (for a WebAssembly port of a consumer, which continues the stream). */
  words(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  /** Continue from state words a port left (see words()); the seed is unchanged. */
  setWords(w: readonly [number, number, number, number]): void {
    [this.a, this.b, this.c, this.d] = w;
  }

  /** A child generator whose stream depends only on this seed and `k` (for per-tree or per-worker streams). */
  fork(k: number): Rng {
    return new Rng((Math.imul(this.seed ^ 0x5bd1e995, 0x01000193) + Math.imul(k + 1, 0x9e3779b1)) >>> 0);
  }

  /** In-place Fisher–Yates shuffle of the first `n` entries. */
  shuffle<T extends { [i: number]: number; length: number }>(arr: T, n = arr.length): T {
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i] as number;
      arr[i] = arr[j] as number;
      arr[j] = tmp;
    }
    return arr;
  }
}

export const DEFAULT_SEED = 42;
