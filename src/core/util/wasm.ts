import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * WebAssembly kernels built from src/wasm/<name>.ts by `npm run build` (scripts/build-wasm.js) into
 * dist/src/wasm/<name>.wasm. A module is read and compiled on first use, synchronously, once per
 * thread (worker threads compile their own), so commands that never fit a dense model never load it.
 * Each use gets a fresh instance with its own memory sized up front (WasmArena): no state is shared
 * between fits, views never go stale by a later grow, and the memory is freed with the arena.
 */

// TypeScript's ES2022 lib and @types/node do not declare the WebAssembly global: the part used here.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}

const modules = new Map<string, WebAssembly.Module>();

function wasmModule(name: string): WebAssembly.Module {
  let m = modules.get(name);
  if (m === undefined) {
    const path = fileURLToPath(new URL(`../../wasm/${name}.wasm`, import.meta.url));
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`WebAssembly kernel ${path} is missing (${(e as NodeJS.ErrnoException).code ?? String(e)}): run \`npm run build\``);
    }
    m = new WebAssembly.Module(bytes);
    modules.set(name, m);
  }
  return m;
}

const PAGE = 65536;
/** wasm32 addresses 4 GiB; beyond that no arena can be made. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * A fresh instance of kernel module `name` whose memory holds the float64 regions asked for, each
 * 16-byte aligned. `f64` views the whole memory; `at[r]` is region r's first index in `f64` (byte
 * offset = 8·at[r], what the kernels take), `view(r)` a subarray over region r.
 */
export class WasmArena<E> {
  readonly exports: E;
  readonly f64: Float64Array;
  readonly at: number[];
  private readonly lengths: number[];

  constructor(name: string, lengths: readonly number[]) {
    const inst = new WebAssembly.Instance(wasmModule(name), {});
    const ex = inst.exports;
    const memory = ex['memory'] as WebAssembly.Memory;
    const base = (ex['heapBase'] as () => number)();
    this.at = [];
    this.lengths = [...lengths];
    let top = base / 8;
    for (const len of lengths) {
      this.at.push(top);
      top += len + (len % 2);
    }
    const bytes = top * 8;
    if (bytes > MAX_BYTES) throw new RangeError(`${name} kernels need ${(bytes / 2 ** 30).toFixed(1)} GiB of WebAssembly memory, more than its 4 GiB address space: use fewer rows`);
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    this.exports = ex as E;
    this.f64 = new Float64Array(memory.buffer);
  }

  /** Region r as a Float64Array over the instance's memory. */
  view(r: number): Float64Array {
    const a = this.at[r] as number;
    return this.f64.subarray(a, a + (this.lengths[r] as number));
  }

  /** Byte offset of region r (what the kernels take as a pointer). */
  ptr(r: number): number {
    return (this.at[r] as number) * 8;
  }
}
